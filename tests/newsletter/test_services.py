
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter.models import Delivery, Edition, Subscriber
from newsletter.services import (
    edition_queue_send,
    edition_send_test,
    subscriber_confirm,
    subscriber_mark_bounced_by_email,
    subscriber_signup,
    subscriber_unsubscribe,
)
from tests.concurrency import at_once, races_on_postgres
from tests.factories import make_article, make_edition, make_subscriber
from tests.newsletter.conftest import recipients

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}




# Signing up, confirming, leaving


def test_signup_creates_a_pending_subscriber_and_sends_one_confirmation(mailoutbox):
    article = make_article()
    subscriber = subscriber_signup(
        email="Ana@Example.com", name="Ana", source="article", source_article=article
    )
    assert (subscriber.email, subscriber.status) == ("ana@example.com", "pending")
    assert (subscriber.source, subscriber.source_article) == ("article", article)
    assert [message.to for message in mailoutbox] == [["ana@example.com"]]
    assert "/newsletter/confirm/" in mailoutbox[0].body


def test_signing_up_again_while_pending_resends_but_not_endlessly(mailoutbox):
    for _ in range(5):
        subscriber_signup(email="ana@example.com")
    assert Subscriber.objects.count() == 1
    assert len(mailoutbox) == 3


def test_signing_up_again_when_confirmed_changes_nothing_and_sends_nothing(mailoutbox):
    subscriber = make_subscriber(email="ana@example.com", name="Ana")
    subscriber_signup(email="ANA@example.com", name="Mallory")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.name) == ("confirmed", "Ana")
    assert mailoutbox == []


def test_signing_up_after_unsubscribing_asks_for_confirmation_again(mailoutbox):
    subscriber = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    subscriber_signup(email=subscriber.email)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mailoutbox) == 1


def test_bounced_address_is_never_mailed_even_on_signup(mailoutbox):
    subscriber = make_subscriber(status=Subscriber.Status.BOUNCED)
    subscriber_signup(email=subscriber.email)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_break_the_signup(flaky, caplog):
    flaky.fail_on = 1
    subscriber = subscriber_signup(email="ana@example.com")
    assert subscriber.status == Subscriber.Status.PENDING
    assert "Could not send the newsletter confirmation" in caplog.text


def test_confirm_confirms_a_pending_subscriber_once():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    assert subscriber_confirm(subscriber=subscriber) is True
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at
    assert subscriber_confirm(subscriber=subscriber) is False


def test_confirm_does_not_resubscribe_someone_who_left():
    subscriber = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    assert subscriber_confirm(subscriber=subscriber) is False
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribe_is_immediate_and_idempotent():
    subscriber = make_subscriber()
    assert subscriber_unsubscribe(subscriber=subscriber) is True
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert subscriber_unsubscribe(subscriber=subscriber) is False


def test_unsubscribing_a_bounced_address_keeps_it_bounced():
    subscriber = make_subscriber(status=Subscriber.Status.BOUNCED)
    subscriber_unsubscribe(subscriber=subscriber)
    assert subscriber.status == Subscriber.Status.BOUNCED


def test_mark_bounced_by_email_counts_changed_already_and_unknown():
    make_subscriber(email="a@example.com")
    make_subscriber(email="b@example.com", status=Subscriber.Status.BOUNCED)
    emails = ["A@example.com", "b@example.com", "nobody@example.com", "", "a@example.com"]
    assert subscriber_mark_bounced_by_email(emails=emails, dry_run=True) == {
        "bounced": 1, "already": 1, "unknown": 1,
    }  # fmt: skip
    assert Subscriber.objects.get(email="a@example.com").status == "confirmed"
    subscriber_mark_bounced_by_email(emails=emails)
    a = Subscriber.objects.get(email="a@example.com")
    assert a.status == Subscriber.Status.BOUNCED and a.bounced_at


# Editors' actions


def test_queueing_a_draft_marks_it_sending_and_enqueues_the_task(
    settings, editor, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    make_subscriber()
    edition = make_edition(articles=[make_article()])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edition_queue_send(edition=edition, user=editor)
    assert len(callbacks) == 1
    edition.refresh_from_db()
    assert (edition.status, edition.queued_by) == (Edition.Status.SENDING, editor)
    assert mailoutbox == []  # queued, not sent in the request


def test_with_the_immediate_task_backend_queueing_sends(
    settings, editor, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    subscriber = make_subscriber()
    edition = make_edition(articles=[make_article()])
    with django_capture_on_commit_callbacks(execute=True):
        edition_queue_send(edition=edition, user=editor)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert recipients(mailoutbox) == {subscriber.email: 1}


def test_an_edition_without_articles_or_already_sent_cannot_be_queued(editor):
    with pytest.raises(ValidationError, match="at least one article"):
        edition_queue_send(edition=make_edition(), user=editor)
    sent = make_edition(
        status=Edition.Status.SENT, queued_at=timezone.now(), sent_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="already been sent"):
        edition_queue_send(edition=sent, user=editor)


def test_send_test_goes_to_the_editor_alone(editor, mailoutbox):
    make_subscriber()
    edition_send_test(edition=make_edition(subject="Weekly"), user=editor)
    assert [(m.to, m.subject) for m in mailoutbox] == [([editor.email], "[Test] Weekly")]
    assert not Delivery.objects.exists()


def test_send_test_explains_when_the_editor_has_no_email(editor, mailoutbox):
    editor.email = ""
    with pytest.raises(ValidationError, match="no email address"):
        edition_send_test(edition=make_edition(), user=editor)
    assert mailoutbox == []


# PostgreSQL: real concurrency


def postgres_only(test):
    for mark in races_on_postgres("sending and signing up"):
        test = mark(test)
    return test


def run_in_threads(count, function):
    at_once(*[function] * count, timeout=60)


@postgres_only
def test_twenty_simultaneous_signups_of_one_address_leave_one_row(mailoutbox):
    run_in_threads(20, lambda: subscriber_signup(email="Same@Example.com"))
    assert Subscriber.objects.filter(email="same@example.com").count() == 1
    assert 1 <= len(mailoutbox) <= 3
