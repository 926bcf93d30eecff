"""Writes that span models or have side effects: status changes, corrections, previews,
accounts, old addresses, reader comments and their moderation."""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from . import checklist, workflow
from .models import Article, Author, Comment, Correction, OldSlug, Section
from .roles import EDITORS, WRITERS
from .slugs import unique_slug
from .spam import spam_reason

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = Comment._meta.get_field("user_agent").max_length
NOTIFY_LOCK_KEY = "comments:notify-pending"


@transaction.atomic
def old_slug_record(*, article, slug):
    """Keep `slug`, an address `article` was published under, redirecting to its current one."""
    if slug == article.slug:
        return None
    # The article may be getting back an address it had before; that one no longer redirects.
    OldSlug.objects.filter(slug=article.slug).delete()
    old_slug, _ = OldSlug.objects.update_or_create(slug=slug, defaults={"article": article})
    return old_slug


class CommentsClosed(PermissionDenied):
    """The article does not take comments (any more)."""


def comment_create(*, article, name, email, body, parent=None, ip_hash="", user_agent="", now=None):
    """Store a reader's comment: spam by the heuristics, approved at once for a known
    commenter when NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN is on, otherwise pending."""
    now = now or timezone.now()
    if not article.comments_open(now):
        raise CommentsClosed("Comments are closed on this article.")
    if parent is not None and not parent.is_approved():
        raise ValidationError({"parent": "That comment cannot be replied to any more."})
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
    elif settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN and _is_known_commenter(comment.email):
        comment.status = Comment.Status.APPROVED
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        if comment.status == Comment.Status.PENDING:
            transaction.on_commit(_notify_pending_now_and_then)
    return comment


def _is_known_commenter(email):
    return Comment.objects.filter(email=email, status=Comment.Status.APPROVED).exists()


def comment_edit(*, comment, body, now=None):
    """A reader's edit. The spam heuristics run again, and an approved comment goes back to
    moderation: moderators approved the words they read, not whatever replaces them."""
    now = now or timezone.now()
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


def comment_delete(*, comment):
    """A reader takes back their comment, and any replies under it."""
    comment.delete()


def comment_moderate(*, comments, status):
    """Set the moderation status of many comments at once; returns how many changed."""
    if status not in Comment.Status.values:
        raise ValueError(f"Unknown comment status {status!r}.")
    changed = 0
    with transaction.atomic():
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
    users = get_user_model().objects.with_perm("articles.moderate_comment", backend=backend)
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
        queue_url = settings.SITE_URL + reverse("admin:articles_comment_changelist")
        body = render_to_string(
            "articles/email/pending_comments.txt",
            {
                "comments": [
                    {
                        "comment": comment,
                        "excerpt": Truncator(comment.body).chars(200),
                        "url": settings.SITE_URL
                        + reverse("admin:articles_comment_change", args=[comment.pk]),
                    }
                    for comment in pending
                ],
                "queue_url": f"{queue_url}?status__exact={Comment.Status.PENDING}",
                "site_name": settings.SITE_NAME,
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


class ChecklistFailed(workflow.TransitionRefused):
    def __init__(self, report):
        self.report = report
        super().__init__("Not ready to go live: " + " ".join(report.failures))


def article_change_status(*, article, status, user, note="", now=None):
    """
    Move one saved article to `status` on behalf of `user`, applying the workflow rules and,
    before it goes live, the pre-publish checklist. Returns the checklist report (or None when the
    move does not run it); raises TransitionRefused, or ChecklistFailed, and then changes nothing.
    """
    move = workflow.check_move(
        user=user, article=article, target=status, note=note, publish_at=article.publish_at, now=now
    )
    report = None
    if move.runs_checklist:
        goes_live = article.publish_at if status == Article.Status.SCHEDULED else now
        report = checklist.run(checklist.Draft.of_article(article, goes_live=goes_live))
        if not report.passed:
            raise ChecklistFailed(report)
    if article.status != status:
        article.status = status
        workflow.note_after_move(article, target=status, note=note)
        article.save()
    return report


@transaction.atomic
def correction_add(*, article, note, kind=Correction.Kind.CORRECTION, created_at=None):
    """Record a correction or update; a published article shows it was updated."""
    correction = Correction.objects.create(
        article=article, note=note, kind=kind, created_at=created_at or timezone.now()
    )
    article_touch(article=article)
    return correction


def article_touch(*, article, since=None, now=None):
    """
    Mark an article readers have seen as updated now, without re-saving what editors did not
    change. With `since`, what readers saw before a save (Article.reader_view()), only if the
    save changed it; corrections always count.
    """
    now = now or timezone.now()
    if not (article.published_at and article.published_at <= now):
        return
    if since is not None and article.reader_view() == since:
        return
    article.updated_at = now
    article.save(update_fields=["updated_at"])


def preview_link_revoke(*, link, now=None):
    if link.revoked_at is None:
        link.revoked_at = now or timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


ROLE_GROUPS = {"writer": WRITERS, "editor": EDITORS}


@dataclass
class StaffAccount:
    user: object
    author: Author
    password: str
    author_created: bool


@transaction.atomic
def staff_account_create(*, name, role, username=None, email="", password=None, title=""):
    """
    A staff account for a named person in the writer or editor role, with their byline profile
    (an existing author of that name without an account is linked instead of duplicated).
    The password is generated when none is given; the caller shows it once.
    """
    User = get_user_model()
    name = " ".join(name.split())
    if not name:
        raise ValueError("Give the person's name.")
    if role not in ROLE_GROUPS:
        raise ValueError(f"The role must be one of {', '.join(ROLE_GROUPS)}; got {role!r}.")
    username = username or slugify(name).replace("-", ".")
    if not username:
        raise ValueError("Give a username: none can be made from that name.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValueError(f"The username {username!r} is taken.")
    first, _, last = name.rpartition(" ") if " " in name else (name, "", "")
    user = User(username=username, email=email, first_name=first, last_name=last, is_staff=True)
    if password:
        validate_password(password, user)
    else:
        password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])

    author = Author.objects.filter(name__iexact=name, user__isnull=True).first()
    author_created = author is None
    if author is None:
        slug = unique_slug(name, queryset=Author.objects.all(), fallback="author")
        author = Author(name=name, title=title, slug=slug)
    elif title and not author.title:
        author.title = title
    author.user = user
    author.save()
    return StaffAccount(user=user, author=author, password=password, author_created=author_created)


def section_named(name):
    """The section of that name (in any case), created if there is none."""
    section = Section.objects.filter(name__iexact=name).first()
    if section is None:
        slug = unique_slug(name, queryset=Section.objects.all(), fallback="section")
        section = Section.objects.create(name=name, slug=slug)
    return section
