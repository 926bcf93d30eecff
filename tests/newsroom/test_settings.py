"""Settings: each bad value stops start-up with one line naming the variable, and production
mode (debug off) is secure without any further setting.

These run `manage.py` in a subprocess with a clean environment, since the suite's own settings
are loaded once and tests/conftest.py turns the HTTPS redirect and secure cookies off for it.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
    "NEWSROOM_SITE_URL": "https://news.example.com",
    "DEFAULT_FROM_EMAIL": "Newsroom <newsroom@news.example.com>",
}
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}, default=str))
"""


def run(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORT", "NEWSROOM_"))
    }
    base.update(env)
    return subprocess.run(  # noqa: S603 -- the arguments are this file's own
        [sys.executable, *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_check(**env):
    return run("manage.py", "check", **env)


def production_settings(*names, **env):
    """The values of settings `names` in a fresh process with the production environment."""
    code = PRINT_SETTINGS.format(names=names)
    result = run("-c", code, DJANGO_SETTINGS_MODULE="newsroom.settings", **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "k", "DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": "k", "PORT": "eighty"}, "PORT"),
        ({"DJANGO_SECRET_KEY": "k", "PORT": "70000"}, "PORT"),
        ({"DJANGO_SECRET_KEY": "k", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DJANGO_SECRET_KEY": "k", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        (
            {
                "DJANGO_SECRET_KEY": "k",
                "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom",
                "DJANGO_DB_PREPARED_STATEMENTS": "sometimes",
            },
            "DJANGO_DB_PREPARED_STATEMENTS",
        ),
        ({"DJANGO_SECRET_KEY": "k", "DJANGO_ADMIN_URL": "/admin"}, "DJANGO_ADMIN_URL"),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_SECURE_SSL_REDIRECT": "nah"},
            "DJANGO_SECURE_SSL_REDIRECT",
        ),
    ],
)
def test_bad_environment_gives_one_line_naming_the_variable(env, variable):
    result = run_check(**env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error:")
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_run_without_secret_key_starts():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_safe(settings):
    assert settings.SECRET_KEY
    assert "*" not in settings.ALLOWED_HOSTS


def test_deploy_check_passes_in_production_mode_with_nothing_silenced():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_turns_https_on():
    values = production_settings(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        # Trusting X-Forwarded-Proto without a proxy that sets it would let clients fake HTTPS.
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }


def test_proxy_ssl_header_is_trusted_only_when_switched_on():
    values = production_settings("SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_ssl_redirect_can_be_switched_off_for_a_local_run_over_http():
    values = production_settings(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
    }


def test_debug_mode_leaves_https_off_for_local_development():
    values = production_settings(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", DJANGO_DEBUG="1"
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_admin_address_comes_from_the_environment():
    code = (
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))"
    )
    result = run(
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_ADMIN_URL="desk-7f3a/",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/desk-7f3a/"


def page_cache_seconds(**env):
    code = "from django.conf import settings; print(settings.NEWSROOM_PAGE_CACHE_SECONDS)"
    result = run("manage.py", "shell", "-v0", "-c", code, DJANGO_SECRET_KEY="k", **env)
    return int(result.stdout.strip())


def test_pages_are_cached_in_production_only_with_a_cache_all_processes_share():
    assert page_cache_seconds() == 0
    assert page_cache_seconds(REDIS_URL="redis://127.0.0.1:6379/0") == 300
    assert page_cache_seconds(DJANGO_DEBUG="1") == 300
    assert page_cache_seconds(NEWSROOM_PAGE_CACHE_SECONDS="60") == 60


def test_pictures_may_come_from_the_media_buckets_address_and_no_other():
    values = production_settings(
        "SECURE_CSP",
        NEWSROOM_MEDIA_S3_BUCKET="newsroom-media",
        NEWSROOM_MEDIA_PUBLIC_URL="https://media.example.com/pictures/",
    )
    assert values["SECURE_CSP"]["img-src"] == ["'self'", "https://media.example.com"]
