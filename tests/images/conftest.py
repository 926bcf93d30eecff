"""Picture-library test helpers: a fresh in-memory media storage for every test."""

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings


@pytest.fixture(autouse=True)
def media_storage():
    """An empty media storage of the test's own, so a test can check nothing was stored."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield default_storage


def stored_files(storage=default_storage, path=""):
    """Every file name in the storage, recursively."""
    directories, files = storage.listdir(path)
    names = [f"{path}{name}" for name in files]
    for directory in directories:
        names += stored_files(storage, f"{path}{directory}/")
    return sorted(names)
