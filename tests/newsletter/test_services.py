from collections import Counter
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter.models import Delivery, Edition, Subscriber
from newsletter.services import (
    EditionSendInterrupted,
    edition_queue_send,
    edition_send,
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


def queued_edition(**fields):
    edition = make_edition(articles=[make_article()], **fields)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.SENDING, queued_at=timezone.now()
    )
    edition.refresh_from_db()
    return edition


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


# Sending an edition


def test_edition_goes_to_confirmed_subscribers_only(mailoutbox):
    confirmed = [make_subscriber(), make_subscriber()]
    for status in ("pending", "unsubscribed", "bounced"):
        make_subscriber(status=status)
    edition = queued_edition()
    counts = edition_send(edition=edition)
    assert recipients(mailoutbox) == Counter(s.email for s in confirmed)
    assert (counts.sent, counts.skipped, counts.in_doubt) == (2, 0, 0)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_at
    assert (edition.recipient_count, edition.sent_count) == (2, 2)
    assert set(edition.deliveries.values_list("status", flat=True)) == {"sent"}


def test_running_the_send_again_sends_nobody_a_second_copy(mailoutbox):
    make_subscriber(), make_subscriber()
    edition = queued_edition()
    edition_send(edition=edition)
    assert edition_send(edition=edition).sent == 0
    # Even if the edition were put back to Sending, the delivery rows say who has it.
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENDING)
    assert edition_send(edition=edition).sent == 0
    assert len(mailoutbox) == 2


def test_a_send_that_fails_half_way_resumes_and_everyone_gets_exactly_one_copy(flaky):
    subscribers = [make_subscriber() for _ in range(7)]
    edition = queued_edition()
    flaky.fail_on = 5  # the mail server drops the connection on the fifth email
    with pytest.raises(EditionSendInterrupted) as raised:
        edition_send(edition=edition, batch_size=3)
    assert raised.value.counts.sent == 4 and raised.value.counts.waiting == 3
    assert isinstance(raised.value.__cause__, SMTPServerDisconnected)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING and edition.sent_count == 4
    assert len(mail.outbox) == 4

    flaky.fail_on = None
    counts = edition_send(edition=edition, batch_size=3)
    assert counts.sent == 3
    assert recipients(mail.outbox) == Counter({s.email: 1 for s in subscribers})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_count == 7


def test_ctrl_c_mid_batch_records_what_went_out_and_stops(flaky):
    for _ in range(4):
        make_subscriber()
    edition = queued_edition()
    flaky.fail_on, flaky.error = 3, KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        edition_send(edition=edition, batch_size=10)
    statuses = Counter(edition.deliveries.values_list("status", flat=True))
    assert statuses == {"sent": 2, "pending": 2}
    flaky.fail_on = None
    edition_send(edition=edition)
    assert len(mail.outbox) == 4 and len(recipients(mail.outbox)) == 4


def test_subscriber_who_unsubscribes_during_the_send_is_skipped(mailoutbox):
    first, second, leaver, last = (make_subscriber() for _ in range(4))
    edition = queued_edition()

    def leave_after_first_batch(edition):
        subscriber_unsubscribe(subscriber=leaver)

    counts = edition_send(edition=edition, batch_size=2, on_batch=leave_after_first_batch)
    assert set(recipients(mailoutbox)) == {first.email, second.email, last.email}
    assert (counts.sent, counts.skipped) == (3, 1)
    edition.refresh_from_db()
    assert edition.skipped_count == 1
    assert edition.deliveries.get(subscriber=leaver).status == Delivery.Status.SKIPPED


def test_deliveries_claimed_by_a_run_that_died_are_not_sent_again(mailoutbox, monkeypatch):
    """At-most-once: a batch sent but never recorded stays claimed, and is not sent twice."""
    first, second = make_subscriber(), make_subscriber()
    edition = queued_edition()

    def power_cut(*args):
        raise RuntimeError("power cut before the batch was recorded")

    with monkeypatch.context() as patch:
        patch.setattr("newsletter.services._record_batch", power_cut)
        with pytest.raises(RuntimeError):
            edition_send(edition=edition, batch_size=1)
    assert recipients(mailoutbox) == {first.email: 1}

    counts = edition_send(edition=edition, batch_size=1)
    assert recipients(mailoutbox) == {first.email: 1, second.email: 1}
    assert (counts.sent, counts.in_doubt) == (1, 1)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert edition.deliveries.get(subscriber=first).status == Delivery.Status.SENDING


def test_each_batch_goes_over_one_mail_connection(flaky):
    for _ in range(5):
        make_subscriber()
    edition_send(edition=queued_edition(), batch_size=2)
    assert len(mail.outbox) == 5
    assert flaky.connections_opened == 3


def test_subscribers_confirmed_after_the_send_began_are_not_added_mid_send(mailoutbox):
    make_subscriber()
    edition = queued_edition()

    def late_signup(edition):
        make_subscriber(email="late@example.com")

    edition_send(edition=edition, batch_size=1, on_batch=late_signup)
    assert "late@example.com" not in recipients(mailoutbox)


def test_dry_run_counts_recipients_and_changes_nothing(mailoutbox):
    make_subscriber(), make_subscriber(), make_subscriber(status="pending")
    edition = queued_edition()
    assert edition_send(edition=edition, dry_run=True).waiting == 2
    assert mailoutbox == [] and not Delivery.objects.exists()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING


def test_a_draft_is_not_sent_until_an_editor_sends_it(mailoutbox):
    make_subscriber()
    with pytest.raises(ValidationError, match="draft"):
        edition_send(edition=make_edition(articles=[make_article()]))
    assert mailoutbox == []


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


@postgres_only
def test_parallel_sends_of_one_edition_give_each_subscriber_one_copy(mailoutbox):
    subscribers = [make_subscriber() for _ in range(60)]
    edition = queued_edition()
    results = []
    run_in_threads(4, lambda: results.append(edition_send(edition=edition, batch_size=5)))
    assert recipients(mailoutbox) == Counter({s.email: 1 for s in subscribers})
    # A run that finishes first does not mistake the others' batches in flight for lost ones.
    assert [counts.in_doubt for counts in results] == [0, 0, 0, 0]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_count == 60
