"""Recording the signups readers send, off the request path: the `record_signup` task runs
`signup_request_process` for each one, and `send_newsletter` runs `signup_request_process_waiting`
for those no task worker took (with the `dummy` task backend, all of them). Here the address's
state decides what happens, where the time it takes is nobody's to see."""

import logging

from django.db import transaction

from throttle import RateLimit

from .emails import confirmation_message
from .models import SignupRequest, Subscriber, normalise_email, normalise_name
from .sending import MAILER

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


def signup_request_process(*, signup_request_id):
    """Record one queued signup and mail its confirmation; False when another run has it, or
    had it. The queued row goes in the same transaction, so a signup is recorded at most once."""
    with transaction.atomic():
        signup = (
            SignupRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=signup_request_id)
            .first()
        )
        if signup is None:
            return False
        subscriber_signup(
            email=signup.email,
            name=signup.name,
            source=signup.source,
            source_article=signup.source_article,
        )
        signup.delete()
    return True


def signup_request_process_waiting(*, dry_run=False):
    """Record every queued signup, oldest first; returns how many (would have) been recorded."""
    waiting = list(SignupRequest.objects.order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(waiting)
    return sum(signup_request_process(signup_request_id=pk) for pk in waiting)
