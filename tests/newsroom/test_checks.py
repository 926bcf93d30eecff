"""Deployment checks: `check --deploy` refuses a site address or sender on this machine."""

import re

import pytest
from django.test import override_settings

from newsroom.checks import check_sender_addresses, check_site_url
from tests.newsroom.test_settings import PRODUCTION, run


def ids(errors):
    return [error.id for error in errors]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com", []),
        ("https://news.example.com:8443", []),
        ("http://news.example.com", ["newsroom.E001"]),
        ("http://127.0.0.1:8000", ["newsroom.E001", "newsroom.E002"]),
        ("https://127.0.0.1", ["newsroom.E002"]),
        ("https://127.0.1.1", ["newsroom.E002"]),
        ("https://localhost:8000", ["newsroom.E002"]),
        ("https://newsroom.localhost", ["newsroom.E002"]),
        ("https://[::1]:8000", ["newsroom.E002"]),
        ("https://0.0.0.0", ["newsroom.E002"]),
        ("https://newsroom", ["newsroom.E002"]),
    ],
)
def test_site_url_must_be_public_and_https(url, expected):
    with override_settings(NEWSROOM_SITE_URL=url):
        assert ids(check_site_url(None)) == expected


@pytest.mark.parametrize(
    ("sender", "mailbox", "expected"),
    [
        ("Newsroom <newsroom@news.example.com>", "", []),
        ("newsroom@news.example.com", "leave@news.example.com", []),
        ("Newsroom <newsroom@localhost>", "", ["newsroom.E003"]),
        ("newsroom@127.0.0.1", "", ["newsroom.E003"]),
        ("Newsroom <newsroom@news.example.com>", "leave@localhost", ["newsroom.E003"]),
        ("Newsroom", "", ["newsroom.E003"]),
    ],
)
def test_senders_must_be_at_a_real_domain(sender, mailbox, expected):
    with override_settings(
        DEFAULT_FROM_EMAIL=sender, SERVER_EMAIL=sender,
        NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL=mailbox,
    ):  # fmt: skip
        assert ids(check_sender_addresses(None)) == expected


@pytest.mark.parametrize(
    ("env", "error_ids"),
    [
        ({"NEWSROOM_SITE_URL": ""}, ["newsroom.E001", "newsroom.E002"]),  # the default
        ({"NEWSROOM_SITE_URL": "http://news.example.com"}, ["newsroom.E001"]),
        ({"DEFAULT_FROM_EMAIL": ""}, ["newsroom.E003"]),  # the default, @localhost
    ],
)
def test_deploy_check_fails_on_a_local_site_address_or_sender(env, error_ids):
    production = {**PRODUCTION, **env}
    production = {name: value for name, value in production.items() if value}
    result = run("manage.py", "check", "--deploy", **production)
    assert result.returncode == 1, result.stdout
    assert sorted(set(re.findall(r"\((newsroom\.E\d+)\)", result.stderr))) == error_ids


def test_checks_are_for_deployment_only():
    result = run("manage.py", "check", DJANGO_SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert "newsroom.E00" not in result.stdout + result.stderr
