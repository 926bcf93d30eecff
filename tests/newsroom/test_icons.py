"""The favicon, the Apple touch icon and the web manifest."""

import io
import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from newsroom import icons

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_at_the_root_and_may_be_cached(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    ico = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert ico.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= ico.info["sizes"]


def test_pages_name_their_icons_and_manifest(client):
    html = client.get("/").text
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
    assert '<link rel="manifest" href="/site.webmanifest">' in html


def test_web_manifest_names_the_site_and_icons_that_exist(client):
    response = client.get("/site.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"]) == ("Newsroom", "/")
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            sizes[icon["sizes"]] = Image.open(path).size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_apple_touch_icon_is_180_pixels_square():
    assert Image.open(finders.find("icons/apple-touch-icon.png")).size == (180, 180)


@pytest.mark.parametrize(("path", "sizes"), icons.ICONS, ids=lambda value: str(value)[-20:])
def test_committed_icons_are_what_make_icons_draws(path, sizes):
    committed = Image.open(path)
    if path.suffix == ".ico":
        committed.size = (max(sizes),) * 2
        committed = committed.convert("RGB")
    drawn = icons.draw(max(sizes))
    assert committed.convert("RGB").tobytes() == drawn.tobytes()
