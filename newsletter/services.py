"""Newsletter writes with side effects: queueing a signup (signups.py records it), confirming,
leaving, bouncing, and queueing an edition (sending.py sends it)."""

from itertools import batched

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .emails import EditionEmail, absolute_url
from .models import Edition, SignupRequest, Subscriber, normalise_email
from .sending import MAILER
from .tasks import record_signup, send_edition


def signup_request_create(*, email, name="", source=Subscriber.Source.PAGE, source_article=None):
    """Queue a reader's signup: stored as typed, then recorded and confirmed by the
    `record_signup` task (or `send_newsletter`, where no task worker runs). The request does
    exactly this whatever state the address is in, so neither its answer nor the time it takes
    tells anyone whether the address is subscribed."""
    signup = SignupRequest.objects.create(
        email=email, name=name, source=source, source_article=source_article
    )
    transaction.on_commit(lambda: record_signup.enqueue(signup.pk))
    return signup


def subscriber_confirm(*, subscriber, now=None):
    """Confirm a pending subscriber; True when this call confirmed it."""
    changed = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
        status=Subscriber.Status.CONFIRMED, confirmed_at=now or timezone.now()
    )
    subscriber.refresh_from_db()
    return bool(changed)


def subscriber_unsubscribe(*, subscriber, now=None):
    """Stop all mail to this subscriber at once. Idempotent; True when this call changed it."""
    changed = Subscriber.objects.filter(
        pk=subscriber.pk,
        status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED],
    ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now or timezone.now())
    subscriber.refresh_from_db()
    return bool(changed)


def subscriber_mark_bounced(*, subscribers, now=None):
    """Mark these subscribers bounced: they are never mailed again. Returns how many changed."""
    return subscribers.exclude(status=Subscriber.Status.BOUNCED).update(
        status=Subscriber.Status.BOUNCED, bounced_at=now or timezone.now()
    )


def subscriber_mark_bounced_by_email(*, emails, dry_run=False, chunk_size=1000):
    """Mark bounced the subscribers with these addresses (any case, blank lines ignored).

    Returns counts: bounced (changed now), already (bounced before) and unknown (no subscriber).
    """
    counts = {"bounced": 0, "already": 0, "unknown": 0}
    addresses = {normalise_email(email) for email in emails if email.strip()}
    with transaction.atomic():
        for chunk in batched(sorted(addresses), chunk_size):
            found = Subscriber.objects.filter(email__in=chunk)
            matched = found.count()
            changed = (
                found.exclude(status=Subscriber.Status.BOUNCED).count()
                if dry_run
                else subscriber_mark_bounced(subscribers=found)
            )
            counts["bounced"] += changed
            counts["already"] += matched - changed
            counts["unknown"] += len(chunk) - matched
    return counts


def edition_send_test(*, edition, user):
    """Send the edition to the editor alone, marked [Test]; its unsubscribe link is inert."""
    if not user.email:
        raise ValidationError(
            "Your account has no email address. Add one under your user details, then try again."
        )
    message = EditionEmail(edition, test=True).message(
        user.email, absolute_url(reverse("newsletter:signup")), list_headers=False
    )
    message.send(using=MAILER)


def edition_queue_send(*, edition, user, now=None):
    """Start sending an edition outside the request, through the tasks framework.

    A draft becomes Sending; an edition already Sending (say, its worker died) is resumed.
    """
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.status == Edition.Status.SENT:
            raise ValidationError("This edition has already been sent.")
        if edition.status == Edition.Status.DRAFT:
            if not edition.items.exists():
                raise ValidationError("Add at least one article before sending.")
            edition.status = Edition.Status.SENDING
            edition.queued_at = now or timezone.now()
            edition.queued_by = user
            edition.save(update_fields=["status", "queued_at", "queued_by"])
        transaction.on_commit(lambda: send_edition.enqueue(edition.pk))
    return edition
