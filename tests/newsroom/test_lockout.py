"""Admin logins: django-axes locks out a username at the client address it failed from, and a
client address across usernames, after repeated failures; the lockout is an admin page with
Retry-After, and editors see and lift it."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import logged_in
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
LIMIT = 5


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff():
    user = make_staff("writer", username="ana")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(username, password, ip="203.0.113.1", **headers):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        headers=headers,
    )
    return client, response


def fail(times, *, username="ana", ip="203.0.113.1", **headers):
    for _ in range(times):
        _, response = log_in(username, "wrong password", ip=ip, **headers)
    return response


def test_right_password_logs_in(staff):
    _, response = log_in("ana", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_failures_below_the_limit_only_show_the_login_form_again(staff):
    response = fail(LIMIT - 1)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    _, response = log_in("ana", PASSWORD)
    assert response.status_code == 302


def test_username_is_locked_out_from_the_address_that_failed_repeatedly(staff):
    fail(LIMIT, ip="198.51.100.7")
    _, response = log_in("ana", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Too many failed logins" in response.text
    assert "paused for 15 minutes" in response.text


def test_failures_from_other_addresses_never_lock_an_editor_out_of_her_own(staff):
    """Security finding 13.5: five failures for a username from anywhere locked it for all."""
    for n in range(LIMIT):
        fail(1, ip=f"198.51.100.{n}")  # a botnet, one try each
    fail(LIMIT * 2, ip="192.0.2.66")  # one attacker, many tries
    _, response = log_in("ana", PASSWORD, ip="192.0.2.77")
    assert response.status_code == 302
    _, response = log_in("ana", PASSWORD, ip="192.0.2.66")
    assert response.status_code == 429


def test_address_is_locked_out_after_failures_across_usernames(staff):
    for n in range(LIMIT):
        fail(1, username=f"guess{n}", ip="203.0.113.9")
    _, response = log_in("ana", PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    _, response = log_in("ana", PASSWORD, ip="203.0.113.10")
    assert response.status_code == 302


@override_settings(NEWSROOM_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_the_one_locked_out(staff):
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        fail(1, username=f"guess{n}", ip=proxy, x_forwarded_for="203.0.113.50")
    _, response = log_in("ana", PASSWORD, ip=proxy, x_forwarded_for="203.0.113.50")
    assert response.status_code == 429
    # Another reader behind the same proxy is not locked out, and a forged leftmost entry
    # does not move the attacker to a fresh address.
    _, response = log_in("ana", PASSWORD, ip=proxy, x_forwarded_for="203.0.113.51")
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="203.0.113.50").exists()
    _, response = log_in("ana", PASSWORD, ip=proxy, x_forwarded_for="1.2.3.4, 203.0.113.50")
    assert response.status_code == 429


def test_successful_login_clears_earlier_failures(staff):
    fail(LIMIT - 1)
    log_in("ana", PASSWORD)
    fail(LIMIT - 1)
    _, response = log_in("ana", PASSWORD)
    assert response.status_code == 302


def test_the_editor_in_chief_sees_the_lockout_and_can_lift_it(staff):
    fail(LIMIT)
    editor = logged_in(make_staff("editor-in-chief"))
    changelist = editor.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "ana" in changelist.text
    attempt = AccessAttempt.objects.get(username="ana")
    response = editor.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    _, response = log_in("ana", PASSWORD)
    assert response.status_code == 302


def test_writers_and_editors_cannot_see_or_lift_lockouts(
    staff, writer_client, desk_editor_client
):
    fail(LIMIT)
    changelist = writer_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 403
    editors = desk_editor_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert editors.status_code == 403
    assert AccessAttempt.objects.filter(username="ana").exists()
