"""Reader comments: posting, editing and deleting them, moderating them, and telling
moderators what awaits them."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.cache_keys import article_key
from pagecache import pages_changed

from .models import Comment, body_fingerprint, comments_open, count_comments, hold_articles
from .spam import spam_reason
from .text import plain_name, plain_text

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = Comment._meta.get_field("user_agent").max_length
NOTIFY_LOCK_KEY = "comments:notify-pending"


class CommentsClosed(PermissionDenied):
    """The article does not take comments (any more)."""


def comment_create(
    *,
    article,
    name,
    email,
    body,
    parent=None,
    ip_hash="",
    user_agent="",
    earlier_comment_ids=(),
    now=None,
):
    """Store a reader's comment: spam by the heuristics, approved at once for a known
    commenter when NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN is on, otherwise pending.

    `earlier_comment_ids` are the comments the reader's browser says, in its signed cookie
    (cookie.PostedComments), that it posted: a known commenter is one of them approved under
    the same address. An address alone proves nothing; anyone can type it."""
    now = now or timezone.now()
    if not comments_open(article, now):
        raise CommentsClosed("Comments are closed on this article.")
    if parent is not None and (not parent.is_approved() or parent.is_removed):
        raise ValidationError({"parent": "That comment cannot be replied to any more."})
    name, body = plain_name(name), plain_text(body)
    comment = Comment(
        article=article,
        parent=parent,
        name=name,
        email=email.lower(),
        body=body,
        ip_hash=ip_hash,
        user_agent=user_agent[:USER_AGENT_LENGTH],
        created_at=now,
    )
    comment.spam_reason = spam_reason(name=name, body=body, now=now)
    if comment.spam_reason:
        comment.status = Comment.Status.SPAM
    elif settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN and _is_known_commenter(
        comment.email, earlier_comment_ids
    ):
        comment.status = Comment.Status.APPROVED
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        if comment.status == Comment.Status.PENDING:
            transaction.on_commit(_notify_pending_now_and_then)
    return comment


@transaction.atomic
def comments_create(*, comments):
    """
    Save comments brought from elsewhere (an importer's: no spam check, no moderators' notice)
    in a query or two for any number; a reply may be under a comment of the same list. Bulk
    writes send no model signals, so their articles are counted here, and the page cache is
    told if readers see any of them.
    """
    for comment in comments:
        comment.name, comment.body = plain_name(comment.name), plain_text(comment.body)
        comment.body_fingerprint = body_fingerprint(comment.body)
    # Comments first, then the replies to them, which need their ids.
    waiting = list(comments)
    while waiting:
        ready = [c for c in waiting if c.parent_id is not None or c.parent is None or c.parent.pk]
        if not ready:
            raise ValueError("A reply is under a comment neither saved nor in the list.")
        Comment.objects.bulk_create(ready)
        waiting = [c for c in waiting if c.pk is None]
    count_comments({comment.article_id for comment in comments})
    pages_changed({article_key(c.article_id) for c in comments if c.is_approved()})
    return comments


def _is_known_commenter(email, earlier_comment_ids):
    earlier = Comment.objects.filter(pk__in=list(earlier_comment_ids), email=email)
    return bool(earlier_comment_ids) and earlier.filter(status=Comment.Status.APPROVED).exists()


def comment_edit(*, comment, body, now=None):
    """A reader's edit. The spam heuristics run again, and an approved comment goes back to
    moderation: moderators approved the words they read, not whatever replaces them."""
    now = now or timezone.now()
    body = plain_text(body)
    comment.body = body
    comment.edited_at = now
    reason = spam_reason(name=comment.name, body=body, now=now, exclude_pk=comment.pk)
    if reason and comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED):
        comment.status, comment.spam_reason = Comment.Status.SPAM, reason
    elif comment.status == Comment.Status.APPROVED:
        comment.status = Comment.Status.PENDING
        comment.notified_at = None
    comment.full_clean()
    with transaction.atomic():
        comment.save(update_fields=["body", "edited_at", "status", "spam_reason", "notified_at"])
        if comment.status == Comment.Status.PENDING:
            transaction.on_commit(_notify_pending_now_and_then)
    return comment


REMOVED_FIELDS = ["name", "email", "body", "ip_hash", "user_agent"]


def comment_delete(*, comment, now=None):
    """A reader takes back their comment. Other readers' replies under it are theirs to keep:
    a comment with replies loses its name, address and words and stays as a note that it was
    removed, approved again if an edit had sent it back to moderation (moderators approved
    the replies under it); one without replies goes."""
    with transaction.atomic():
        # Locked, so that a reply posted meanwhile is either seen here or refused.
        Comment.objects.select_for_update().filter(pk=comment.pk).values_list("pk").first()
        if not comment.replies.exists():
            comment.delete()
            return
        for field in REMOVED_FIELDS:
            setattr(comment, field, "")
        comment.removed_at = now or timezone.now()
        if comment.status == Comment.Status.PENDING:
            comment.status = Comment.Status.APPROVED
        comment.save(update_fields=[*REMOVED_FIELDS, "removed_at", "status"])


def staff_reply_name(user):
    """The name a staff reply goes out under: the person's byline, else their account's name."""
    author = getattr(user, "author", None)
    return author.name if author else (user.get_full_name() or user.get_username())


def comment_reply_as_staff(*, comment, user, body, now=None):
    """A reply from the newsroom, written in the moderation queue: published at once, with a
    staff badge, in the thread of `comment` (replies are one level deep, so a reply to a reply
    goes under the comment that started the thread). The thread must be one readers see."""
    thread = comment.parent or comment
    if not thread.is_approved() or thread.is_removed:
        raise ValidationError(
            "Approve the comment before replying: readers see replies only under approved "
            "comments."
        )
    reply = Comment(
        article=thread.article,
        parent=thread,
        name=plain_name(staff_reply_name(user))[: Comment._meta.get_field("name").max_length],
        email=user.email.lower(),
        body=plain_text(body),
        status=Comment.Status.APPROVED,
        from_staff=True,
        staff_user=user,
        created_at=now or timezone.now(),
    )
    reply.full_clean(exclude=[] if reply.email else ["email"])
    reply.save()  # the article's page changes: the page cache hears it (comment_changed)
    return reply


def comment_moderate(*, comments, status):
    """Set the moderation status of many comments at once; returns how many changed."""
    if status not in Comment.Status.values:
        raise ValueError(f"Unknown comment status {status!r}.")
    changed = 0
    with transaction.atomic():
        hold_articles(comments.order_by().values_list("article_id", flat=True).distinct())
        for comment in comments.exclude(status=status).select_for_update():
            comment.status = status
            comment.save(update_fields=["status"])
            changed += 1
    return changed


@dataclass(frozen=True)
class PendingNotice:
    comments: int  # pending comments no notice has mentioned yet
    recipients: int
    sent: bool = False


def moderator_emails():
    """Who hears about new comments: active staff who may moderate, and NEWSROOM_EDITOR_EMAILS."""
    # Asked of the model backend: django-axes' backend before it holds no permissions.
    backend = "django.contrib.auth.backends.ModelBackend"
    users = get_user_model().objects.with_perm("comments.moderate_comment", backend=backend)
    users = users.filter(is_staff=True)
    emails = {email.lower() for email in users.values_list("email", flat=True) if email}
    emails.update(email.lower() for email in settings.NEWSROOM_EDITOR_EMAILS)
    return sorted(emails)


def comment_notify_pending(*, dry_run=False):
    """Email moderators one digest of the comments that arrived pending since the last notice.

    Each comment is marked as notified in the same transaction that sends the mail, so a re-run
    (or a concurrent one) never repeats it, and a failed send leaves it for the next run.
    """
    recipients = moderator_emails()
    with transaction.atomic():
        pending = list(
            Comment.objects.pending()
            .filter(notified_at__isnull=True)
            .select_related("article")
            .select_for_update(skip_locked=True, of=("self",))
            .oldest_first()
        )
        if not pending or not recipients or dry_run:
            return PendingNotice(comments=len(pending), recipients=len(recipients))
        subject = (
            f"{len(pending)} new comment{'s' if len(pending) != 1 else ''} awaiting moderation"
        )
        queue_url = settings.NEWSROOM_SITE_URL + reverse("admin:comments_comment_changelist")
        body = render_to_string(
            "comments/email/pending_comments.txt",
            {
                "comments": [
                    {
                        "comment": comment,
                        "excerpt": Truncator(comment.body).chars(200),
                        "url": settings.NEWSROOM_SITE_URL
                        + reverse("admin:comments_comment_change", args=[comment.pk]),
                    }
                    for comment in pending
                ],
                "queue_url": f"{queue_url}?status__exact={Comment.Status.PENDING}",
                "site_name": settings.NEWSROOM_SITE_NAME,
            },
        )
        messages = [EmailMessage(subject, body, to=[email]) for email in recipients]
        mailers.default.send_messages(messages)
        Comment.objects.filter(pk__in=[comment.pk for comment in pending]).update(
            notified_at=timezone.now()
        )
    return PendingNotice(comments=len(pending), recipients=len(recipients), sent=True)


def _notify_pending_now_and_then():
    """Send the pending-comments notice from a reader's post at most once every
    NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES (shared across servers through the cache), so
    editors hear of comments even before the scheduled command runs."""
    minutes = settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES
    if not minutes:
        return
    try:
        if not cache.add(NOTIFY_LOCK_KEY, 1, timeout=minutes * 60):
            return
        notice = comment_notify_pending()
        if notice.comments and not notice.recipients:
            logger.warning(
                "%d comments await moderation but no moderator has an email address; "
                "set NEWSROOM_EDITOR_EMAILS.",
                notice.comments,
            )
    except Exception:  # a reader's comment is stored; the notice can wait for the command
        logger.warning("Pending comments notice not sent", exc_info=True)
