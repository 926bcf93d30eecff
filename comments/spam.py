"""
Heuristics that file a reader comment as spam instead of queueing it for moderation.

Each returns a reason an editor can read in the admin, or an empty string.
"""

from datetime import timedelta

from django.conf import settings

from .models import Comment, body_fingerprint
from .text import comment_links

# A repeat of a comment posted this recently counts as spam; short, common replies
# ("Thank you!") are left alone because readers really do repeat those.
REPEAT_WINDOW = timedelta(days=1)
REPEAT_MIN_LENGTH = 30


def too_many_links(body):
    count = len(comment_links(body))
    limit = settings.NEWSROOM_COMMENTS_MAX_LINKS
    return f"{count} links (more than {limit})" if count > limit else ""


def spam_phrase(*texts):
    folded = " ".join(" ".join(text.casefold().split()) for text in texts)
    for phrase in settings.NEWSROOM_COMMENTS_SPAM_PHRASES:
        if phrase.casefold() in folded:
            return f"contains the spam phrase “{phrase}”"
    return ""


def repeated_body(body, *, now, exclude_pk=None):
    if len(" ".join(body.split())) < REPEAT_MIN_LENGTH:
        return ""
    earlier = Comment.objects.filter(
        body_fingerprint=body_fingerprint(body), created_at__gte=now - REPEAT_WINDOW
    ).exclude(pk=exclude_pk)
    return "repeats a comment posted in the last day" if earlier.exists() else ""


def spam_reason(*, name, body, now, exclude_pk=None):
    """Why this comment looks like spam, or "" when it does not."""
    return (
        too_many_links(body)
        or spam_phrase(name, body)
        or repeated_body(body, now=now, exclude_pk=exclude_pk)
    )
