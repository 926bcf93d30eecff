"""The notify_pending_comments command that mails moderators a digest."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("notify_pending_comments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_mails_the_digest_once(settings):
    settings.NEWSROOM_EDITOR_EMAILS = ["desk@example.com"]
    make_comment(make_article(), status=Comment.Status.PENDING)
    out, _ = run()
    assert "Notified 1 moderator(s) of 1 comment(s)." in out
    out, _ = run()
    assert "nothing sent" in out
    assert len(mail.outbox) == 1


def test_dry_run_says_what_it_would_send(settings):
    settings.NEWSROOM_EDITOR_EMAILS = ["desk@example.com"]
    make_comment(make_article(), status=Comment.Status.PENDING)
    out, _ = run("--dry-run")
    assert "Would notify 1 moderator(s) of 1 comment(s)." in out
    assert mail.outbox == []


def test_command_warns_when_nobody_can_be_told(settings):
    settings.NEWSROOM_EDITOR_EMAILS = []
    make_comment(make_article(), status=Comment.Status.PENDING)
    _, err = run()
    assert "NEWSROOM_EDITOR_EMAILS" in err
    assert mail.outbox == []
