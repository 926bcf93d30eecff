"""Logging in to the admin: where a login lands, and the second step for staff with two-factor
login (TOTP codes from an authenticator app, or single-use recovery codes)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_with_password(role, **fields):
    user = make_staff(role, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, user, *, next_url=None):
    data = {"username": user.get_username(), "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("admin:login"), data)


# Where a login lands


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_login_with_an_unsafe_or_empty_next_lands_on_the_admin_index(next_url):
    """Security finding 13.11: an unsafe `next` sent the editor to /accounts/profile/, a 404."""
    user = staff_with_password("writer")
    client = Client()
    response = log_in(client, user, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_login_with_a_safe_next_lands_there():
    user = staff_with_password("writer")
    target = reverse("admin:articles_article_changelist")
    response = log_in(Client(), user, next_url=target)
    assert response["Location"] == target
