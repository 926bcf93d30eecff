"""Writes that span models or have side effects: status changes, corrections, previews,
accounts, old addresses, reader comments and their moderation."""

import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import checklist, workflow
from .models import Article, Author, Correction, OldSlug, Section
from .roles import EDITORS, WRITERS
from .slugs import unique_slug

logger = logging.getLogger(__name__)

@transaction.atomic
def old_slug_record(*, article, slug):
    """Keep `slug`, an address `article` was published under, redirecting to its current one."""
    if slug == article.slug:
        return None
    # The article may be getting back an address it had before; that one no longer redirects.
    OldSlug.objects.filter(slug=article.slug).delete()
    old_slug, _ = OldSlug.objects.update_or_create(slug=slug, defaults={"article": article})
    return old_slug


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
