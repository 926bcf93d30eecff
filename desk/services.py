"""The editors' desk: status changes, restoring revisions, preview links and staff accounts."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from articles.models import Article, Author
from articles.services import article_touch, old_slug_record
from articles.slugs import unique_slug

from . import checklist, revisions, workflow
from .roles import EDITORS, EDITORS_IN_CHIEF, WRITERS


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
    move = workflow.check_user_move(
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
def article_restore(*, article, version):
    """Bring `version` of `article` back (see revisions.restore), keeping the address it had
    working and marking it updated if readers see a change. Returns what could not come back."""
    readers_saw, slug = article.reader_view(), article.slug
    left_out = revisions.restore(article, version)
    if article.published_at and article.slug != slug:
        old_slug_record(article=article, slug=slug)
    article_touch(article=article, since=readers_saw)
    return left_out


def preview_link_revoke(*, link, now=None):
    if link.revoked_at is None:
        link.revoked_at = now or timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


# The groups each role of create_staff_account puts a person in.
ROLE_GROUPS = {
    "writer": [WRITERS],
    "editor": [EDITORS],
    "editor-in-chief": [EDITORS, EDITORS_IN_CHIEF],
}


@dataclass
class StaffAccount:
    user: object
    author: Author
    password: str
    author_created: bool


# No 0/o, 1/l/i: a username is sometimes read out or copied by hand.
USERNAME_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def unguessable_username(name):
    """`ana.silva.k7m2qx` for "Ana Silva": recognisable to colleagues, but not derivable from a
    byline, so a stranger cannot aim failed logins or password guesses at it."""
    prefix = slugify(name).replace("-", ".") or "staff"
    return f"{prefix}.{get_random_string(6, USERNAME_SUFFIX_ALPHABET)}"


def staff_name(user):
    """The name a staff account goes by on a byline: its full name, else its username."""
    return " ".join((user.get_full_name() or user.get_username()).split())


@transaction.atomic
def author_profile_ensure(*, user):
    """
    The byline profile of a staff account, made if it has none: an author of the same name
    without an account is linked rather than duplicated, otherwise a new one is created. Every
    way an account is made or becomes staff runs this (desk.bylines.staff_saved); returns
    (author, created).
    """
    try:
        return user.author, False
    except Author.DoesNotExist:
        pass
    name = staff_name(user)
    author = Author.objects.filter(name__iexact=name, user__isnull=True).first()
    created = author is None
    if created:
        slug = unique_slug(name, queryset=Author.objects.all(), fallback="author")
        author = Author(name=name, slug=slug)
    author.user = user
    author.save()
    return author, created


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
    username = username or unguessable_username(name)
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
    user.groups.add(*(Group.objects.get_or_create(name=group)[0] for group in ROLE_GROUPS[role]))
    author, author_created = author_profile_ensure(user=user)
    if title and not author.title:
        author.title = title
        author.save(update_fields=["title"])
    return StaffAccount(user=user, author=author, password=password, author_created=author_created)
