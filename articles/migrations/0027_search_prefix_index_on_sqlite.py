"""
SQLite: the FTS5 search table gains prefix indexes for three and four letters (`prefix='3 4'`),
the shortest starts a reader may search for (`refi*`; articles.search_query.PREFIX_MIN_LENGTH
is 3). Without them FTS5 merges the lists of every indexed word so starting: at 100,000 articles
a four-letter start took 41 ms at the median and 543 ms at the 95th percentile, against 23 and
38 ms with them (docs/benchmarks.md). The table is made again and refilled from the articles
(26 s at 100,000 articles); it grows by a fifth. The triggers that keep it current name it, so
they go on working. PostgreSQL's prefix search (`:*`) reads the GIN index and needs nothing.

The statements repeat articles.search_index as it was when written.
"""

from django.db import migrations

FTS_TABLE = "articles_article_search"


def create(prefix):
    return (
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(headline, standfirst, body, "
        "content='articles_article', content_rowid='id', "
        f"tokenize='porter unicode61 remove_diacritics 2'{prefix})"
    )


def remake(schema_editor, prefix):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(create(prefix))
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def forwards(apps, schema_editor):
    remake(schema_editor, ", prefix='3 4'")


def backwards(apps, schema_editor):
    remake(schema_editor, "")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0026_search_document_and_sqlite_dates_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
