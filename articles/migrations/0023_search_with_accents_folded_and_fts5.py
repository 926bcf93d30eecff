"""
Search that folds accents on PostgreSQL, and an FTS5 index on SQLite.

PostgreSQL: the `unaccent` extension, a text search configuration `english_unaccent` (English
with accents removed before stemming, as PostgreSQL's unaccent documentation sets one up), and a
stored generated column `search_document` (headline weighted A, standfirst B, body C) with a GIN
index, in place of migration 0003's index over the same expression. Stored, so that neither the
recheck of a phrase nor the rank parses an article's text again; a configuration rather than an
unaccent() call, since to_tsvector with a fixed configuration is immutable, as a generated
column needs. The column is the database's own: the model does not list it (SQLite has none).

SQLite: an FTS5 table over the headline, standfirst and body (the Porter stemmer over unicode61
with accents removed), kept current by triggers and filled here from the existing articles, and
an index of the articles' ids with their status and dates, so that sorting the matches by date
reads no article's text.

The statements repeat articles.search and articles.search_index as they were when written.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FTS_TABLE = "articles_article_search"
_ADD = (
    f"INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body) "
    "VALUES (new.id, new.headline, new.standfirst, new.body);"
)
_REMOVE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body) "
    "VALUES ('delete', old.id, old.headline, old.standfirst, old.body);"
)
SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(headline, standfirst, body, "
    "content='articles_article', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN {_ADD} END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN {_REMOVE} END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF headline, standfirst, body "
    f"ON articles_article BEGIN {_REMOVE} {_ADD} END",
    f"CREATE INDEX {FTS_TABLE}_dates ON articles_article (id, status, published_at, created_at)",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP INDEX IF EXISTS {FTS_TABLE}_dates",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_FORWARDS = [
    "CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION english_unaccent "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(headline, '')), 'A') || "
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(standfirst, '')), 'B') || "
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(body, '')), 'C')) STORED",
    "DROP INDEX IF EXISTS article_search_idx",
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_document)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article DROP COLUMN search_document",
    "DROP TEXT SEARCH CONFIGURATION english_unaccent",
]


def old_search_index():
    """Migration 0003's index, put back when going backwards."""
    vector = (
        SearchVector("headline", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    return GinIndex(vector, name="article_search_idx")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_BACKWARDS:
            schema_editor.execute(statement)
        schema_editor.add_index(apps.get_model("articles", "Article"), old_search_index())
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_add_article_public_updated_index"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
