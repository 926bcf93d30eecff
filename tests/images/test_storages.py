"""Media storage from the environment: the filesystem, or an S3-compatible bucket."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.test import override_settings

from images.storages import IMMUTABLE, media_storage

BUCKET = {
    "NEWSROOM_MEDIA_S3_BUCKET": "newsroom-media",
    "NEWSROOM_MEDIA_PUBLIC_URL": "https://media.example.com/",
}


def test_filesystem_is_the_default_and_adds_no_origin():
    assert media_storage({}) == (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        None,
    )


def test_bucket_is_served_unsigned_from_its_public_address_and_cached_for_good():
    config, origin = media_storage(
        BUCKET
        | {
            "NEWSROOM_MEDIA_S3_ENDPOINT_URL": "https://s3.eu-central-1.amazonaws.com",
            "NEWSROOM_MEDIA_S3_REGION": "eu-central-1",
        }
    )
    assert origin == "https://media.example.com"
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["custom_domain"] == "media.example.com"
    assert options["querystring_auth"] is False
    assert options["object_parameters"] == {"CacheControl": IMMUTABLE}
    assert options["endpoint_url"] == "https://s3.eu-central-1.amazonaws.com"
    assert options["region_name"] == "eu-central-1"


def test_django_storages_accepts_the_configuration_without_a_network(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    config, _ = media_storage(BUCKET | {"NEWSROOM_MEDIA_PUBLIC_URL": "https://cdn.example.com/m"})
    with override_settings(STORAGES={"default": config}):
        storage = storages["default"]
        assert storage.url("images/renditions/1/a.jpg") == (
            "https://cdn.example.com/m/images/renditions/1/a.jpg"
        )


@pytest.mark.parametrize("public_url", ["", "http://media.example.com", "media.example.com"])
def test_bucket_without_an_https_public_address_stops_start_up_naming_it(public_url):
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_MEDIA_PUBLIC_URL must be"):
        media_storage(BUCKET | {"NEWSROOM_MEDIA_PUBLIC_URL": public_url})


def test_malformed_endpoint_stops_start_up_naming_it():
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_MEDIA_S3_ENDPOINT_URL"):
        media_storage(BUCKET | {"NEWSROOM_MEDIA_S3_ENDPOINT_URL": "s3.amazonaws.com"})
