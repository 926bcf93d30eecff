"""
What other apps add to article cards, by name (NEWSROOM_ARTICLE_CARD_ANNOTATIONS: the comments
app adds `comment_count`), for ArticleQuerySet.with_card_annotations().

Each expression is built once per process: building the comment count's subquery afresh took
a quarter of a listing's query building. annotate() resolves a copy of it for its queryset, so
the one built here is never changed.
"""

import functools

from django.conf import settings
from django.utils.module_loading import import_string


@functools.cache
def _built(path):
    return import_string(path)()


def card_annotations():
    """{name: expression} to annotate article cards with."""
    extras = settings.NEWSROOM_ARTICLE_CARD_ANNOTATIONS
    return {name: _built(path) for name, path in extras.items()}
