"""Settings errors: each bad value stops start-up with one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORT"))
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "k", "DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": "k", "PORT": "eighty"}, "PORT"),
        ({"DJANGO_SECRET_KEY": "k", "PORT": "70000"}, "PORT"),
        ({"DJANGO_SECRET_KEY": "k", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DJANGO_SECRET_KEY": "k", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
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


def page_cache_seconds(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "NEWSROOM_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c",
         "from django.conf import settings; print(settings.NEWSROOM_PAGE_CACHE_SECONDS)"],
        cwd=ROOT, env={**base, "DJANGO_SECRET_KEY": "k", **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return int(result.stdout.strip())


def test_pages_are_cached_in_production_only_with_a_cache_all_processes_share():
    assert page_cache_seconds() == 0
    assert page_cache_seconds(REDIS_URL="redis://127.0.0.1:6379/0") == 300
    assert page_cache_seconds(DJANGO_DEBUG="1") == 300
    assert page_cache_seconds(NEWSROOM_PAGE_CACHE_SECONDS="60") == 60
