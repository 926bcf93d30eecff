"""What the admin index shows each person: their drafts, the review queue, what goes live next."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import workflow
from .models import Article

LIST_LENGTH = 5

# The comment model another part of the site adds, with how to find comments awaiting a moderator.
COMMENT_MODEL_LABELS = ("comments.Comment", "articles.Comment")


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
    drafts = articles.by_person(user).filter(status=Article.Status.DRAFT).order_by("-updated_at")
    review = articles.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")
    review_filters = {"status__exact": Article.Status.IN_REVIEW}
    if not workflow.is_editor(user):
        review = review.by_person(user)
        review_filters["mine"] = "yes"
    upcoming = articles.upcoming(now=now)
    panels = [
        Panel(
            "Your drafts",
            drafts.count(),
            changelist_url(status__exact=Article.Status.DRAFT, mine="yes"),
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
            changelist_url(visibility="upcoming"),
            list(upcoming[:LIST_LENGTH]),
            "Nothing is scheduled.",
        ),
    ]
    comments = pending_comments()
    if comments is not None:
        panels.append(Panel("Comments awaiting moderation", *comments))
    return panels


def comment_model():
    for label in COMMENT_MODEL_LABELS:
        try:
            return apps.get_model(label)
        except (LookupError, ValueError):
            continue
    return None


def pending_comments(model=None):
    """(count, admin URL) of comments awaiting moderation; None while no comment model exists."""
    model = model or comment_model()
    if model is None:
        return None
    comments = model._default_manager.all()
    names = {f.name for f in model._meta.get_fields()}
    if hasattr(comments, "pending"):
        pending, filters = comments.pending(), {}
    elif "status" in names:
        pending, filters = comments.filter(status="pending"), {"status__exact": "pending"}
    elif "is_approved" in names:
        pending, filters = comments.filter(is_approved=False), {"is_approved__exact": "0"}
    else:
        return None
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        url = ""
    if url and filters:
        url += "?" + urlencode(filters)
    return pending.count(), url
