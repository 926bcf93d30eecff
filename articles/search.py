"""
Search for readers, ranked, on PostgreSQL and on SQLite alike.

The reader's text is read into a bounded query once (search_query.py) and written out for the
database: a to_tsquery text over an expression GIN index on PostgreSQL (migration 0023), an FTS5
MATCH expression over the `articles_article_search` index on SQLite (search_index.py). Both fold
accents, stem English words, and rank the headline above the standfirst above the body.

Only the SEARCH_CANDIDATES newest matches are ranked, so a common word costs no more in a large
archive than in a small one. Picking them runs one or two short queries.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import DatabaseError, connections
from django.db.models import Case, FloatField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from .search_index import FTS_TABLE
from .search_query import MAX_LENGTH, parse

# English stemming with accents folded (migration 0023 makes it from PostgreSQL's `english`).
SEARCH_CONFIG = "english_unaccent"
SEARCH_MAX_LENGTH = MAX_LENGTH
# Search shows the best of this many newest matches, looking among the articles of the last
# SEARCH_RECENT first (see ArticleQuerySet.search).
SEARCH_CANDIDATES = 200
SEARCH_RECENT = timedelta(days=90)
# bm25 weights of the FTS5 columns: headline, standfirst, body.
FTS_WEIGHTS = (10.0, 4.0, 1.0)


def search_vector():
    """Headline outranks standfirst outranks body. Migration 0023 indexes this same expression."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def title_vector():
    """What PostgreSQL ranks by: the headline above the standfirst (body matches rank by date)."""
    return SearchVector("headline", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "standfirst", weight="B", config=SEARCH_CONFIG
    )


def search_text(raw):
    """A reader's query as the page shows it back: without NUL, at most SEARCH_MAX_LENGTH
    characters."""
    return raw.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH].strip()


@dataclass(frozen=True)
class Found:
    """A search's articles, best first, and how many there are (the candidates: at most
    SEARCH_CANDIDATES), known without counting them again."""

    articles: QuerySet
    count: int


def find(articles, text):
    """Search `articles` for a reader's query (text or a parsed query)."""
    query = parse(text) if isinstance(text, str) else text
    if not query:
        return Found(articles.none(), 0)
    if connections[articles.db].vendor == "postgresql":
        tsquery = SearchQuery(query.tsquery(), search_type="raw", config=SEARCH_CONFIG)
        ids = _newest(articles.annotate(search=search_vector()).filter(search=tsquery))
        # By headline and standfirst: short texts, cheap to parse again for the rank.
        rank = SearchRank(title_vector(), tsquery)
    else:
        expression = query.fts5()
        # The whole archive at once: the index finds every match anyway, with no date index
        # to narrow it down as on PostgreSQL.
        matches = articles.filter(pk__in=RawSQL(FTS_MATCHES, (expression,)))  # noqa: S611
        ids = _newest(matches, recent_first=False)
        scores = _bm25(articles.db, expression, ids)
        rank = Case(
            *[When(pk=pk, then=Value(score)) for pk, score in scores.items()],
            default=Value(0.0),
            output_field=FloatField(),
        )
    ranked = articles.filter(pk__in=ids).annotate(rank=rank)
    return Found(ranked.order_by("-rank", "-published_at", "-pk"), len(ids))


def matching(articles, text):
    """Articles matching a reader's query (text or a parsed query), best first."""
    return find(articles, text).articles


# The table name is a constant; the reader's words are a parameter.
FTS_MATCHES = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def _bm25(using, expression, ids):
    """{id: bm25 score} of the articles `ids` for the FTS5 `expression`, larger for a better
    match. One statement for them all: bm25 counts the articles having each word once per
    statement, which a subquery per article would do for each."""
    if not ids:
        return {}
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [expression, *ids])
        return dict(cursor.fetchall())


# PostgreSQL errors that a query may raise and no outage does: too complex (program limit,
# "tsquery stack too small" is an internal error), its syntax or data, a statement timeout.
QUERY_ERROR_STATES = ("54", "42601", "22", "XX000", "57014")
# SQLite's words for an FTS5 expression it cannot run.
QUERY_ERROR_MESSAGES = ("fts5:", "unterminated string", "malformed match expression")


def is_query_error(error):
    """Whether a DatabaseError came from the search itself (the reader may try other words),
    not from the database being unreachable or broken."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state:
        return state.startswith(QUERY_ERROR_STATES)
    return str(cause or error).lower().startswith(QUERY_ERROR_MESSAGES)


def _newest(matches, recent_first=True):
    """The ids of the SEARCH_CANDIDATES newest `matches`: looked for among the articles of
    the last SEARCH_RECENT first (on PostgreSQL the date and text indexes narrow each other
    down), then, if too few, in the whole archive."""
    # Ordered by an expression no index holds: otherwise PostgreSQL may walk the date
    # index, parsing each article's text, which for a rare word means the whole archive.
    newest = matches.order_by(Coalesce("published_at", "created_at").desc(), "-pk")
    newest = newest.values_list("pk", flat=True)
    found = []
    if recent_first:
        recent = newest.filter(published_at__gte=timezone.now() - SEARCH_RECENT)
        found = list(recent[:SEARCH_CANDIDATES])
    if len(found) < SEARCH_CANDIDATES:
        found = list(newest[:SEARCH_CANDIDATES])
    return found
