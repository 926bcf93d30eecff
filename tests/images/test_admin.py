"""The picture library in the admin: upload, refusals that store nothing, focal point, uses."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from images import usage
from images.models import Image, Rendition
from images.services import renditions_make
from tests.images.conftest import stored_files
from tests.images.factories import image_bytes, make_image, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:images_image_add")
CHANGELIST = reverse("admin:images_image_changelist")


def form(**changes):
    data = {"title": "", "alt_text": "Boats in the harbour", "caption": "", "credit": "",
            "focal_x": "0.5", "focal_y": "0.5"}  # fmt: skip
    data.update(changes)
    return data


def change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


def test_editor_uploads_a_photo_with_a_focal_point(editor_client, editor):
    response = editor_client.post(
        ADD,
        form(upload=upload(image_bytes("JPEG", 1200, 800), name="Harbour.JPG"),
             focal_x="0.25", focal_y="0.4", credit="Ana Silva"),
    )  # fmt: skip
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.title, image.width, image.focal_x, image.credit) == ("Harbour", 1200, 0.25,
                                                                       "Ana Silva")  # fmt: skip
    assert image.created_by == editor
    assert stored_files() == [image.file.name]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.png", "SVG files are not accepted"),
        (image_bytes("GIF", comment=b"<script>alert(1)</script>"), "a.gif", "script code"),
        (b"%PDF-1.7 not a picture", "a.jpg", "not a picture in a format we accept"),
    ],
)
def test_refused_upload_is_a_form_error_and_stores_nothing(editor_client, data, name, message):
    response = editor_client.post(ADD, form(upload=upload(data, name=name)))
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["upload"])
    assert not Image.objects.exists()
    assert stored_files() == []


def test_upload_over_the_byte_cap_is_a_form_error(editor_client, settings):
    settings.NEWSROOM_IMAGES_MAX_BYTES = 2048
    response = editor_client.post(ADD, form(upload=upload()))
    assert "images may be at most" in str(response.context["adminform"].form.errors)
    assert stored_files() == []


def test_missing_alt_text_is_a_form_error_and_stores_nothing(editor_client):
    response = editor_client.post(ADD, form(upload=upload(), alt_text=""))
    assert "Describe the picture" in str(response.context["adminform"].form.errors)
    assert stored_files() == [] and not Image.objects.exists()


def test_decorative_image_needs_no_alt_text(editor_client):
    response = editor_client.post(ADD, form(upload=upload(), alt_text="", decorative="on"))
    assert response.status_code == 302
    assert Image.objects.get().alt == ""


def test_new_image_needs_a_file(editor_client):
    response = editor_client.post(ADD, form())
    assert "This field is required." in response.context["adminform"].form.errors["upload"]


def test_change_form_shows_a_clickable_preview_and_the_script_as_a_file(editor_client):
    image = make_image(upload_file=upload(width=1200, height=800))
    html = editor_client.get(change_url(image)).content.decode()
    assert re.search(r'<div class="focal-point" data-focal-x="0.5" data-focal-y="0.5">'
                     r'<img class="focal-point-image" src="/media/images/renditions/[^"]+-960\.'
                     r'\w{16}\.jpg" width="960" height="640"', html)  # fmt: skip
    assert '<script src="/static/images/focal-point.js"></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html.replace(
        '<script type="application/json"', ""))  # fmt: skip
    assert 'name="focal_x"' in html and 'type="number"' in html


def test_moving_the_focal_point_in_the_admin_renews_the_crops(
    editor_client, django_capture_on_commit_callbacks
):
    image = make_image(upload_file=upload(width=1200, height=600))
    renditions_make(image=image)
    square = set(Rendition.objects.filter(ratio="1:1").values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(image), form(focal_x="0.9"))
    assert response.status_code == 302
    assert not Rendition.objects.filter(ratio="1:1").exists()
    assert not square & set(stored_files())
    assert Image.objects.get().pk == image.pk


def test_replacing_the_file_in_the_admin_keeps_the_image(editor_client,
                                                         django_capture_on_commit_callbacks):
    image = make_image()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(image), form(upload=upload(format="PNG")))
    image.refresh_from_db()
    assert image.format == "PNG"
    assert stored_files() == [image.file.name]


def test_deleting_in_the_admin_deletes_the_files(editor_client,
                                                 django_capture_on_commit_callbacks):
    image = make_image()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})
    assert not Image.objects.exists() and stored_files() == []


def test_library_is_searched_and_filtered(editor_client):
    make_image(title="Harbour", credit="Reuters")
    make_image(title="Market", credit="Ana Silva", alt_text="", decorative=True)
    found = editor_client.get(CHANGELIST, {"q": "harbour"}).context["cl"].result_list
    assert [str(i) for i in found] == ["Harbour"]
    decorative = editor_client.get(CHANGELIST, {"decorative__exact": "1"}).context["cl"]
    assert [str(i) for i in decorative.result_list] == ["Market"]
    by_credit = editor_client.get(CHANGELIST, {"credit": "Reuters"}).context["cl"]
    assert [str(i) for i in by_credit.result_list] == ["Harbour"]


@pytest.fixture
def fake_provider():
    calls = []

    def provider(image_ids):
        calls.append(list(image_ids))
        return {image_id: [usage.Use("Lead image of “Harbour reopens”", "/admin/x/")]
                for image_id in image_ids[:1]}  # fmt: skip

    usage.register(provider)
    yield calls
    usage.unregister(provider)


def test_uses_are_listed_on_the_change_form(editor_client, fake_provider):
    image = make_image()
    html = editor_client.get(change_url(image)).content.decode()
    assert '<li><a href="/admin/x/">Lead image of “Harbour reopens”</a></li>' in html


def test_list_asks_each_provider_once_per_page(editor_client, fake_provider):
    images = [make_image() for _ in range(3)]
    response = editor_client.get(CHANGELIST)
    assert len(fake_provider) == 1
    assert sorted(fake_provider[0]) == sorted(i.pk for i in images)
    assert sorted(len(i.uses) for i in response.context["cl"].result_list) == [0, 0, 1]


def test_image_used_nowhere_says_so(editor_client):
    html = editor_client.get(change_url(make_image())).content.decode()
    assert "Not used anywhere yet." in html


# The picture chooser's endpoints (widgets.ImageChooser, chooser.js)

UPLOAD = reverse("admin:images_image_upload")


def test_writer_drops_a_picture_into_the_library_from_another_form(writer_client, writer):
    response = writer_client.post(
        UPLOAD,
        {"upload": upload(name="Quay.jpg"), "alt_text": "The new quay", "credit": "Ana Silva"},
    )
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {"id": image.pk, "text": "Quay"}
    assert (image.alt_text, image.credit, image.created_by) == ("The new quay", "Ana Silva", writer)
    assert stored_files() == [image.file.name]
    assert LogEntry.objects.get().get_edited_object() == image


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"alt_text": ""}, "alt_text", "Describe the picture for readers who cannot see it"),
        ({"upload": upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", name="a.png")},
         "upload", "SVG files are not accepted"),
        ({"upload": ""}, "upload", "This field is required."),
    ],
)  # fmt: skip
def test_a_dropped_picture_without_alt_text_or_refused_stores_nothing(
    editor_client, data, field, message
):
    sent = {"upload": upload(), "alt_text": "A quay", **data}
    response = editor_client.post(UPLOAD, {k: v for k, v in sent.items() if v != ""})
    assert response.status_code == 400
    assert message in " ".join(error["message"] for error in response.json()["errors"][field])
    assert not Image.objects.exists()
    assert stored_files() == []


def test_only_those_who_may_add_pictures_may_drop_them_and_only_by_post(editor_client):
    assert editor_client.get(UPLOAD).status_code == 405
    editor_client.force_login(get_user_model().objects.create_user("nobody", is_staff=True))
    assert editor_client.post(UPLOAD, {"upload": upload(), "alt_text": "A quay"}).status_code == 403
    assert not Image.objects.exists()


def test_thumbnail_sends_the_small_rendition_to_those_who_may_see_the_library(writer_client):
    image = make_image(upload_file=upload(width=1200, height=800))
    url = reverse("admin:images_image_thumbnail", args=[image.pk])
    response = writer_client.get(url)
    assert response.status_code == 302
    thumbnail = Rendition.objects.get(image=image, ratio="original", format="jpeg", width=320)
    assert (response["Location"], thumbnail.width) == (thumbnail.url, 320)
    assert writer_client.get(reverse("admin:images_image_thumbnail", args=[999])).status_code == 404
    writer_client.force_login(get_user_model().objects.create_user("nobody", is_staff=True))
    assert writer_client.get(url).status_code == 403
