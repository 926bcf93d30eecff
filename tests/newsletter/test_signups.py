"""Recording queued signups off the request path: once each, oldest first, whoever runs it."""

import pytest

from newsletter.models import SignupRequest, Subscriber
from newsletter.services import signup_request_create
from newsletter.signups import signup_request_process, signup_request_process_waiting
from tests.concurrency import at_once, races_on_postgres
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_queued_signup_is_recorded_with_what_the_reader_typed_and_then_forgotten(mailoutbox):
    article = make_article()
    signup = signup_request_create(
        email="Ana@Example.com", name="Ana\nSilva", source="article", source_article=article
    )
    assert signup_request_process(signup_request_id=signup.pk) is True
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.name, subscriber.status) == (
        "ana@example.com", "Ana Silva", Subscriber.Status.PENDING,
    )  # fmt: skip
    assert subscriber.source_article == article
    assert len(mailoutbox) == 1
    assert not SignupRequest.objects.exists()
    assert signup_request_process(signup_request_id=signup.pk) is False
    assert len(mailoutbox) == 1


def test_waiting_signups_are_recorded_oldest_first(mailoutbox):
    for n in range(3):
        signup_request_create(email=f"reader{n}@example.com")
    assert signup_request_process_waiting(dry_run=True) == 3
    assert mailoutbox == []
    assert signup_request_process_waiting() == 3
    assert [message.to[0] for message in mailoutbox] == [
        "reader0@example.com", "reader1@example.com", "reader2@example.com",
    ]  # fmt: skip


def races(test):
    for mark in races_on_postgres("recording one signup"):
        test = mark(test)
    return test


@races
def test_a_task_and_the_command_recording_one_signup_at_once_mail_it_once(mailoutbox):
    signup = signup_request_create(email="ana@example.com")
    at_once(
        lambda: signup_request_process(signup_request_id=signup.pk),
        lambda: signup_request_process_waiting(),
        lambda: signup_request_process(signup_request_id=signup.pk),
    )
    assert Subscriber.objects.count() == 1
    assert len(mailoutbox) == 1
