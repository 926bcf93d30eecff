"""Comment services: creating, editing, moderating, and editors' notices of pending comments."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.services import (
    CommentsClosed,
    comment_create,
    comment_delete,
    comment_edit,
    comment_moderate,
    comment_notify_pending,
    comment_reply_as_staff,
    moderator_emails,
)
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def create(article, **fields):
    values = {"name": "Ana", "email": "ana@example.com", "body": "An ordinary comment."}
    return comment_create(article=article, **{**values, **fields})


@pytest.fixture
def no_instant_notice(settings):
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 0


# Creating


def test_new_comments_are_pending(no_instant_notice):
    comment = create(make_article())
    assert comment.status == Comment.Status.PENDING
    assert comment.spam_reason == ""


def test_email_is_stored_in_lower_case_and_user_agent_truncated(no_instant_notice):
    comment = create(make_article(), email="Ana@Example.COM", user_agent="UA" * 500)
    assert comment.email == "ana@example.com"
    assert len(comment.user_agent) == 255


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("https://a.example https://b.example https://c.example", "3 links"),
        ("Best online casino bonus", "online casino"),
    ],
)
def test_spammy_comments_are_filed_as_spam_with_the_reason(no_instant_notice, body, reason):
    comment = create(make_article(), body=body)
    assert comment.status == Comment.Status.SPAM
    assert reason in comment.spam_reason


def test_a_repeated_comment_is_spam(no_instant_notice):
    body = "I have posted this exact long comment on every article today."
    create(make_article(), body=body)
    assert create(make_article(), body=body).status == Comment.Status.SPAM


def test_known_commenters_are_approved_at_once_when_the_setting_is_on(no_instant_notice, settings):
    article = make_article()
    known = make_comment(article, email="known@example.com")
    rejected = make_comment(article, email="rejected@example.com", status=Comment.Status.REJECTED)
    proof = [known.pk, rejected.pk]
    settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = False
    assert create(article, email="known@example.com", earlier_comment_ids=proof).status == "pending"
    settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = True
    again = create(article, email="Known@example.com", body="Again", earlier_comment_ids=proof)
    assert again.status == "approved"
    assert create(article, email="rejected@example.com", earlier_comment_ids=proof).status == (
        Comment.Status.PENDING
    )
    assert create(article, email="new@example.com", earlier_comment_ids=proof).status == "pending"


def test_a_typed_address_without_proof_is_never_known(no_instant_notice, settings):
    """Security finding 13.6: the address alone used to approve a comment at once."""
    settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = True
    article = make_article()
    make_comment(article, email="known@example.com")
    assert create(article, email="known@example.com").status == Comment.Status.PENDING
    spam = create(article, email="known@example.com", body="cheap viagra")
    assert spam.status == Comment.Status.SPAM


def test_closed_articles_refuse_comments(no_instant_notice):
    with pytest.raises(CommentsClosed):
        create(make_article(allow_comments=False))
    assert not Comment.objects.exists()


def test_replies_need_an_approved_parent(no_instant_notice):
    article = make_article()
    pending = make_comment(article, status=Comment.Status.PENDING)
    with pytest.raises(ValidationError):
        create(article, parent=pending)
    assert Comment.objects.count() == 1


def test_an_invalid_comment_saves_nothing(no_instant_notice):
    with pytest.raises(ValidationError):
        create(make_article(), email="not an email")
    with pytest.raises(ValidationError):
        create(make_article(), body="x" * 5001)
    assert not Comment.objects.exists()


# Editing, deleting, moderating


def test_any_edit_of_an_approved_comment_sends_it_back_to_moderation():
    comment = make_comment(
        make_article(), body="Read https://a.example", notified_at=timezone.now()
    )
    comment_edit(comment=comment, body="Something else entirely")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "Something else entirely"
    assert comment.edited_at is not None
    assert comment.notified_at is None  # editors hear about it again


def test_an_edit_that_adds_spam_files_the_comment_as_spam():
    comment = make_comment(make_article())
    comment_edit(comment=comment, body="Visit our online casino")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_editing_never_rescues_a_rejected_comment():
    comment = make_comment(make_article(), status=Comment.Status.REJECTED)
    comment_edit(comment=comment, body="Please approve me now, with https://a.example")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED


def test_deleting_a_comment_without_replies_removes_it():
    comment = make_comment(make_article())
    comment_delete(comment=comment)
    assert not Comment.objects.exists()


def test_deleting_a_comment_keeps_other_readers_replies_under_a_removed_stub():
    """Security finding 13.11: deleting one's own comment deleted other readers' replies."""
    article = make_article()
    parent = make_comment(
        article, name="Ana", email="ana@example.com", body="My words", ip_hash="h", user_agent="UA"
    )
    reply = make_comment(article, parent=parent, body="Bea's reply")
    pending_reply = make_comment(article, parent=parent, status=Comment.Status.PENDING)
    comment_delete(comment=parent)
    parent.refresh_from_db()
    assert parent.removed_at is not None and parent.is_removed
    assert (parent.name, parent.email, parent.body, parent.ip_hash, parent.user_agent) == (
        "", "", "", "", "",
    )  # fmt: skip
    assert set(parent.replies.all()) == {reply, pending_reply}
    assert str(parent) == f"Removed comment on {article}"


def test_a_removed_comment_that_awaited_moderation_after_an_edit_shows_its_replies_again():
    article = make_article()
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    comment_edit(comment=parent, body="Edited after it was approved and replied to")
    assert not Comment.objects.approved().filter(pk=reply.pk).exists()
    comment_delete(comment=parent)
    assert Comment.objects.approved().filter(pk=reply.pk).exists()


def test_a_removed_comment_counts_as_no_comment_and_cannot_be_replied_to(no_instant_notice):
    article = make_article()
    parent = make_comment(article)
    make_comment(article, parent=parent)
    comment_delete(comment=parent)
    assert list(Comment.objects.approved()) == list(parent.replies.all())
    with pytest.raises(ValidationError, match="cannot be replied to"):
        create(article, parent=Comment.objects.get(pk=parent.pk))


def test_moderating_sets_the_status_and_counts_changes():
    article = make_article()
    pending = [make_comment(article, status=Comment.Status.PENDING) for _ in range(2)]
    make_comment(article)
    count = comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    assert count == 2
    assert {c.status for c in Comment.objects.filter(pk__in=[p.pk for p in pending])} == {
        "approved"
    }
    with pytest.raises(ValueError):
        comment_moderate(comments=Comment.objects.all(), status="deleted")


# Notices to editors


def mail_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("mail server down"),
    )


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "mod", "Mod@Example.com", "pw-123456789", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return user


def test_moderators_are_staff_with_the_permission_and_the_configured_addresses(
    django_user_model, moderator, settings
):
    django_user_model.objects.create_user("reader", "reader@example.com", "pw-123456789")
    django_user_model.objects.create_user(
        "writer", "writer@example.com", "pw-123456789", is_staff=True
    )
    settings.NEWSROOM_EDITOR_EMAILS = ["desk@example.com"]
    assert moderator_emails() == ["desk@example.com", "mod@example.com"]


def test_one_digest_of_new_pending_comments_goes_to_each_moderator(
    moderator, settings, no_instant_notice
):
    settings.NEWSROOM_EDITOR_EMAILS = ["desk@example.com"]
    article = make_article(headline="Big story")
    make_comment(article, name="Ana", body="First pending", status=Comment.Status.PENDING)
    make_comment(article, name="Bea", body="Second pending", status=Comment.Status.PENDING)
    make_comment(article, body="Spam words", status=Comment.Status.SPAM)
    make_comment(article, body="Approved words")

    notice = comment_notify_pending()
    assert (notice.comments, notice.recipients, notice.sent) == (2, 2, True)
    assert sorted(m.to[0] for m in mail.outbox) == ["desk@example.com", "mod@example.com"]
    message = mail.outbox[0]
    assert message.subject == "2 new comments awaiting moderation"
    for text in ("Big story", "Ana", "First pending", "Second pending", "/admin/comments/comment/"):
        assert text in message.body
    assert "Spam words" not in message.body and "Approved words" not in message.body
    assert not Comment.objects.pending().filter(notified_at__isnull=True).exists()


def test_a_second_run_does_not_repeat_comments_already_notified(moderator, no_instant_notice):
    article = make_article()
    make_comment(article, body="Old news", status=Comment.Status.PENDING)
    comment_notify_pending()
    assert comment_notify_pending().comments == 0
    make_comment(article, body="Fresh", status=Comment.Status.PENDING)
    assert comment_notify_pending().comments == 1
    assert len(mail.outbox) == 2
    assert "Old news" not in mail.outbox[1].body


def test_a_failed_send_leaves_the_comments_for_the_next_run(moderator, no_instant_notice):
    make_comment(make_article(), status=Comment.Status.PENDING)
    with mail_down(), pytest.raises(OSError):
        comment_notify_pending()
    assert Comment.objects.filter(notified_at__isnull=True).count() == 1


def test_a_dry_run_sends_and_marks_nothing(moderator, no_instant_notice):
    make_comment(make_article(), status=Comment.Status.PENDING)
    notice = comment_notify_pending(dry_run=True)
    assert (notice.comments, notice.sent) == (1, False)
    assert mail.outbox == []
    assert Comment.objects.filter(notified_at__isnull=True).count() == 1


def test_without_moderators_nothing_is_sent_or_marked(no_instant_notice):
    make_comment(make_article(), status=Comment.Status.PENDING)
    notice = comment_notify_pending()
    assert (notice.comments, notice.recipients, notice.sent) == (1, 0, False)
    assert Comment.objects.filter(notified_at__isnull=True).count() == 1


def test_posting_sends_the_notice_at_most_once_per_interval(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 15
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        create(article, body="First comment of the morning")
    with django_capture_on_commit_callbacks(execute=True):
        create(article, body="Second comment of the morning")
    assert len(mail.outbox) == 1
    assert "First comment" in mail.outbox[0].body
    assert Comment.objects.filter(notified_at__isnull=True).count() == 1


def test_an_edited_approved_comment_is_announced_to_moderators(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 15
    comment = make_comment(make_article(), body="Approved words", notified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, body="Words nobody has read")
    assert len(mail.outbox) == 1
    assert "Words nobody has read" in mail.outbox[0].body


def test_a_failing_instant_notice_does_not_lose_the_comment(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 15
    with mail_down(), django_capture_on_commit_callbacks(execute=True):
        comment = create(make_article())
    assert Comment.objects.get() == comment


def test_old_pending_comments_count_from_when_they_were_posted(moderator, no_instant_notice):
    make_comment(
        make_article(), status=Comment.Status.PENDING, created_at=timezone.now() - timedelta(days=3)
    )
    assert comment_notify_pending().comments == 1


def test_a_staff_reply_is_published_at_once_under_the_thread(desk_editor):
    first = make_comment(make_article())
    reply = comment_reply_as_staff(comment=first, user=desk_editor, body="<b>Hi</b>")
    assert (reply.parent, reply.status, reply.from_staff) == (first, "approved", True)
    assert reply.body == "<b>Hi</b>"  # plain text, shown as typed


def test_no_staff_reply_under_a_comment_awaiting_moderation(desk_editor):
    pending = make_comment(make_article(), status="pending")
    with pytest.raises(ValidationError, match="Approve the comment"):
        comment_reply_as_staff(comment=pending, user=desk_editor, body="Hi")
    assert not Comment.objects.filter(parent=pending).exists()


def test_moderating_comments_under_many_articles_asks_for_their_articles_in_one_subquery():
    """A spam flood selected whole: the articles held are asked for by a subquery, never by a
    list of ids that could pass the database's limit of parameters."""
    comments = [make_comment(make_article(), status=Comment.Status.PENDING) for _ in range(30)]
    with CaptureQueriesContext(connection) as queries:
        changed = services.comment_moderate(
            comments=Comment.objects.all(), status=Comment.Status.SPAM
        )
    assert changed == len(comments)
    asked = [query["sql"] for query in queries.captured_queries]
    (held, *_) = [sql for sql in asked if sql.startswith('SELECT "articles_article"."id"')]
    assert "IN (SELECT" in held and '"comments_comment"' in held
