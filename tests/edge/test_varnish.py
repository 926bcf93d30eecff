"""Through a real Varnish (deploy/varnish/default.vcl): pages kept for everyone, purged exactly
when what they show changes, staff and posts passed to Django, slow clients held by Varnish."""

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from comments import services as comment_services
from comments.models import Comment
from pagecache import pages
from tests.factories import comment_post_data, make_article, make_comment

pytestmark = pytest.mark.django_db(transaction=True)


def get(edge, path, headers=None):
    request = urllib.request.Request(edge.url + path, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode("latin-1")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("latin-1")


def post(edge, path, data, headers):
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310
        edge.url + path, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_second_reader_gets_the_page_from_varnish_without_the_keys(varnish):
    article = make_article(headline="Harbour reopens")
    status, headers, first = get(varnish, article.get_absolute_url())
    assert status == 200 and headers["X-Cache"] == "miss"
    status, headers, second = get(varnish, article.get_absolute_url())
    assert headers["X-Cache"] == "hit" and second == first
    assert "xkey" not in {name.lower() for name in headers}


def test_host_in_another_case_or_port_shares_varnishs_copy(varnish):
    article = make_article()
    get(varnish, article.get_absolute_url(), {"Host": "localhost"})
    _, headers, _ = get(varnish, article.get_absolute_url(), {"Host": "LOCALHOST:4321"})
    assert headers["X-Cache"] == "hit"


def test_an_edit_is_visible_through_varnish_at_once(varnish):
    article = make_article(headline="First take")
    get(varnish, article.get_absolute_url())
    get(varnish, "/")
    article.headline = "Second take"
    article.save()
    for path in (article.get_absolute_url(), "/"):
        _, headers, html = get(varnish, path)
        assert headers["X-Cache"] == "miss" and "Second take" in html, path


def test_a_comment_approval_purges_its_article_and_nothing_else(varnish):
    article, other = make_article(), make_article()
    pending = make_comment(article, status=Comment.Status.PENDING, body="Worth the wait")
    for path in (article.get_absolute_url(), other.get_absolute_url()):
        get(varnish, path)
    comment_services.comment_moderate(
        comments=Comment.objects.filter(pk=pending.pk), status=Comment.Status.APPROVED
    )
    _, headers, html = get(varnish, article.get_absolute_url())
    assert headers["X-Cache"] == "miss" and "Worth the wait" in html
    assert get(varnish, other.get_absolute_url())[1]["X-Cache"] == "hit"


def test_readers_with_a_session_or_own_comments_are_passed_to_django(varnish):
    article = make_article()
    get(varnish, article.get_absolute_url())
    for cookie in ("sessionid=abc", "newsroom_comments=abc"):
        _, headers, _ = get(varnish, article.get_absolute_url(), {"Cookie": cookie})
        assert headers["X-Cache"] == "miss" and "private" in headers["Cache-Control"], cookie


def test_cross_site_post_is_refused_and_a_same_site_one_from_a_cached_page_succeeds(varnish):
    article = make_article()
    get(varnish, article.get_absolute_url())
    path = article.get_absolute_url() + "comments/"
    cross = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    assert post(varnish, path, comment_post_data(article), cross) == 403
    same = {"Sec-Fetch-Site": "same-origin", "Origin": varnish.url}
    # The live server answers the redirect to the article; urllib follows it.
    assert post(varnish, path, comment_post_data(article), same) == 200
    assert Comment.objects.count() == 1


def test_pages_are_compressed(varnish):
    article = make_article()
    get(varnish, article.get_absolute_url())
    _, headers, _ = get(varnish, article.get_absolute_url(), {"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"


def test_fifty_slow_clients_do_not_hold_up_the_site(varnish):
    """Issue 13, finding 1: connections that send a request line and never finish their
    headers held every gunicorn worker. Varnish reads whole requests before passing them on."""
    article = make_article()
    get(varnish, article.get_absolute_url())
    slow = []
    try:
        for _ in range(50):
            connection = socket.create_connection(("127.0.0.1", varnish.port), timeout=5)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            slow.append(connection)
        for path in ("/healthz", article.get_absolute_url(), "/"):
            started = time.monotonic()
            status, _, _ = get(varnish, path)
            assert status == 200 and time.monotonic() - started < 1, path
    finally:
        for connection in slow:
            connection.close()


def test_a_page_on_its_way_when_the_purge_lands_is_purged_again(varnish, settings, monkeypatch):
    """The page is rendered from the old row and still travelling to Varnish when the edit's
    purge lands (nothing to purge yet), then kept as it arrives: the second purge retires it."""
    settings.NEWSROOM_EDGE_REPURGE_SECONDS = 1.5
    article = make_article(headline="Before the edit")
    rendered = threading.Event()
    respond = pages._respond

    def slow_respond(*args, **kwargs):
        rendered.set()
        time.sleep(1)  # the response in transit
        return respond(*args, **kwargs)

    monkeypatch.setattr(pages, "_respond", slow_respond)
    reader = threading.Thread(target=get, args=(varnish, article.get_absolute_url()))
    reader.start()
    assert rendered.wait(10)
    article.headline = "After the edit"
    article.save()  # purged at once: Varnish has nothing yet
    reader.join()
    monkeypatch.setattr(pages, "_respond", respond)
    _, headers, html = get(varnish, article.get_absolute_url())
    assert headers["X-Cache"] == "hit" and "Before the edit" in html  # the window
    time.sleep(2)
    _, headers, html = get(varnish, article.get_absolute_url())
    assert "After the edit" in html
