"""
Which comments this browser posted, so readers see their own comment awaiting moderation and
may edit or delete it for Comment.EDIT_WINDOW without an account.

A cookie signed for this purpose only holds [comment id, posted at] pairs; a tampered,
expired or malformed cookie reads as empty. The database's `created_at`, not the cookie,
decides whether the window is still open.
"""

from dataclasses import dataclass, field

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
