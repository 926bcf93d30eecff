"""Library writes: files and rows move together, and a refusal stores nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.tasks import default_task_backend
from django.test import override_settings

from images.models import Image, Rendition
from images.services import (
    image_create,
    image_delete,
    image_save,
    rendition_get,
    renditions_make,
    renditions_prune,
)
from tests.images.conftest import stored_files
from tests.images.factories import image_bytes, make_image, upload

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_upload_is_stored_under_its_hash_with_its_facts(editor):
    image = make_image(upload_file=upload(name="My Harbour!.jpeg", width=300, height=200),
                       created_by=editor)  # fmt: skip
    assert (image.width, image.height, image.format) == (300, 200, "JPEG")
    assert image.file.name == f"images/originals/{image.file_hash[:16]}/My_Harbour.jpg"
    assert stored_files() == [image.file.name]
    assert image.file_size == image.file.size
    assert image.title == "My Harbour"
    assert image.created_by == editor


@override_settings(TASKS=DUMMY_TASKS)
def test_renditions_task_is_enqueued_once_the_upload_is_committed(
    django_capture_on_commit_callbacks,
):
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image()
    [result] = default_task_backend.results
    assert result.task.name == "make_renditions"
    assert result.args == [image.pk]


def test_refused_upload_stores_no_file_and_no_row():
    with pytest.raises(ValidationError):
        image_create(upload=upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), alt_text="x")
    assert stored_files() == []
    assert not Image.objects.exists()


def test_missing_alt_text_stores_no_file_and_no_row():
    with pytest.raises(ValidationError) as caught:
        image_create(upload=upload(), alt_text="")
    assert "alt_text" in caught.value.message_dict
    assert stored_files() == []
    assert not Image.objects.exists()


def test_renditions_are_made_once_for_every_spec():
    image = make_image(upload_file=upload(width=700, height=500))
    made = renditions_make(image=image)
    assert len(made) == len(image.rendition_specs()) == Rendition.objects.count()
    assert renditions_make(image=image) == []
    rendition = Rendition.objects.get(ratio="16:9", format="webp", width=640)
    assert rendition.height == 360
    assert rendition.file.name.startswith(f"images/renditions/{image.pk}/picture-")
    assert rendition.file.name.endswith(f"-16x9-640.{rendition.fingerprint}.webp")
    assert len(stored_files()) == 1 + len(made)


def test_renditions_for_one_ratio_and_format_can_be_made_alone():
    image = make_image(upload_file=upload(width=700, height=500))
    made = renditions_make(image=image, ratios=["1:1"], formats=["jpeg"])
    assert [(r.ratio, r.format, r.width) for r in made] == [("1:1", "jpeg", 320)]


def test_moving_the_focal_point_replaces_only_the_stale_crops(django_capture_on_commit_callbacks):
    image = make_image(upload_file=upload(width=700, height=500))
    renditions_make(image=image)
    before = {r.file.name for r in Rendition.objects.all()}
    image.focal_x = 0.9
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image)
    kept = {r.file.name for r in Rendition.objects.all()}
    assert kept < before
    # 700 x 500 at 16:9 spans the full width already, so only the narrower crops move.
    assert {r.ratio for r in Rendition.objects.all()} == {"original", "16:9"}
    gone = before - kept
    assert not set(stored_files()) & gone
    renditions_make(image=image)
    assert Rendition.objects.filter(ratio="1:1").count() == 3


def test_replacing_the_file_keeps_the_row_and_renews_every_rendition(
    django_capture_on_commit_callbacks,
):
    image = make_image(upload_file=upload(width=700, height=500))
    renditions_make(image=image)
    old_files = set(stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image, upload=upload(image_bytes("PNG", 400, 400), name="new.png"))
    image.refresh_from_db()
    assert Image.objects.get().pk == image.pk
    assert (image.format, image.width, image.height) == ("PNG", 400, 400)
    assert not Rendition.objects.exists()
    assert stored_files() == [image.file.name]
    assert image.file.name not in old_files


def test_refused_replacement_keeps_the_old_file_and_renditions():
    image = make_image()
    renditions_make(image=image)
    files = stored_files()
    with pytest.raises(ValidationError):
        image_save(image=image, upload=upload(b"<html><script>x</script>", name="a.jpg"))
    assert stored_files() == files
    image.refresh_from_db()
    assert image.format == "JPEG"


def test_deleting_an_image_deletes_its_files(django_capture_on_commit_callbacks):
    image = make_image()
    renditions_make(image=image)
    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image)
    assert stored_files() == []
    assert not Rendition.objects.exists()


def test_prune_leaves_current_renditions_alone():
    image = make_image()
    renditions_make(image=image)
    assert renditions_prune(image=image) == 0


def test_single_rendition_is_made_on_demand_at_the_width_asked():
    image = make_image(upload_file=upload(width=1600, height=800))
    card = rendition_get(image=image, ratio="16:9", format="jpeg", min_width=1200)
    assert (card.width, card.height) == (1280, 720)
    assert set(Rendition.objects.values_list("ratio", "format").distinct()) == {("16:9", "jpeg")}


def test_single_rendition_falls_back_to_the_widest_there_is():
    image = make_image(upload_file=upload(width=500, height=500))
    assert rendition_get(image=image, ratio="1:1", min_width=1200).width == 320
    assert rendition_get(image=image, ratio="1:1", max_width=100) is None
