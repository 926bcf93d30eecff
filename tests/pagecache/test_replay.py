"""Stored pages sent again before Django (pagecache/replay.py): the very response Django sent,
only while the middleware would have served the same page, and never for anyone it would not."""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started

from comments.cookie import COOKIE_NAME
from pagecache import pages, replay
from pagecache.pages import Page
from pagecache.replay import PageCacheApplication
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_the_transaction")]


@pytest.fixture
def site():
    return wsgi_site()


def wsgi_site():
    """newsroom.wsgi.application, called as a WSGI server calls it (with the fixture
    requests_keep_the_transaction)."""
    return PageCacheApplication(WSGIHandler())


@pytest.fixture
def through_django():
    """How many requests reached Django's request handling."""
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count, weak=False)
    yield seen
    request_started.disconnect(count)


def get(site, path, method="GET", **headers):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }  # fmt: skip
    answered = []
    body = site(environ, lambda status, headers, exc_info=None: answered.append((status, headers)))
    content = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    status, headers = answered[0]
    return status, headers, content


def test_a_stored_page_is_sent_again_as_django_sent_it(site, through_django):
    url = make_article(headline="Sent again").get_absolute_url()
    get(site, url)  # rendered and stored
    from_django = get(site, url)  # served by the middleware: recorded
    assert dict(from_django[1])["X-Page-Cache"] == "hit"
    reached = len(through_django)
    assert get(site, url) == from_django  # status, every header, the bytes
    assert get(site, url) == from_django
    assert len(through_django) == reached
    headers = dict(from_django[1])
    added_above = ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy",
                   "X-Content-Type-Options", "Referrer-Policy")  # fmt: skip
    for name in (*added_above, "Cache-Control", "xkey", "ETag", "Content-Length"):
        assert name in headers, name


def test_a_change_is_never_sent_again(site, through_django):
    article = make_article(headline="Before the edit")
    url = article.get_absolute_url()
    get(site, url)
    get(site, url)
    assert b"Before the edit" in get(site, url)[2]
    article.headline = "After the edit"
    article.save()
    reached = len(through_django)
    status, headers, content = get(site, url)
    assert len(through_django) == reached + 1
    assert b"After the edit" in content and dict(headers)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    "request_for",
    [
        {"cookie": "sessionid=abc"},  # staff
        {"cookie": f"{COOKIE_NAME}=abc"},  # a reader with comments awaiting moderation
        {"method": "HEAD"},
        {"if_none_match": '"anything"'},
    ],
)
def test_who_django_would_answer_otherwise_goes_to_django(site, through_django, request_for):
    url = make_article().get_absolute_url()
    get(site, url)
    get(site, url)
    reached = len(through_django)
    get(site, url, **request_for)
    assert len(through_django) == reached + 1


def test_another_address_goes_through_django_first(site, through_django):
    url = make_article().get_absolute_url()
    get(site, url)
    get(site, url)
    reached = len(through_django)
    tagged = get(site, f"{url}?utm_source=newsletter")  # the same page, another address
    assert dict(tagged[1])["X-Page-Cache"] == "hit"
    assert len(through_django) == reached + 1
    assert get(site, f"{url}?utm_source=newsletter") == tagged
    assert len(through_django) == reached + 1


def test_a_host_django_refuses_is_never_answered(site):
    url = make_article().get_absolute_url()
    get(site, url)
    get(site, url)
    for _ in range(2):
        status, _, _ = get(site, url, host="evil.example")
        assert status.startswith("400")


def test_a_setting_changed_sends_nothing_recorded_before(site, settings, through_django):
    url = make_article().get_absolute_url()
    get(site, url)
    get(site, url)
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    reached = len(through_django)
    assert dict(get(site, url)[1])["X-Frame-Options"] == "SAMEORIGIN"
    assert len(through_django) == reached + 1


def test_the_addresses_recorded_are_bounded_and_hold_no_page(site, monkeypatch, through_django):
    monkeypatch.setattr(replay, "ADDRESSES", 2)
    url = make_article().get_absolute_url()
    get(site, url)
    for n in range(3):
        get(site, f"{url}?utm_campaign={n}")
    assert len(site.sent) == 2
    recorded = [value for sent in site.sent.values() for value in vars(sent).values()]
    assert not any(isinstance(value, Page) for value in recorded)
    pages.local_pages.clear()  # the process's copy gone (its budget): Django answers
    reached = len(through_django)
    get(site, f"{url}?utm_campaign=2")
    assert len(through_django) == reached + 1
