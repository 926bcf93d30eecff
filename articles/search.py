"""
Search for readers: PostgreSQL ranks full-text matches; SQLite matches words.

Only the SEARCH_CANDIDATES newest matches are ranked, so a common word costs no more in a large
archive than in a small one. Picking them runs one or two short queries.
"""

from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

SEARCH_CONFIG = "english"
SEARCH_MAX_LENGTH = 200
# Search shows the best of this many newest matches, looking among the articles of the last
# SEARCH_RECENT first (see ArticleQuerySet.search).
SEARCH_CANDIDATES = 200
SEARCH_RECENT = timedelta(days=90)
def search_vector():
    """Headline outranks standfirst outranks body. Migration 0003 indexes this same expression."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def title_vector():
    """What search ranks by: the headline above the standfirst (body matches rank by date)."""
    return SearchVector("headline", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "standfirst", weight="B", config=SEARCH_CONFIG
    )


def search_text(raw):
    """A reader's query made safe to search for: PostgreSQL refuses NUL, and no headline needs
    more than SEARCH_MAX_LENGTH characters to be found."""
    return raw.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH].strip()


def matching(articles, text):
    """Articles matching a reader's query, best first; PostgreSQL ranks, SQLite just matches.

    Only the SEARCH_CANDIDATES newest matches are ranked, so a common word costs no more in
    a large archive than in a small one. Picking them runs one or two short queries now.
    """
    text = search_text(text)
    if not text:
        return articles.none()
    if connections[articles.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        candidates = articles.filter(pk__in=_newest(
            articles.annotate(search=search_vector()).filter(search=query)
        ))  # fmt: skip
        # By headline and standfirst: short texts, cheap to parse again for the rank.
        return candidates.annotate(rank=SearchRank(title_vector(), query)).order_by(
            "-rank", "-published_at", "-pk"
        )
    matches = Q()
    for word in text.split():
        matches &= (
            Q(headline__icontains=word)
            | Q(standfirst__icontains=word)
            | Q(body__icontains=word)
        )
    return articles.filter(pk__in=_newest(articles.filter(matches))).latest_first()


def _newest(matches):
    """The ids of the SEARCH_CANDIDATES newest `matches`: looked for among the articles of
    the last SEARCH_RECENT first (on PostgreSQL the date and text indexes narrow each other
    down), then, if too few, in the whole archive."""
    # Ordered by an expression no index holds: otherwise PostgreSQL may walk the date
    # index, parsing each article's text, which for a rare word means the whole archive.
    newest = matches.order_by(Coalesce("published_at", "created_at").desc(), "-pk")
    newest = newest.values_list("pk", flat=True)
    ids = list(newest.filter(published_at__gte=timezone.now() - SEARCH_RECENT)[
        :SEARCH_CANDIDATES
    ])  # fmt: skip
    if len(ids) < SEARCH_CANDIDATES:
        ids = list(newest[:SEARCH_CANDIDATES])
    return ids
