"""
The site's other pages for readers, kept as reference HTML as tests/articles/test_reference_html.py
keeps the reader pages (the same site, the same frozen time, whitespace normalised): the comment
pages, the newsletter's, a policy page, an expired preview link, the page that asks to confirm a
form post, and the error pages. What differs on every request (a CSRF token, a comment form's
start token) is written as a placeholder. A change meant to alter a page writes the files again:

    NEWSROOM_WRITE_REFERENCE_HTML=1 pytest tests/newsroom/test_reference_html.py
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import signing
from django.db import OperationalError
from django.test import override_settings

from articles.models import Article, PolicyPage
from articles.views import ArticleListView
from comments.cookie import COOKIE_NAME, SALT
from comments.models import Comment
from desk.models import PreviewLink
from newsletter.models import Subscriber
from tests.articles.test_reference_html import BASE, NOW, first_difference, normalised
from tests.articles.test_reference_html import site as site  # noqa: PLC0414 (the fixture)
from tests.factories import browser

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference_html"
COMMENT = BASE + 1  # an approved comment on story-1, with a reply
OWN = BASE + 3  # the reader's own comment, just posted


def unvarying(html):
    """The page with its per-request tokens as placeholders."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1CSRF"', html)
    return re.sub(r'(name="started" value=")[^"]+"', r'\1STARTED"', html)


def own_comment_reader():
    Comment.objects.create(
        id=OWN, article_id=BASE + 1, name="Me", email="me@example.com", body="My own words.",
        status=Comment.Status.PENDING,
    )  # fmt: skip
    reader = browser()
    reader.cookies[COOKIE_NAME] = signing.dumps(
        [(OWN, int(NOW.timestamp()))], salt=SALT, compress=True
    )
    return reader


def get(path, **kwargs):
    return lambda: browser(**kwargs).get(path)


def post(path, data, **kwargs):
    return lambda: browser(**kwargs).post(path, data)


def own(method, path):
    return lambda: getattr(own_comment_reader(), method)(path)


def closed_comments():
    Article.objects.filter(pk=BASE + 1).update(allow_comments=False)
    return browser().post("/articles/story-1/comments/", {"name": "A", "body": "B"})


def policy_page():
    PolicyPage.objects.create(
        kind=PolicyPage.Kind.MASTHEAD, title="Who we are", body="## Editors\n\nAna **Silva**."
    )
    return browser().get("/about/masthead/")


def subscriber_page(status, token, path):
    def page():
        subscriber = Subscriber.objects.create(
            id=BASE + 1, email="reader@example.com", status=status
        )
        return browser().get(path.format(getattr(subscriber, token)()))

    return page


def expired_preview(revoked):
    def page():
        link = PreviewLink.objects.create(
            article_id=BASE + 1, key="k" * 32, expires_at=NOW - timedelta(hours=1)
        )
        if revoked:
            PreviewLink.objects.filter(pk=link.pk).update(revoked_at=NOW - timedelta(hours=2))
        return browser().get(link.get_absolute_url())

    return page


def unsent_form():
    from django.test import Client

    return Client().post("/newsletter/", {"email": "reader@example.com", "source": "page"})


# Pages remember the sections of the navigation, which the error pages show.
@override_settings(ROOT_URLCONF="tests.newsroom.error_urls", NEWSROOM_PAGE_CACHE_SECONDS=300)
def server_error():
    browser().get("/")
    return browser(raise_request_exception=False).get("/broken/")


@override_settings(NEWSROOM_PAGE_CACHE_SECONDS=300)
def database_down():
    reader = browser()
    reader.get("/")
    reader.cookies[COOKIE_NAME] = "expired"  # no page from the cache
    down = OperationalError("the database is down")
    with mock.patch.object(ArticleListView, "get_queryset", side_effect=down):
        return reader.get("/")


COMMENT_FIELDS = {"name": "Reader", "email": "reader@example.com", "body": "Some words."}

PAGES = {
    "article_with_own_comment": (200, own("get", "/articles/story-1/")),
    "comment_reply": (200, get(f"/articles/story-1/comments/{COMMENT}/reply/")),
    "comment_with_errors": (400, post("/articles/story-1/comments/", {"body": "x" * 5001})),
    "comment_to_confirm": (200, post("/articles/story-1/comments/", COMMENT_FIELDS)),
    "comment_edit": (200, own("get", f"/articles/story-1/comments/{OWN}/edit/")),
    "comment_delete": (200, own("get", f"/articles/story-1/comments/{OWN}/delete/")),
    "comment_not_yours": (403, get(f"/articles/story-1/comments/{COMMENT}/edit/")),
    "comment_closed": (403, closed_comments),
    "newsletter_signup": (200, get("/newsletter/")),
    "newsletter_signup_errors": (200, post("/newsletter/", {"email": "no", "name": "<b>"})),
    "newsletter_thanks": (200, get("/newsletter/thanks/")),
    "newsletter_confirmed": (200, get("/newsletter/confirmed/")),
    "newsletter_confirm": (
        200,
        subscriber_page("pending", "confirmation_token", "/newsletter/confirm/{}/"),
    ),
    "newsletter_unsubscribe": (
        200,
        subscriber_page("confirmed", "unsubscribe_token", "/newsletter/unsubscribe/{}/"),
    ),
    "newsletter_confirm_link_invalid": (400, get("/newsletter/confirm/nonsense/")),
    "newsletter_unsubscribe_link_invalid": (400, get("/newsletter/unsubscribe/nonsense/")),
    "policy_page": (200, policy_page),
    "preview_expired": (410, expired_preview(revoked=False)),
    "preview_revoked": (410, expired_preview(revoked=True)),
    "form_post_to_confirm": (200, unsent_form),
    "not_found": (404, get("/no-such-page/?q=<x>")),
    "csrf_failure": (
        403,
        lambda: browser(enforce_csrf_checks=True).post(
            "/newsletter/", {"email": "a@example.com"}, headers={"sec-fetch-site": "cross-site"}
        ),
    ),
    "server_error": (500, server_error),
    "database_down": (503, database_down),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_the_same_html_as_its_reference(site, name):
    status, make = PAGES[name]
    response = make()
    assert response.status_code == status
    html = unvarying(normalised(response.content.decode()))
    path = REFERENCE / f"{name}.html"
    if os.environ.get("NEWSROOM_WRITE_REFERENCE_HTML"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(html + "\n")
    expected = path.read_text().rstrip("\n")
    assert html == expected, f"{name} differs: {first_difference(html, expected)}"


def test_tokens_that_vary_are_written_as_placeholders():
    html = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="a1">'
        '<input name="started" value="x:y">'
    )
    assert unvarying(html) == (
        '<input type="hidden" name="csrfmiddlewaretoken" value="CSRF">'
        '<input name="started" value="STARTED">'
    )
