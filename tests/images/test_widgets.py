"""The picture chooser other admin forms use (an article's lead image, the publisher's logo)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from images.widgets import ImageChooser
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def chooser():
    """The widget as the admin makes it, with the form field's choices."""
    field = Article._meta.get_field("lead_image")
    return field.formfield(widget=ImageChooser(field, admin.site)).widget


def test_chooser_shows_the_chosen_picture_and_how_to_place_it_in_the_text():
    image = make_image(title="Harbour")
    html = chooser().render("lead_image", image.pk)
    assert f'<option value="{image.pk}" selected>Harbour</option>' in html
    thumbnail = reverse("admin:images_image_thumbnail", args=[image.pk])
    assert f'<img class="image-chooser-preview" src="{thumbnail}"' in html
    assert f"![[image:<span class=\"image-chooser-id\">{image.pk}</span>]]" in html
    assert f'data-upload-url="{reverse("admin:images_image_upload")}"' in html


def test_chooser_without_a_picture_hides_the_preview_and_keeps_the_drop_zone_for_scripts():
    html = chooser().render("lead_image", None)
    assert '<div class="image-chooser-chosen" hidden>' in html
    # An <img> must have an address: chooser.js adds the preview once a picture is chosen.
    assert "<img" not in html
    # Without JavaScript the drop zone would do nothing, so it is shown only by chooser.js.
    assert '<div class="image-chooser-drop" hidden>' in html
    # Its fields have no name: they are never sent with the article's form.
    drop = html.split('<div class="image-chooser-drop" hidden>')[1]
    assert "name=" not in drop
    assert 'accept="image/jpeg,image/png,image/webp,image/avif,image/gif"' in drop


def test_chooser_brings_its_script_after_the_admins_jquery():
    media = str(chooser().media)
    assert media.index("admin/js/jquery.init.js") < media.index("images/chooser.js")
    assert "images/chooser.css" in media
