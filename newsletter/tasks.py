"""Sending an edition as a task of Django's tasks framework, enqueued from the admin."""

from django.tasks import task

from .models import Edition
from .sending import edition_send


@task
def send_edition(edition_id):
    """Send (or resume sending) an edition; returns the counts of this run."""
    edition = Edition.objects.get(pk=edition_id)
    return edition_send(edition=edition).as_dict()
