"""Forged admin POSTs: every admin route, every list action, sent by someone without the
permission (a visitor, a staff account with none, a writer outside the articles), changes
nothing. The routes and actions come from the admin itself, so new ones are covered too."""

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, PolicyPage
from articles.services import publisher_logo_set
from desk.twofactor import recovery_codes_replace, totp_device_start
from ingest.models import Attachment, ImportRecord, LegacyAddress
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_edition,
    make_section,
    make_staff,
    make_subscriber,
)
from tests.images.factories import make_image
from tests.urlconf import all_routes

pytestmark = pytest.mark.django_db

FORGED = {
    "headline": "Forged",
    "status": "published",
    "name": "Forged",
    "email": "forged@example.com",
    "username": "forged",
    "is_superuser": "on",
    "is_staff": "on",
    "post": "yes",
}


@pytest.fixture
def one_of_everything(editor):
    """An object of every model the admin manages, and an article revision to roll back to."""
    with reversion.create_revision():
        article = make_article(section=make_section(), authors=[make_author()], tags=["Energy"])
    make_comment(article, status="pending")
    record = ImportRecord.objects.create(key="text:x.txt", article=article, format="text")
    LegacyAddress.objects.create(path="/?p=1", article=article)
    Attachment.objects.create(key="wxr:x#1", record=record, url="https://example.com/a.jpg")
    make_subscriber()
    make_edition(articles=[article])
    publisher_logo_set(logo=make_image())
    PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="We check facts.")
    attempt = {"username": "ana", "ip_address": "203.0.113.1", "user_agent": "x"}
    AccessAttempt.objects.create(failures_since_start=5, **attempt)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt, locked_out=True)
    recovery_codes_replace(user=editor)  # a static device
    totp_device_start(user=editor)
    assert Tag.objects.exists() and Group.objects.exists()
    return {"article": article, "version": Version.objects.get_for_object(article).first()}


def snapshot():
    """Every row of every table but the sessions, which a request may rightly touch."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label != "sessions"
    }


def admin_requests(one_of_everything):
    """(model or None, url, data) for a POST to every named admin route, and one per action."""
    article, version = one_of_everything["article"], one_of_everything["version"]
    positional = {
        "admin:articles_article_revision": [article.pk, version.pk],
        "admin:articles_article_recover": [version.pk],
    }
    superuser = RequestFactory().get("/")
    superuser.user = get_user_model().objects.get(username="editor")
    requests = []
    for route in all_routes():
        if not (route.is_admin and route.name) or route.name == "admin:logout":
            continue
        model = model_of(route)
        if route.name in positional:
            url = reverse(route.name, args=positional[route.name])
        else:
            pk = model.objects.order_by("pk").values_list("pk", flat=True).first() if model else 1
            url = route.url(object_id=pk, app_label="articles", content_type_id=1)
        requests.append((model, url, FORGED))
        if route.name.endswith("_changelist"):
            pks = [str(pk) for pk in model.objects.values_list("pk", flat=True)]
            for action in admin.site._registry[model].get_actions(superuser):
                data = {"action": action, "_selected_action": pks, "post": "yes"}
                requests.append((model, url, data))
    return requests


def model_of(route):
    """The model an admin route belongs to, from its name (admin:<app>_<model>_<view>)."""
    for model in admin.site._registry:
        if route.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def forged_posts(client, requests):
    """POST each request; asserts nothing changed and nothing failed; returns the statuses."""
    before = snapshot()
    statuses = [
        (model, url, data, client.post(url, data).status_code) for model, url, data in requests
    ]
    assert snapshot() == before
    assert [row for row in statuses if row[3] >= 500] == []
    return statuses


def test_the_battery_covers_every_model_and_action(one_of_everything):
    requests = admin_requests(one_of_everything)
    actions = {data["action"] for _, _, data in requests if "action" in data}
    assert {"delete_selected", "publish_selected", "approve_selected", "mark_bounced"} <= actions
    assert {model for model, _, _ in requests} >= set(admin.site._registry)


def test_visitors_forged_posts_change_nothing(one_of_everything):
    statuses = forged_posts(Client(), admin_requests(one_of_everything))
    login = reverse("admin:login")
    assert [row for row in statuses if row[1] != login and row[3] != 302] == []


def test_staff_without_permissions_forged_posts_are_refused(one_of_everything):
    client = Client()
    client.force_login(get_user_model().objects.create_user("nobody", is_staff=True))
    # Every staff member may change their own byline (tests/desk/test_bylines.py): not a forgery.
    own_byline = reverse("admin:my_byline")
    requests = [row for row in admin_requests(one_of_everything) if row[1] != own_byline]
    statuses = forged_posts(client, requests)
    assert [row for row in statuses if row[0] is not None and row[3] != 403] == []


def test_writers_forged_posts_outside_the_articles_change_nothing(one_of_everything):
    client = Client()
    client.force_login(make_staff("writer"))
    # Writers may add and change articles: tests/articles/test_permissions.py covers those.
    requests = [
        (model, url, data)
        for model, url, data in admin_requests(one_of_everything)
        if model not in {Article, None}
    ]
    statuses = forged_posts(client, requests)
    refused = [row for row in statuses if row[3] == 403]
    assert len(refused) > len(statuses) / 2
