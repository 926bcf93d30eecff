import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from newsletter.models import Edition, SignupRequest
from newsletter.services import signup_request_create
from tests.factories import make_article, make_edition, make_subscriber
from tests.newsletter.conftest import recipients

pytestmark = pytest.mark.django_db


def queued(**fields):
    edition = make_edition(articles=[make_article()], **fields)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.SENDING, queued_at=timezone.now()
    )
    return edition


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_newsletter", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_sends_every_queued_edition_and_reports_counts(mailoutbox):
    make_subscriber(), make_subscriber()
    first, second = queued(subject="First"), queued(subject="Second")
    draft = make_edition(subject="Draft", articles=[make_article()])
    out, _ = run()
    assert "“First”: 2 sent, 0 skipped" in out and "“Second”: 2 sent" in out
    assert len(mailoutbox) == 4
    assert {e.pk for e in Edition.objects.filter(status="sent")} == {first.pk, second.pk}
    draft.refresh_from_db()
    assert draft.status == Edition.Status.DRAFT


def test_progress_bar_shows_counts_per_batch_at_verbosity_2(mailoutbox):
    for _ in range(5):
        make_subscriber()
    queued()
    out, _ = run("--batch-size", "2", verbosity=2)
    bars = [line for line in out.splitlines() if line.startswith("[")]
    assert len(bars) == 3
    assert bars[0] == "[" + "#" * 12 + "-" * 18 + "] 2/5 (2 sent)"
    assert bars[-1] == "[" + "#" * 30 + "] 5/5 (5 sent)"


def test_verbosity_0_prints_nothing(mailoutbox):
    make_subscriber()
    queued()
    assert run(verbosity=0) == ("", "")
    assert len(mailoutbox) == 1


def test_dry_run_reports_and_sends_nothing(mailoutbox):
    make_subscriber(), make_subscriber()
    edition = queued(subject="Weekly")
    out, _ = run("--dry-run")
    assert "Dry run, nothing sent: “Weekly” would go to 2 subscribers." in out
    assert mailoutbox == []
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING


def test_a_failure_half_way_says_how_to_resume_and_a_rerun_finishes(flaky):
    subscribers = [make_subscriber() for _ in range(5)]
    queued()
    flaky.fail_on = 3
    with pytest.raises(CommandError, match="3 still to send; run the command again to resume"):
        run("--batch-size", "2")
    flaky.fail_on = None
    out, _ = run("--batch-size", "2")
    assert "3 sent" in out
    assert recipients(mail.outbox) == {s.email: 1 for s in subscribers}


def test_named_edition_that_is_a_draft_is_refused():
    edition = make_edition(articles=[make_article()])
    with pytest.raises(CommandError, match="is a draft"):
        run(str(edition.pk))


def test_unknown_edition_id_is_an_error():
    with pytest.raises(CommandError, match="No edition with id 999"):
        run("999")


def test_nothing_queued_says_so():
    out, _ = run()
    assert out == "No editions are waiting to be sent.\n"


def test_batch_size_must_be_positive():
    with pytest.raises(CommandError, match="--batch-size"):
        run("--batch-size", "0")


def test_records_the_waiting_signups_and_mails_their_confirmations(mailoutbox):
    make_subscriber(email="confirmed@example.com")
    for email in ["new@example.com", "confirmed@example.com"]:
        signup_request_create(email=email)
    out, _ = run(dry_run=True)
    assert "2 signups would be recorded (dry run)." in out
    assert mailoutbox == [] and SignupRequest.objects.count() == 2
    out, _ = run()
    assert "2 signups recorded." in out
    assert [message.to for message in mailoutbox] == [["new@example.com"]]
    assert not SignupRequest.objects.exists()
    assert "signup" not in run()[0]
