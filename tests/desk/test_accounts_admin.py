"""Accounts in the admin are the editor-in-chief's, short of making anyone a superuser."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.admin_forms import form_data
from tests.conftest import logged_in
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    return make_staff("editor-in-chief")


def test_the_chief_edits_a_writers_account_but_cannot_make_anyone_a_superuser(chief):
    writer = make_staff("writer")
    client = logged_in(chief)
    url = reverse("admin:auth_user_change", args=[writer.pk])
    data = form_data(client.get(url), "user_form")
    data.update(first_name="Ana", is_superuser="on")
    assert client.post(url, data).status_code == 302
    writer.refresh_from_db()
    assert writer.first_name == "Ana" and not writer.is_superuser
    client.post(reverse("admin:auth_user_change", args=[chief.pk]), {**data, "is_superuser": "on"})
    chief.refresh_from_db()
    assert not chief.is_superuser


def test_the_chief_cannot_take_over_a_superusers_account(chief):
    boss = get_user_model().objects.create_superuser("boss", "b@example.com", "pw-long-enough-1")
    client = logged_in(chief)
    password = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = client.post(password, {"password1": "taken-over-1", "password2": "taken-over-1"})
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password("pw-long-enough-1")
    delete = reverse("admin:auth_user_delete", args=[boss.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_editors_do_not_see_accounts(desk_editor_client):
    assert desk_editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
