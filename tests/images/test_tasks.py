import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings

from images.models import Rendition
from images.tasks import make_renditions
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
def test_task_makes_every_missing_rendition_and_says_how_many():
    image = make_image(upload_file=upload(width=400, height=300))
    result = make_renditions.enqueue(image.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == Rendition.objects.count() == len(image.rendition_specs())


@override_settings(TASKS=IMMEDIATE)
def test_task_for_an_image_deleted_meanwhile_does_nothing():
    assert make_renditions.enqueue(999_999).return_value == 0
