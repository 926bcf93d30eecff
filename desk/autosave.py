"""
Autosave: what someone has typed in an article's form, kept for them alone every 30 seconds and
when they leave a field (writing.js), until they save. The article and what readers see are
never touched. Reopening the form offers it back, with what differs from the saved article.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from .models import Autosave
from .revisions import word_diff

# Form fields never kept: the token is per session, and files cannot be put back in a form.
NOT_KEPT = {"csrfmiddlewaretoken", "loaded_version", "_save", "_continue", "_addanother"}
# The fields the restore offer compares with the saved article, as on the form; longer texts
# are compared word by word.
COMPARED = ("headline", "slug", "standfirst", "body", "section", "tags", "seo_title",
            "seo_description")  # fmt: skip
LONG_TEXT = {"standfirst", "body"}
MAX_FIELDS = 2000


class AutosaveRefused(ValueError):
    """The form data cannot be kept; the message says why."""


class AutosaveOutdated(AutosaveRefused):
    """The form is older than the person's own last save of the article: it was submitted (an
    autosave that set off as the Save button was pressed arrives after the save), or another of
    their tabs saved over it."""


def form_data(post):
    """The fields of a posted form worth keeping, as {name: [values]}, newlines as typed."""
    data = {
        name: [value.replace("\r\n", "\n") for value in values]
        for name, values in post.lists()
        if name not in NOT_KEPT
    }
    if not data:
        raise AutosaveRefused("The form sent no fields to keep.")
    if len(data) > MAX_FIELDS:
        raise AutosaveRefused("The form sent more fields than an article form has.")
    return data


def autosave_store(*, user, article, data, loaded_version="", now=None):
    """Keep `data` as `user`'s autosave of `article` (None: their new article); returns it.
    AutosaveOutdated if `user` has saved the article since the form was opened."""
    if article is not None and loaded_version and loaded_version != article.saved_at.isoformat():
        last = Version.objects.get_for_object(article).select_related("revision").first()
        if last is not None and last.revision.user_id == user.pk:
            raise AutosaveOutdated(
                "You have saved this article since this form was opened; reload it to go on."
            )
    values = {"data": data, "loaded_version": loaded_version, "saved_at": now or timezone.now()}
    try:
        with transaction.atomic():
            autosave, _ = Autosave.objects.update_or_create(
                user=user, article=article, defaults=values
            )
    except IntegrityError:  # two requests made the row at once; the later data wins
        autosave, _ = Autosave.objects.update_or_create(user=user, article=article, defaults=values)
    return autosave


def autosave_discard(*, user, article):
    """Forget `user`'s autosave of `article` (None: of their new article); returns how many."""
    deleted, _ = Autosave.objects.filter(user=user, article=article).delete()
    return deleted


def autosave_of(*, user, article):
    """`user`'s own autosave of `article` (None: of their new article), or None."""
    return Autosave.objects.filter(user=user, article=article).first()


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str
    diff: str = ""  # HTML with <del> and <ins>, for long texts


def differences(autosave, form):
    """How `autosave` differs from the unbound admin `form` showing the saved article."""
    found = []
    for name in COMPARED:
        if name not in form.fields or name not in autosave.data:
            continue
        bound = form[name]
        before = shown_value(bound, bound.value())
        after = shown_value(bound, (autosave.values(name) or [""])[0])
        if before == after:
            continue
        diff = word_diff(before, after) if name in LONG_TEXT else ""
        found.append(Difference(label=str(bound.label), before=before, after=after, diff=diff))
    return found


def shown_value(bound, value):
    """`value` of a form field as an editor reads it: a choice's label, text as typed."""
    choices = getattr(bound.field, "choices", None)
    if choices is not None:
        if value in (None, ""):
            return ""
        try:
            chosen = bound.field.to_python(value)
        except ValidationError:  # a choice that no longer exists
            return str(value)
        return str(chosen) if chosen is not None else ""
    shown = bound.field.widget.format_value(value)
    return ("" if shown is None else str(shown)).replace("\r\n", "\n").strip()
