"""CSRF is enforced on every route that takes a POST, the admin included, except the one-click
unsubscribe endpoint: its signed token is the proof, and mail providers POST it without cookies
(RFC 8058). The two forms on pages for everyone (a comment, a newsletter signup) are checked by
Fetch Metadata and Origin instead of a token in the page (pagecache.same_site_post). The routes
come from the URLconf, so a new exempt view fails here."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsletter.models import Subscriber
from tests.urlconf import all_routes, public_routes

pytestmark = pytest.mark.django_db

CSRF_EXEMPT = {"newsletter:unsubscribe"}
SAME_SITE_POSTS = {"comments:post", "newsletter:signup"}
FORM = {"email": "reader@example.com", "body": "Forged.", "name": "Reader"}


def is_csrf_refusal(response):
    return response.status_code == 403 and "<h1>Your form was not sent</h1>" in response.text


def test_only_the_one_click_unsubscribe_is_exempt():
    exempt = {
        route.name or route.route
        for route in all_routes()
        if getattr(route.callback, "csrf_exempt", False)
    }
    guarded = {
        route.name for route in all_routes() if getattr(route.callback, "same_site_post", False)
    }
    assert guarded == SAME_SITE_POSTS
    assert exempt - guarded == CSRF_EXEMPT


def test_every_public_route_refuses_a_post_without_a_token(route_samples):
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # a CSRF cookie, as a browser would hold, but no token in the form
    for route in public_routes():
        if route.name in CSRF_EXEMPT | SAME_SITE_POSTS:
            continue
        url = reverse(route.name, kwargs=route_samples.get(route.name, {}))
        response = client.post(url, FORM)
        assert is_csrf_refusal(response), (url, response.status_code)


def test_forms_on_pages_for_everyone_refuse_cross_site_posts_and_confirm_unmarked_ones(
    route_samples,
):
    cross_site = Client(
        enforce_csrf_checks=True,
        headers={"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
    )
    unmarked = Client(enforce_csrf_checks=True)  # a browser sending neither header
    for name in SAME_SITE_POSTS:
        url = reverse(name, kwargs=route_samples.get(name, {}))
        assert is_csrf_refusal(cross_site.post(url, FORM)), url
        confirm = unmarked.post(url, FORM)
        assert confirm.status_code == 200, url
        assert 'name="csrfmiddlewaretoken"' in confirm.text, url
        assert "no-store" in confirm["Cache-Control"], url
    assert not Comment.objects.filter(body="Forged.").exists()
    assert not Subscriber.objects.filter(email="reader@example.com").exists()


def test_one_click_unsubscribe_works_without_cookie_or_token(route_samples):
    url = reverse("newsletter:unsubscribe", kwargs=route_samples["newsletter:unsubscribe"])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_admin_login_refuses_a_post_without_a_token(editor):
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "editor", "password": "correct-horse-9"}
    )
    assert is_csrf_refusal(response)


def test_every_admin_route_refuses_a_post_without_a_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    admin_routes = [route for route in all_routes() if route.is_admin and route.name]
    assert len(admin_routes) > 50
    for route in admin_routes:
        url = route.url(app_label="articles")
        response = client.post(url, {"action": "delete_selected", "post": "yes"})
        assert is_csrf_refusal(response), (url, response.status_code)
