"""
Which comments this browser posted, so readers see their own comment awaiting moderation and
may edit or delete it for Comment.EDIT_WINDOW without an account (OwnComments), and, when
known commenters are approved at once, that it posted an approved one (PostedComments).

A cookie signed for this purpose only holds [comment id, posted at] pairs; a tampered,
expired or malformed cookie reads as empty. The database's `created_at`, not the cookie,
decides whether the window is still open.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Comment

COOKIE_NAME = settings.NEWSROOM_COMMENTS_COOKIE
SALT = "articles.comments.own"  # unchanged since the app was part of articles: cookies stay valid
MAX_ENTRIES = 20


@dataclass
class OwnComments:
    posted: dict = field(default_factory=dict)  # comment id -> posted at (Unix seconds)

    @classmethod
    def from_request(cls, request, now=None):
        raw = request.COOKIES.get(COOKIE_NAME) if request is not None else None
        if not raw:
            return cls()
        window = Comment.EDIT_WINDOW.total_seconds()
        try:
            pairs = signing.loads(raw, salt=SALT, max_age=window)
        except signing.BadSignature:
            return cls()
        now = (now or timezone.now()).timestamp()
        try:
            posted = {int(pk): int(at) for pk, at in pairs}
        except (TypeError, ValueError):
            return cls()
        return cls({pk: at for pk, at in posted.items() if now - at < window})

    def ids(self):
        return set(self.posted)

    def add(self, comment):
        self.posted[comment.pk] = int(comment.created_at.timestamp())
        newest = sorted(self.posted.items(), key=lambda item: item[1])[-MAX_ENTRIES:]
        self.posted = dict(newest)

    def remove(self, comment):
        self.posted.pop(comment.pk, None)

    def can_change(self, comment, now=None):
        """True for a comment this browser posted less than EDIT_WINDOW ago."""
        return comment.pk in self.posted and (now or timezone.now()) < comment.editable_until()

    def save(self, response, request):
        if not self.posted:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
            return
        response.set_cookie(
            COOKIE_NAME,
            signing.dumps(sorted(self.posted.items()), salt=SALT, compress=True),
            max_age=int(Comment.EDIT_WINDOW.total_seconds()),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )


COMMENTER_COOKIE = "newsroom_commenter"
COMMENTER_SALT = "comments.commenter"
# Long enough to outlast moderation and bring a regular back; only comment posts read it, and
# every comment form posts under /articles/.
COMMENTER_MAX_AGE = timedelta(days=365)
COMMENTER_PATH = "/articles/"


@dataclass
class PostedComments:
    """The comments this browser posted, kept for a year while
    NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN is on: the proof that a reader is the person behind an
    approved comment, which a typed address is not. Not a page-cache bypass cookie: it changes
    nothing a page shows."""

    ids: list = field(default_factory=list)

    @classmethod
    def from_request(cls, request):
        raw = request.COOKIES.get(COMMENTER_COOKIE)
        if not raw:
            return cls()
        try:
            ids = signing.loads(raw, salt=COMMENTER_SALT, max_age=COMMENTER_MAX_AGE)
            return cls([int(pk) for pk in ids][-MAX_ENTRIES:])
        except (signing.BadSignature, TypeError, ValueError):
            return cls()

    def add(self, comment):
        self.ids = [pk for pk in self.ids if pk != comment.pk][-(MAX_ENTRIES - 1) :]
        self.ids.append(comment.pk)

    def save(self, response, request):
        response.set_cookie(
            COMMENTER_COOKIE,
            signing.dumps(self.ids, salt=COMMENTER_SALT, compress=True),
            max_age=int(COMMENTER_MAX_AGE.total_seconds()),
            path=COMMENTER_PATH,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
