"""With debug off, as in production: the site's own 404 and 500 pages, with its navigation, a
skip link and search; the 500 page made without touching the database."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

from articles.views import ArticleListView
from tests.factories import browser, make_section

pytestmark = pytest.mark.django_db


def assert_branded(html):
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<a class="masthead-title" href="/">Newsroom</a>' in html
    assert 'action="/search/"' in html and 'type="search" name="q"' in html
    assert '<footer class="site-footer">' in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_missing_page_is_the_sites_own_404(client):
    make_section(name="World", slug="world")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.text
    assert_branded(html)
    assert "<title>Page not found | Newsroom</title>" in html
    assert '<a href="/sections/world/">World</a>' in html


def test_a_missing_article_is_the_sites_own_404(client):
    response = client.get("/articles/never-written/")
    assert response.status_code == 404
    assert_branded(response.text)


@override_settings(ROOT_URLCONF="tests.newsroom.error_urls")
def test_a_failing_page_is_the_sites_own_500_made_without_the_database(
    django_assert_num_queries,
):
    reader = browser(raise_request_exception=False)
    make_section(name="World", slug="world")
    reader.get("/")  # pages remember the sections of the navigation
    with django_assert_num_queries(0):
        response = reader.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_branded(html)
    assert "<title>Something went wrong | Newsroom</title>" in html
    assert '<a href="/sections/world/">World</a>' in html
    assert "no-cache" in response["Cache-Control"]


@override_settings(ROOT_URLCONF="tests.newsroom.error_urls")
def test_the_500_page_without_anything_remembered_still_has_search_and_footer():
    reader = browser(raise_request_exception=False)
    response = reader.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_branded(html)
    assert "section-nav" not in html
    assert '<a href="/corrections/">Corrections</a>' in html


def test_a_form_refused_by_the_csrf_check_is_the_sites_own_403():
    reader = browser(enforce_csrf_checks=True)
    response = reader.post("/newsletter/", {"email": "reader@example.com"},
                           headers={"sec-fetch-site": "cross-site"})  # fmt: skip
    assert response.status_code == 403
    assert_branded(response.text)
    assert "<h1>Your form was not sent</h1>" in response.text


def test_the_database_down_page_has_the_frame_too(client):
    make_section(name="World", slug="world")
    client.get("/")  # pages remember the sections of the navigation
    client.cookies[settings.NEWSROOM_COMMENTS_COOKIE] = "expired"  # no page from the cache
    down = OperationalError("the database is down")
    with mock.patch.object(ArticleListView, "get_queryset", side_effect=down):
        response = client.get("/")
    assert response.status_code == 503
    assert_branded(response.text)
    assert "<h1>Back in a moment</h1>" in response.text
    assert '<a href="/sections/world/">World</a>' in response.text
