"""
The SQLite search index: an FTS5 table over the articles' headline, standfirst and body, with
the Porter stemmer over the unicode61 tokenizer with accents removed, kept current by triggers
(so bulk writes, queryset updates and raw SQL keep it current too, as no signal would).

It reads its text from articles_article (an external-content table: no second copy of the
bodies). Migration 0023 creates it and fills it from the rows there; 0027 makes it again with
prefix indexes of three and four letters, for `refi*`. A later migration that
rebuilds articles_article on SQLite (as Django does to alter a column) drops the table's
triggers with it: after every migrate, `restore_triggers` puts them back and refills the index.
"""

from django.db import connections

FTS_TABLE = "articles_article_search"
TOKENIZER = "porter unicode61 remove_diacritics 2"

# Constants only: no value from outside is written into these statements.
_ADD = (
    f"INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body) "  # noqa: S608
    "VALUES (new.id, new.headline, new.standfirst, new.body);"
)
_REMOVE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body) "  # noqa: S608
    "VALUES ('delete', old.id, old.headline, old.standfirst, old.body);"
)
TRIGGERS = {
    f"{FTS_TABLE}_insert": f"AFTER INSERT ON articles_article BEGIN {_ADD} END",
    f"{FTS_TABLE}_delete": f"AFTER DELETE ON articles_article BEGIN {_REMOVE} END",
    f"{FTS_TABLE}_update": (
        f"AFTER UPDATE OF headline, standfirst, body ON articles_article BEGIN {_REMOVE} {_ADD} END"
    ),
}


# What picking the newest matches reads of each article found, without its long text: by id,
# whether and when it is public (search._newest).
DATES_INDEX = f"{FTS_TABLE}_dates"
CREATE_DATES_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {DATES_INDEX} "
    "ON articles_article (id, status, published_at, created_at)"
)


def rebuild(cursor):
    """Fill the index again from articles_article."""
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608


def check(cursor):
    """Raise a DatabaseError if the index differs from the articles' text."""
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


def restore_triggers(connection):
    """Where the index exists but a trigger is missing, create the triggers (and the dates
    index of migration 0026, which a rebuilt table loses too) and refill the index; returns
    whether it did. Nothing on other databases, or before migration 0023."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') "
            "AND name LIKE %s",
            (f"{FTS_TABLE}%",),
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present or {*TRIGGERS, DATES_INDEX} <= present:
            return False
        _create_triggers(cursor)
        cursor.execute(CREATE_DATES_INDEX)
        rebuild(cursor)
    return True


def after_migrate(sender, using, **kwargs):
    """post_migrate receiver: restore_triggers, then fresh statistics of the articles for
    SQLite's planner (a deploy migrates; without them, at 100,000 articles, SQLite walks an
    index of every public article to find a page of 12 by their ids)."""
    connection = connections[using]
    restore_triggers(connection)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")


def _create_triggers(cursor):
    for name, body in TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
