"""The Image and Rendition models: what the database and clean() hold editors to."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from images.models import (
    Image,
    Rendition,
    _rendition_specs,
    original_upload_to,
    prefetch_renditions,
)
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def image_row(**fields):
    values = {
        "file": "images/originals/x/a.jpg", "alt_text": "A harbour", "width": 800,
        "height": 600, "file_size": 1000, "format": "JPEG", "file_hash": "a" * 64,
    }  # fmt: skip
    values.update(fields)
    return Image(**values)


def test_database_refuses_an_image_without_alt_text_unless_decorative():
    with pytest.raises(IntegrityError):
        image_row(alt_text="").save()


def test_decorative_image_needs_no_alt_text():
    image_row(alt_text="", decorative=True).save()
    assert Image.objects.get().alt == ""


@pytest.mark.parametrize(("x", "y"), [(-0.1, 0.5), (0.5, 1.01)])
def test_database_refuses_a_focal_point_outside_the_picture(x, y):
    with pytest.raises(IntegrityError):
        image_row(focal_x=x, focal_y=y).save()


def test_clean_asks_for_alt_text_or_decorative_by_name():
    with pytest.raises(ValidationError) as caught:
        image_row(alt_text="   ").full_clean()
    assert "Describe the picture" in caught.value.message_dict["alt_text"][0]


def test_clean_refuses_alt_text_on_a_decorative_image():
    with pytest.raises(ValidationError) as caught:
        image_row(decorative=True).full_clean()
    assert "A decorative picture has no alt text" in caught.value.message_dict["alt_text"][0]


def test_focal_point_fields_validate_their_range_for_forms():
    with pytest.raises(ValidationError) as caught:
        image_row(focal_x=2).full_clean()
    assert "focal_x" in caught.value.message_dict


def test_original_is_stored_under_its_content_hash():
    assert original_upload_to(image_row(), "a.jpg") == "images/originals/aaaaaaaaaaaaaaaa/a.jpg"


def test_str_is_the_title_or_else_the_file_name():
    assert str(image_row(title="Harbour")) == "Harbour"
    assert str(image_row()) == "a.jpg"


def test_specs_cover_every_ratio_format_and_width_without_upscaling():
    specs = image_row(width=1000, height=1000).rendition_specs()
    assert {(s.ratio, s.width) for s in specs} == {
        (ratio, width) for ratio in ("original", "16:9", "4:3", "1:1") for width in (320, 640, 960)
    }
    assert {s.format for s in specs} == {"avif", "webp", "jpeg"}
    wide = next(s for s in specs if s.ratio == "16:9" and s.width == 640)
    assert (wide.height, wide.box) == (360, (0, 219, 1000, 781))


def test_moving_the_focal_point_renews_the_crops_but_not_the_uncropped_shapes():
    before = {(s.ratio, s.format, s.width): s.fingerprint for s in image_row().rendition_specs()}
    moved = image_row(focal_x=0.1, focal_y=0.9).rendition_specs()
    after = {(s.ratio, s.format, s.width): s.fingerprint for s in moved}
    changed = {key[0] for key in before if before[key] != after[key]}
    # The 800 x 600 picture is 4:3 already: that crop is the whole picture, as the original is.
    assert changed == {"16:9", "1:1"}


def test_a_new_file_renews_every_rendition():
    before = {s.fingerprint for s in image_row().rendition_specs()}
    after = {s.fingerprint for s in image_row(file_hash="b" * 64).rendition_specs()}
    assert not before & after


def test_one_rendition_per_image_spec_and_fingerprint():
    image = image_row()
    image.save()
    fields = {"image": image, "ratio": "1:1", "format": "jpeg", "width": 320, "height": 320,
              "fingerprint": "f" * 16, "file": "x.jpg"}  # fmt: skip
    Rendition.objects.create(**fields)
    with pytest.raises(IntegrityError):
        Rendition.objects.create(**fields)


def test_database_refuses_an_unknown_ratio_or_format():
    image = image_row()
    image.save()
    fields = {"image": image, "width": 320, "height": 320, "fingerprint": "f" * 16, "file": "x"}
    with pytest.raises(IntegrityError):
        Rendition.objects.create(ratio="2:1", format="jpeg", **fields)


def test_library_search_matches_every_word_in_any_text_field():
    make_image(title="Harbour", caption="Boats at dawn", credit="Ana Silva")
    make_image(title="Harbour at night", credit="Reuters")
    assert [i.title for i in Image.objects.search("harbour ana")] == ["Harbour"]
    assert Image.objects.search("reuters").count() == 1


def test_renditions_of_any_number_of_images_cost_one_query(django_assert_num_queries):
    for _ in range(3):
        image = make_image()
        image.renditions.create(ratio="1:1", format="jpeg", width=320, height=320,
                                fingerprint="f" * 16, file="x.jpg")  # fmt: skip
    with django_assert_num_queries(2):
        images = list(Image.objects.with_renditions())
        assert [len(i.renditions.all()) for i in images] == [1, 1, 1]


def test_prefetch_follows_a_relation_to_the_image(django_assert_num_queries):
    image = make_image()
    image.renditions.create(ratio="1:1", format="jpeg", width=320, height=320,
                            fingerprint="f" * 16, file="x.jpg")  # fmt: skip
    with django_assert_num_queries(2):
        rows = list(Rendition.objects.select_related("image").prefetch_related(
            prefetch_renditions("image")))  # fmt: skip
        assert [r.image.renditions.all()[0].width for r in rows] == [320]


def test_specs_are_worked_out_once_per_picture_and_again_when_its_point_or_file_changes(
    monkeypatch,
):
    _rendition_specs.cache_clear()
    hashed = []
    sha256 = hashlib.sha256
    monkeypatch.setattr(hashlib, "sha256", lambda data: hashed.append(1) or sha256(data))
    image = image_row(file_hash="c" * 64)
    first = image.rendition_specs()
    count = len(hashed)
    assert count == len(first)
    assert image_row(file_hash="c" * 64).rendition_specs() == first  # another page, same picture
    assert len(hashed) == count
    moved = image_row(file_hash="c" * 64, focal_x=0.1, focal_y=0.9).rendition_specs()
    assert len(hashed) > count
    assert {s.fingerprint for s in moved} != {s.fingerprint for s in first}
