"""How an edition is sent, and why nobody gets it twice
----------------------------------------------------
1. Plan (once per edition): one Delivery row per confirmed subscriber, under a unique
   (edition, subscriber) constraint, so no later run can add a second one.
2. Claim a batch: in one transaction, lock waiting rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
   so parallel runs take different rows), skip those whose subscriber left or bounced meanwhile,
   and mark the rest *sending*. The transaction commits before any email goes out.
3. Send the batch over one mail connection, one message at a time, noting which went out.
4. Record: sent rows become *sent*; rows not yet tried, and the one whose send raised,
   go back to *waiting* for the next run (the backend said it did not send them).

The guarantee is at-most-once. A run that dies without running Python's cleanup (killed,
power cut) between steps 2 and 4 leaves its batch *sending*: those emails may or may not have
left, and no run retries them; they are counted as "in doubt" for an editor to see. Retrying
them instead (at-least-once) would send some readers the same edition twice, which the
newsletter promises never to do. Any exception, including Ctrl-C, goes through step 4.
"""

import logging
from dataclasses import asdict, dataclass
from itertools import batched

from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .emails import EditionEmail, unsubscribe_url
from .models import Delivery, Edition, Subscriber

logger = logging.getLogger(__name__)

MAILER = "default"


@dataclass
class SendCounts:
    sent: int = 0
    skipped: int = 0
    waiting: int = 0
    in_doubt: int = 0

    def as_dict(self):
        return asdict(self)


class EditionSendInterrupted(Exception):
    """The mail backend failed mid-batch; what went out is recorded and a re-run resumes."""

    def __init__(self, counts):
        super().__init__(f"Sending stopped after {counts.sent} emails.")
        self.counts = counts


def edition_send(*, edition, batch_size=500, dry_run=False, on_batch=None):
    """Send a queued edition to every confirmed subscriber who has not had it yet.

    Safe to run again at any time, and in parallel on PostgreSQL: see this module's docstring.
    `on_batch(edition)` is called after each batch with the edition's updated counts.
    """
    started = timezone.now()
    edition = Edition.objects.get(pk=edition.pk)
    if edition.status == Edition.Status.DRAFT:
        raise ValidationError(f"“{edition}” is a draft: send it from the admin first.")
    if dry_run:
        return SendCounts(waiting=_waiting_recipients(edition).count())
    counts = SendCounts()
    if edition.status == Edition.Status.SENT:
        return counts

    _plan_deliveries(edition)
    email = EditionEmail(edition)
    while True:
        claimed, skipped = _claim_batch(edition, batch_size)
        if not claimed and not skipped:
            break
        sent, error = _deliver_batch(email, claimed) if claimed else ([], None)
        _record_batch(edition, claimed, sent)
        counts.sent += len(sent)
        counts.skipped += skipped
        if on_batch:
            edition.refresh_from_db(fields=["sent_count", "skipped_count", "recipient_count"])
            on_batch(edition)
        if error is not None:
            if not isinstance(error, Exception):  # Ctrl-C, SystemExit: stop as asked
                raise error
            counts.waiting = _waiting_recipients(edition).count()
            raise EditionSendInterrupted(counts) from error

    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if not edition.deliveries.filter(status=Delivery.Status.PENDING).exists():
            edition.status = Edition.Status.SENT
            edition.sent_at = timezone.now()
            edition.save(update_fields=["status", "sent_at"])
    # Rows claimed since this run began belong to a parallel run that is still going.
    counts.in_doubt = edition.in_doubt_count(claimed_before=started)
    if counts.in_doubt:
        logger.warning(
            "Edition %s: %d deliveries were claimed by a run that did not record the outcome; "
            "they are not retried.",
            edition.pk,
            counts.in_doubt,
        )
    return counts


def _waiting_recipients(edition):
    """Confirmed subscribers the edition would still go to."""
    confirmed = Subscriber.objects.confirmed()
    if edition.planned_at is None:
        return confirmed
    return confirmed.filter(deliveries__edition=edition, deliveries__status=Delivery.Status.PENDING)


def _plan_deliveries(edition, chunk_size=2000):
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.planned_at is not None:
            return
        recipients = (
            Subscriber.objects.confirmed()
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=chunk_size)
        )
        total = 0
        for chunk in batched(recipients, chunk_size):
            Delivery.objects.bulk_create(
                [Delivery(edition_id=edition.pk, subscriber_id=pk) for pk in chunk],
                ignore_conflicts=True,
            )
            total += len(chunk)
        Edition.objects.filter(pk=edition.pk).update(
            planned_at=timezone.now(), recipient_count=total
        )
    edition.refresh_from_db()


def _claim_batch(edition, batch_size):
    """Claim up to `batch_size` waiting deliveries.

    Returns the claimed (delivery pk, subscriber pk, email) and how many were skipped.
    """
    with transaction.atomic():
        rows = list(
            Delivery.objects.filter(edition=edition, status=Delivery.Status.PENDING)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__status")[
                :batch_size
            ]
        )
        # Re-checked here, at claim time: a reader who left after the send began is skipped.
        confirmed = Subscriber.Status.CONFIRMED
        gone = [pk for pk, _, _, status in rows if status != confirmed]
        claimed = [
            (pk, subscriber, email) for pk, subscriber, email, status in rows if status == confirmed
        ]
        if gone:
            Delivery.objects.filter(pk__in=gone).update(status=Delivery.Status.SKIPPED)
            Edition.objects.filter(pk=edition.pk).update(
                skipped_count=F("skipped_count") + len(gone)
            )
        if claimed:
            Delivery.objects.filter(pk__in=[pk for pk, _, _ in claimed]).update(
                status=Delivery.Status.SENDING, claimed_at=timezone.now()
            )
    return claimed, len(gone)


def _deliver_batch(email, claimed):
    """Send over one connection; returns the pks that went out and the error that stopped it."""
    sent, error = [], None
    try:
        with mailers[MAILER] as connection:
            for pk, subscriber_pk, address in claimed:
                message = email.message(address, unsubscribe_url(subscriber_pk))
                connection.send_messages([message])
                sent.append(pk)
    except BaseException as exc:  # noqa: B036 - recorded below, then re-raised by the caller
        error = exc
    return sent, error


def _record_batch(edition, claimed, sent):
    sent_set = set(sent)
    unsent = [pk for pk, _, _ in claimed if pk not in sent_set]
    with transaction.atomic():
        if sent:
            Delivery.objects.filter(pk__in=sent).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            Edition.objects.filter(pk=edition.pk).update(sent_count=F("sent_count") + len(sent))
        if unsent:
            Delivery.objects.filter(pk__in=unsent).update(
                status=Delivery.Status.PENDING, claimed_at=None
            )
