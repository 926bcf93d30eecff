"""Newsletter work done outside the request, as tasks of Django's tasks framework: sending an
edition (enqueued from the admin) and recording a reader's signup (enqueued by the signup form)."""

from django.tasks import task

from .models import Edition
from .sending import edition_send
from .signups import signup_request_process


@task
def send_edition(edition_id):
    """Send (or resume sending) an edition; returns the counts of this run."""
    edition = Edition.objects.get(pk=edition_id)
    return edition_send(edition=edition).as_dict()


@task
def record_signup(signup_request_id):
    """Record a signup sent from the site and mail its confirmation; False if already done."""
    return signup_request_process(signup_request_id=signup_request_id)
