"""A database that cannot be reached answers 503 with Retry-After, never a 500 traceback page.
tests/faults/ restarts a real PostgreSQL under load; these pin the page itself."""

from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError
from django.test import Client

from articles.models import Section
from articles.views import ArticleListView

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # A browser's posts say where they come from (pagecache.same_site_post lets them through).
    return Client(raise_request_exception=False, headers={"sec-fetch-site": "same-origin"})


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-cache" in response["Cache-Control"]
    assert "Back in a moment" in response.text
    assert "Traceback" not in response.text
    assert "connection refused" not in response.text


def test_lost_database_in_a_view_is_a_503_to_retry(client):
    failure = OperationalError("connection refused")
    with mock.patch.object(ArticleListView, "get_queryset", side_effect=failure):
        assert_unavailable_page(client.get("/"))


def test_lost_database_while_the_page_renders_is_a_503_to_retry(client):
    failure = InterfaceError("connection already closed")
    with mock.patch.object(Section.objects, "all", side_effect=failure):
        assert_unavailable_page(client.get("/newsletter/"))


def test_lost_database_during_a_comment_post_is_a_503(client):
    failure = OperationalError("connection refused")
    with mock.patch("comments.views.get_object_or_404", side_effect=failure):
        assert_unavailable_page(client.post("/articles/any/comments/", {}))


def test_lost_database_outside_any_view_is_a_503_too(client):
    failure = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(SessionMiddleware, "process_response", side_effect=failure):
        assert_unavailable_page(client.get("/"))


def test_other_errors_stay_server_errors(client):
    with mock.patch.object(ArticleListView, "get_queryset", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_errors_outside_any_view_stay_server_errors(client):
    with mock.patch.object(SessionMiddleware, "process_response", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
