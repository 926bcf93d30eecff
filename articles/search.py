"""
Search for readers, ranked, on PostgreSQL and on SQLite alike.

The reader's text is read into a bounded query once (search_query.py) and written out for the
database: a to_tsquery text over a stored, GIN-indexed tsvector on PostgreSQL (migrations
0023 and 0026), an FTS5 MATCH expression over the `articles_article_search` index on SQLite
(search_index.py). Both fold accents, stem English words, and rank the headline above the
standfirst above the body (ts_rank with weights A, B, C; bm25 with FTS_WEIGHTS).

Only the SEARCH_CANDIDATES newest matches are ranked, so a common word costs no more in a large
archive than in a small one. Picking them runs one or two short queries.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import DatabaseError, connections
from django.db.models import FloatField, QuerySet, Value
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


def search_document():
    """The headline (weight A), standfirst (B) and body (C) as PostgreSQL's stored, indexed
    `search_document` column (migration 0026); only in queries on `articles_article` itself."""
    column = "articles_article.search_document"
    return RawSQL(column, (), output_field=SearchVectorField())  # noqa: S611


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
        ids = _newest(articles.annotate(search=search_document()).filter(search=tsquery))
        rank = SearchRank(search_document(), tsquery)
    else:
        expression = query.fts5()
        # The whole archive at once: the index finds every match anyway, with no date index
        # to narrow it down as on PostgreSQL.
        ids = _newest(_fts_matches(articles, expression), recent_first=False)
        rank = _scores(_bm25(articles.db, expression, ids))
    ranked = articles.filter(pk__in=ids).annotate(rank=rank)
    return Found(ranked.order_by("-rank", "-published_at", "-pk"), len(ids))


def matching(articles, text):
    """Articles matching a reader's query (text or a parsed query), best first."""
    return find(articles, text).articles


def _fts_matches(articles, expression):
    """`articles` matching the FTS5 `expression`. The index is joined rather than asked in a
    subquery, so that SQLite reads the matches from it and looks each article up by its id,
    whatever statistics it has (without them it would rather walk an index of all articles)."""
    return articles.extra(  # noqa: S610 (constants; the reader's words are a parameter)
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = articles_article.id", f"{FTS_TABLE} MATCH %s"],
        params=[expression],
    )


def _scores(scores):
    """{id: score} as an SQL expression of the article's score, written out directly (a Case
    of When objects for 200 articles takes the ORM longer to build than the search takes)."""
    if not scores:
        return Value(0.0, output_field=FloatField())
    branches = " ".join(["WHEN %s THEN %s"] * len(scores))
    params = [value for pair in scores.items() for value in pair]
    sql = f"CASE articles_article.id {branches} ELSE 0.0 END"
    return RawSQL(sql, params, output_field=FloatField())  # noqa: S611 (placeholders only)


def _bm25(using, expression, ids):
    """{id: bm25 score} of the articles `ids` for the FTS5 `expression`, larger for a better
    match. One statement for them all: bm25 counts the articles having each word once per
    statement (a subquery per article would count them for each)."""
    if not ids:
        return {}
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    placeholders = ", ".join(["%s"] * len(ids))
    # `+rowid`: the ids filter the matches; as `rowid IN` SQLite would run the search once
    # for each id, and bm25 would count each word's articles again each time.
    sql = (
        f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({placeholders})"
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
