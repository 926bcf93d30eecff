"""Sending an edition: each confirmed subscriber gets one copy, whatever fails."""

from collections import Counter
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter.models import Delivery, Edition
from newsletter.sending import EditionSendInterrupted, edition_send
from newsletter.services import subscriber_unsubscribe
from tests.concurrency import at_once, races_on_postgres
from tests.factories import make_article, make_edition, make_subscriber
from tests.newsletter.conftest import recipients

pytestmark = pytest.mark.django_db



def queued_edition(**fields):
    edition = make_edition(articles=[make_article()], **fields)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.SENDING, queued_at=timezone.now()
    )
    edition.refresh_from_db()
    return edition


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
        patch.setattr("newsletter.sending._record_batch", power_cut)
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


# PostgreSQL: real concurrency


def postgres_only(test):
    for mark in races_on_postgres("sending and signing up"):
        test = mark(test)
    return test


def run_in_threads(count, function):
    at_once(*[function] * count, timeout=60)


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
