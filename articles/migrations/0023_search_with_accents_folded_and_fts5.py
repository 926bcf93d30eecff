"""
Search that folds accents on PostgreSQL, and an FTS5 index on SQLite.

PostgreSQL: the `unaccent` extension, a text search configuration `english_unaccent` (English
with accents removed before stemming, as PostgreSQL's unaccent documentation sets one up), and
the GIN index of migration 0003 made again over it. A configuration rather than an unaccent()
call in the expression: to_tsvector with a fixed configuration is immutable, so it can be
indexed with no wrapper function.

SQLite: an FTS5 table over the headline, standfirst and body (the Porter stemmer over unicode61
with accents removed), kept current by triggers and filled here from the existing articles.

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
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_CONFIG = [
    "CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION english_unaccent "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
]


def search_index(config):
    vector = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )
    return GinIndex(vector, name="article_search_idx")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_CONFIG:
            schema_editor.execute(statement)
        Article = apps.get_model("articles", "Article")
        schema_editor.remove_index(Article, search_index("english"))
        schema_editor.add_index(Article, search_index("english_unaccent"))
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        Article = apps.get_model("articles", "Article")
        schema_editor.remove_index(Article, search_index("english_unaccent"))
        schema_editor.add_index(Article, search_index("english"))
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION english_unaccent")
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
