"""What the admin index shows each person: their drafts, the review queue, what goes live next."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from comments.models import Comment

from . import workflow
from .models import Article

LIST_LENGTH = 5


@dataclass
class Panel:
    title: str
    count: int
    url: str
    articles: list = field(default_factory=list)
    empty: str = ""


def changelist_url(**filters):
    return reverse("admin:articles_article_changelist") + "?" + urlencode(filters)


def editorial_dashboard(user, now=None):
    """The panels for `user`; writers see their own review queue, editors everyone's."""
    now = now or timezone.now()
    articles = Article.objects.select_related("section")
    drafts = articles.by_person(user).filter(status=Article.Status.DRAFT).order_by("-saved_at")
    review = articles.filter(status=Article.Status.IN_REVIEW).order_by("saved_at")
    review_filters = {"status": Article.Status.IN_REVIEW}
    if not workflow.is_editor(user):
        review = review.by_person(user)
        review_filters["mine"] = "yes"
    upcoming = articles.upcoming(now=now)
    panels = [
        Panel(
            "Your drafts",
            drafts.count(),
            changelist_url(status=Article.Status.DRAFT, mine="yes"),
            list(drafts[:LIST_LENGTH]),
            "No drafts on your desk.",
        ),
        Panel(
            "Waiting for review",
            review.count(),
            changelist_url(**review_filters),
            list(review[:LIST_LENGTH]),
            "Nothing is waiting for review.",
        ),
        Panel(
            "Scheduled next",
            upcoming.count(),
            changelist_url(status=Article.Status.SCHEDULED),
            list(upcoming[:LIST_LENGTH]),
            "Nothing is scheduled.",
        ),
    ]
    live = articles.published(now).latest_first()
    panels.append(
        Panel(
            "Published lately",
            live.count(),
            changelist_url(status=Article.Status.PUBLISHED),
            list(live[:LIST_LENGTH]),
            "Nothing is live yet.",
        )
    )
    if user.has_perm("comments.moderate_comment"):
        panels.append(Panel("Comments awaiting moderation", *pending_comments()))
    return panels


def pending_comments():
    """(count, admin URL) of the comments waiting for a moderator."""
    url = reverse("admin:comments_comment_changelist")
    return Comment.objects.pending().count(), f"{url}?status__exact={Comment.Status.PENDING}"
