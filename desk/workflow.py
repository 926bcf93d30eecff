"""
Who may move an article from one status to another: the one table the admin form, the bulk
actions and the services all consult.

    Draft ──submit──▶ In review ──schedule / publish──▶ Scheduled / Published
      ▲                  │
      └──send back (note)┘        Scheduled / Published ──unpublish──▶ Draft
         withdraw (writer)

Editors (holders of `articles.publish_article`) may also schedule or publish a draft directly:
they are the review. Writers edit their own drafts and articles in review, submit them, and
withdraw them from review. An article is judged by its current status (Article.current_status):
a scheduled one whose time has come is Published.
"""

from dataclasses import dataclass

from django.utils import timezone

from articles.models import Article

from .roles import PUBLISH_PERMISSION

Status = Article.Status


class TransitionRefused(Exception):
    """A status change the rules do not allow; the message is written for the person trying."""

    def __init__(self, message, *, field="status"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Move:
    verb: str
    editors_only: bool
    runs_checklist: bool = False
    needs_note: bool = False


MOVES = {
    Status.DRAFT: {
        Status.DRAFT: Move("save", editors_only=False),
        Status.IN_REVIEW: Move("submit for review", editors_only=False),
        Status.SCHEDULED: Move("schedule", editors_only=True, runs_checklist=True),
        Status.PUBLISHED: Move("publish", editors_only=True, runs_checklist=True),
    },
    Status.IN_REVIEW: {
        Status.IN_REVIEW: Move("save", editors_only=False),
        Status.DRAFT: Move("send back to draft", editors_only=True, needs_note=True),
        Status.SCHEDULED: Move("schedule", editors_only=True, runs_checklist=True),
        Status.PUBLISHED: Move("publish", editors_only=True, runs_checklist=True),
    },
    Status.SCHEDULED: {
        Status.SCHEDULED: Move("edit", editors_only=True),
        Status.DRAFT: Move("unpublish", editors_only=True),
        Status.PUBLISHED: Move("publish", editors_only=True),
    },
    Status.PUBLISHED: {
        Status.PUBLISHED: Move("edit", editors_only=True),
        Status.DRAFT: Move("unpublish", editors_only=True),
    },
}

# Where a writer's step differs from an editor's between the same two statuses: an editor sends
# an article back with a note for its writer; its writer takes it back without one.
WRITER_MOVES = {
    (Status.IN_REVIEW, Status.DRAFT): Move("withdraw from review", editors_only=False),
}

WRITER_EDITABLE = (Status.DRAFT, Status.IN_REVIEW)

INVALID_HINTS = {
    (Status.PUBLISHED, Status.SCHEDULED): "it is already live; unpublish it first to "
    "schedule it for later",
    (Status.PUBLISHED, Status.IN_REVIEW): "it is already live; unpublish it back to draft "
    "to rework it",
    (Status.SCHEDULED, Status.IN_REVIEW): "it has passed review; unpublish it back to draft "
    "to rework it",
}


def is_editor(user):
    return user.has_perm(PUBLISH_PERMISSION)


def is_own(user, article):
    """The person started the article or is on its byline."""
    if article.pk is None or (article.created_by_id and article.created_by_id == user.pk):
        return True
    return article.author_links.filter(author__user=user).exists()


def can_edit(user, article):
    """Editors edit anything; writers their own drafts and articles in review."""
    if not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return article.status in WRITER_EDITABLE and is_own(user, article)


def permitted_move(*, article, target, editor):
    """The Move to `target` if the table allows it to an editor (`editor`) or a writer, else
    TransitionRefused. Whether the person may change this article at all is can_edit()'s say."""
    target = Status(target)
    # Keeping the stored status is no move (a live article saved as Scheduled stays an edit).
    source = target if target == article.status else article.current_status()
    move = MOVES[source].get(target)
    if not editor:
        move = WRITER_MOVES.get((source, target), move)
    if move is None:
        hint = INVALID_HINTS.get((source, target), "that is not a step in the workflow")
        raise TransitionRefused(
            f"An article that is {source.label.lower()} can't be moved to "
            f"{target.label.lower()}: {hint}."
        )
    if move.editors_only and not editor:
        if source == target:
            raise TransitionRefused(
                f"Only editors can change an article that is {source.label.lower()}."
            )
        raise TransitionRefused(
            f"Only editors can {move.verb} an article; writers submit it for review."
        )
    return move


def check_move(*, article, target, editor, note="", publish_at=None, now=None):
    """
    The Move from `article`'s stored status to `target` for an editor (`editor`) or a writer,
    or TransitionRefused saying why not.

    `article` must hold the status as stored, before a form or an action changed it;
    `publish_at` is the time the article would be scheduled for.
    """
    move = permitted_move(article=article, target=target, editor=editor)
    _check_details(move, article=article, target=target, note=note, publish_at=publish_at, now=now)
    return move


def check_user_move(*, user, article, target, note="", publish_at=None, now=None):
    """check_move() for `user`, who must also be allowed to change this article."""
    move = permitted_move(article=article, target=target, editor=is_editor(user))
    if not can_edit(user, article):
        raise TransitionRefused("You can only change your own drafts and articles in review.")
    _check_details(move, article=article, target=target, note=note, publish_at=publish_at, now=now)
    return move


def _check_details(move, *, article, target, note, publish_at, now):
    if move.needs_note and not note.strip():
        raise TransitionRefused(
            "Add a note for the writer saying what to change before sending the article back.",
            field="note",
        )
    now = now or timezone.now()
    if target == Status.SCHEDULED and not article.is_published(now):
        if publish_at is None:
            raise TransitionRefused(
                "Choose when a scheduled article goes live.", field="publish_at"
            )
        if publish_at <= now:
            raise TransitionRefused(
                "Choose a time in the future to schedule the article, or publish it now.",
                field="publish_at",
            )


def allowed_moves(article, *, editor):
    """[(status, Move)] an editor (or a writer) may pick for the article, its current one
    included."""
    allowed = []
    for target in Status:
        try:
            allowed.append((target, permitted_move(article=article, target=target, editor=editor)))
        except TransitionRefused:
            continue
    return allowed


def allowed_statuses(article, *, editor):
    """The statuses an editor (or a writer) may pick for the article, its current one included."""
    return [target for target, _ in allowed_moves(article, editor=editor)]


def choice_label(target, move, *, current):
    """How the status menu offers a status: a move back to draft says which one it is (“Draft
    (withdraw from review)”, “Draft (unpublish)”); the others are named by their status."""
    if target == Status.DRAFT and current != Status.DRAFT:
        return f"{target.label} ({move.verb})"
    return target.label


def note_after_move(article, *, target, note=""):
    """Keep the editor's note on an article sent back; clear it once it is resubmitted."""
    if target == Status.IN_REVIEW:
        article.review_note = ""
    elif target == Status.DRAFT and note.strip():
        article.review_note = note.strip()
