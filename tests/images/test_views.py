"""Media files as readers' browsers get them: type, caching and nothing outside the library."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from images.models import Rendition
from images.services import renditions_make
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"


def test_rendition_is_served_with_its_type_and_cached_for_good(client):
    image = make_image()
    renditions_make(image=image, ratios=["16:9"], formats=["webp"])
    rendition = Rendition.objects.get(width=320)
    assert rendition.url.startswith("/media/images/renditions/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == IMMUTABLE
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == rendition.file.open("rb").read()


def test_original_named_by_its_hash_is_cached_for_good_too(client):
    image = make_image(upload_file=upload(format="PNG"))
    response = client.get(image.file.url)
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == IMMUTABLE


def test_head_request_gets_the_headers(client):
    image = make_image()
    response = client.head(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Length"] == str(image.file_size)
    assert response["Cache-Control"] == IMMUTABLE
    assert response.content == b""


def test_file_without_a_fingerprint_may_be_cached_briefly_only(client):
    default_storage.save("images/plain.jpg", ContentFile(b"\xff\xd8\xff"))
    response = client.get("/media/images/plain.jpg")
    assert response["Cache-Control"] == "public, max-age=300"


def test_stored_file_that_is_not_an_image_is_never_served(client):
    default_storage.save("images/page.html", ContentFile(b"<script>alert(1)</script>"))
    default_storage.save("images/noext", ContentFile(b"<script>alert(1)</script>"))
    assert client.get("/media/images/page.html").status_code == 404
    assert client.get("/media/images/noext").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../newsroom/settings.py",
        "/media/images/../../etc/passwd.jpg",
        "/media/%2e%2e/%2e%2e/etc/passwd.jpg",
        "/media/images/..%2f..%2fsecret.jpg",
        "/media/images/..%5c..%5csecret.jpg",
        "/media//etc/passwd.jpg",
        "/media/.hidden.jpg",
        "/media/images/a.jpg%00.png",
    ],
)
def test_path_outside_the_media_files_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_missing_file_is_not_found(client):
    assert client.get("/media/images/renditions/1/none.0123456789abcdef.jpg").status_code == 404


def test_only_reading_is_allowed(client):
    image = make_image()
    assert client.post(image.file.url).status_code == 405


def test_filesystem_storage_serves_inside_media_root_and_nothing_beside_it(client, tmp_path):
    from django.test import override_settings

    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff secret")
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "media" / "images" / "a.jpg").write_bytes(b"\xff\xd8\xff ok")
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"}}  # fmt: skip
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"default": storage, "staticfiles": static}):
        assert b"".join(client.get("/media/images/a.jpg").streaming_content) == b"\xff\xd8\xff ok"
        assert client.get("/media/../secret.jpg").status_code == 404
        assert client.get("/media/images/../../secret.jpg").status_code == 404
        assert client.get("/media/images").status_code == 404
