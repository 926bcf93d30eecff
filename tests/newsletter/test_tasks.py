import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone

from newsletter.models import Edition, Subscriber
from newsletter.services import signup_request_create
from newsletter.tasks import record_signup, send_edition
from tests.factories import make_article, make_edition, make_subscriber

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
def test_send_edition_task_sends_and_returns_the_counts(mailoutbox):
    make_subscriber(), make_subscriber(status="unsubscribed")
    edition = make_edition(articles=[make_article()])
    Edition.objects.filter(pk=edition.pk).update(status="sending", queued_at=timezone.now())
    result = send_edition.enqueue(edition.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 1, "skipped": 0, "waiting": 0, "in_doubt": 0}
    assert len(mailoutbox) == 1


@override_settings(TASKS=IMMEDIATE)
def test_send_edition_task_fails_visibly_for_a_draft(mailoutbox):
    make_subscriber()
    result = send_edition.enqueue(make_edition(articles=[make_article()]).pk)
    assert result.status == TaskResultStatus.FAILED
    assert mailoutbox == []


@override_settings(TASKS=IMMEDIATE)
def test_record_signup_task_records_the_signup_and_mails_the_confirmation(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup = signup_request_create(email="ana@example.com", name="Ana")
    assert Subscriber.objects.get().email == "ana@example.com"
    assert [message.to for message in mailoutbox] == [["ana@example.com"]]
    assert record_signup.enqueue(signup.pk).return_value is False  # done already
