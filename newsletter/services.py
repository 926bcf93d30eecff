"""Newsletter writes with side effects: signing up, confirming, leaving, bouncing, and queueing
an edition (sending.py sends it)."""

import logging
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from throttle import RateLimit

from .emails import EditionEmail, absolute_url, confirmation_message
from .models import Edition, Subscriber, normalise_email, normalise_name
from .sending import MAILER
from .tasks import send_edition

logger = logging.getLogger(__name__)




def subscriber_signup(*, email, name="", source=Subscriber.Source.PAGE, source_article=None):
    """Record a signup and ask the reader to confirm it by email.

    Whatever state the address is in, the caller sees the same outcome: a new or pending
    address is sent a confirmation link, an unsubscribed one is pending again and is sent one,
    a confirmed one is left alone, and a bounced one is never mailed.
    """
    email = normalise_email(email)
    # get_or_create re-reads the row when a parallel signup wins the unique constraint. Only a
    # new address takes the name and source given: anyone may type any address, so a signup
    # never changes what an existing subscriber's row says.
    subscriber, _ = Subscriber.objects.get_or_create(
        email=email,
        defaults={
            "name": normalise_name(name),
            "source": source,
            "source_article": source_article,
        },
    )
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.UNSUBSCRIBED).update(
            status=Subscriber.Status.PENDING
        )
        subscriber.status = Subscriber.Status.PENDING
    # However often an address is entered, it gets at most so many confirmation requests.
    limit = RateLimit.from_settings("newsletter-confirmation", "NEWSROOM_NEWSLETTER_CONFIRMATION")
    if subscriber.status == Subscriber.Status.PENDING and limit.hit(f"email:{email}"):
        subscriber_send_confirmation(subscriber=subscriber)
    return subscriber


def subscriber_send_confirmation(*, subscriber):
    try:
        confirmation_message(subscriber).send(using=MAILER)
    except Exception:
        # The reader sees the usual page and can sign up again; the failure is for the logs.
        logger.exception(
            "Could not send the newsletter confirmation to subscriber %s", subscriber.pk
        )
        return False
    return True


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
