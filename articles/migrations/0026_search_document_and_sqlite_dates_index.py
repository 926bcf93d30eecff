"""
Search at 100,000 articles (after migration 0023).

PostgreSQL: a stored generated column `search_document` (headline weighted A, standfirst B,
body C, in the `english_unaccent` configuration) with the GIN index over it, in place of the
index over the same expression: neither the recheck of a phrase (GIN keeps no word positions)
nor the rank then parses an article's text again. The column is the database's own: the model
does not list it, since SQLite has none. Adding it rewrites the articles table.

SQLite: an index of the articles' ids with their status and dates, so that sorting the matches
by date reads no article's text, and fresh statistics for the planner.

The statements repeat articles.search and articles.search_index as they were when written.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

POSTGRES_FORWARDS = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(headline, '')), 'A') || "
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(standfirst, '')), 'B') || "
    "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(body, '')), 'C')) STORED",
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_document)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article DROP COLUMN search_document",
]
# IF NOT EXISTS: after migrating back past this one, the search index's post_migrate check
# (search_index.restore_triggers) may have made it again.
SQLITE_FORWARDS = [
    "CREATE INDEX IF NOT EXISTS articles_article_search_dates "
    "ON articles_article (id, status, published_at, created_at)",
    "ANALYZE articles_article",
]
SQLITE_BACKWARDS = ["DROP INDEX IF EXISTS articles_article_search_dates"]


def expression_index():
    """Migration 0023's index, put back when going backwards."""
    vector = (
        SearchVector("headline", weight="A", config="english_unaccent")
        + SearchVector("standfirst", weight="B", config="english_unaccent")
        + SearchVector("body", weight="C", config="english_unaccent")
    )
    return GinIndex(vector, name="article_search_idx")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}.get(vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}.get(vendor, []):
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), expression_index())


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0025_top_headings_and_pull_quotes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
