"""Whose names a person may put on a byline, and the byline profile every staff account has.

Editors may byline anyone. Writers may byline themselves and the co-authors their profile is
paired with (Author.paired_with, which editors set); names already on the article stay.
"""

from django.db.models import Q

from articles.models import Author

from . import workflow
from .services import author_profile_ensure


def bylineable_authors(user, *, article=None):
    """The authors `user` may put on `article`'s byline (a new article's when None)."""
    if workflow.is_editor(user):
        return Author.objects.all()
    chosen = Q(user=user) | Q(paired_with__user=user)
    if article is not None and article.pk:
        chosen |= Q(article_links__article=article)
    return Author.objects.filter(chosen).distinct()


REFUSED = (
    "You can put your own name and the co-authors you are paired with on a byline; "
    "ask an editor to add anyone else, or to pair you with them."
)


def staff_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of the user model: a staff account gets its byline profile, whichever way it
    was made (create_staff_account, the admin's user form, createsuperuser) or made staff."""
    if instance.is_staff and not raw:
        author_profile_ensure(user=instance)
