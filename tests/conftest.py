import os

import pytest
from django.test import Client
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings

from tests.factories import browser, make_staff

# No per-example deadline: a busy CI machine is not a failure of the code under test. CI draws
# the same examples every run, so a landing is never blocked by a lucky draw; local runs draw
# new ones each time and keep what failed in .hypothesis/.
hypothesis_settings.register_profile("newsroom", deadline=None, print_blob=True)
hypothesis_settings.register_profile("ci", parent=hypothesis_settings.get_profile("newsroom"),
                                     derandomize=True)  # fmt: skip
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "newsroom")


@pytest.fixture(autouse=True, scope="session")
def plain_static_storage():
    """Pages render {% static %} without a collectstatic manifest in tests."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True, scope="session")
def plain_http():
    """The suite runs with debug off, as in production, but talks plain HTTP to the test server
    and live server; tests/newsroom/test_settings.py checks the HTTPS settings themselves."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def one_request_at_a_time_on_sqlite():
    """The live server's requests, one at a time where its threads share one SQLite connection
    (tests/serial.py); set before the live server makes its handler."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with override_settings(MIDDLEWARE=["tests.serial.OneRequestAtATime", *settings.MIDDLEWARE]):
        yield


@pytest.fixture(autouse=True, scope="session")
def page_cache_on():
    """Tests run in one process, where the local-memory cache is shared like Redis would be.
    Each edge purge is sent once: a second one, a moment later, would land in the next test
    (tests/pagecache/test_edge.py and tests/edge/ test it)."""
    with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=300, NEWSROOM_EDGE_REPURGE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def client():
    return browser()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "correct-horse-9"
    )


@pytest.fixture
def editor_client(client, editor):
    # force_login, not login(): django-axes refuses an authenticate() call without the request.
    client.force_login(editor)
    return client


def pytest_collection_modifyitems(items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer(db):
    return make_staff("writer")


@pytest.fixture
def writer_client(writer):
    return logged_in(writer)


@pytest.fixture
def desk_editor(db):
    """An account in the Editors group (not a superuser)."""
    return make_staff("editor")


@pytest.fixture
def desk_editor_client(desk_editor):
    return logged_in(desk_editor)
