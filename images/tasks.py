"""Renditions are made by a task of Django's tasks framework, enqueued when an image is saved."""

from django.tasks import task

from .models import Image
from .services import renditions_make


@task
def make_renditions(image_id):
    """Make every rendition the image is missing; returns how many were made."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:  # deleted before the task ran
        return 0
    return len(renditions_make(image=image))
