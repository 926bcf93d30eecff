"""
Articles imported before the ingest app keep their identity: the old importer keyed an article by
its file's name without `.txt` in Article.import_ref; the key is now the file's path relative to
the folder imported, with its extension, in an ImportRecord. Demo articles ("demo:…") are not
imports and keep their import_ref alone.

The old importer kept no record of what it wrote, so the first re-import takes the article as it
stands for what was imported (an editor's change made before this upgrade is not detected).
"""

from django.db import migrations


def record_earlier_imports(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ImportRecord = apps.get_model("ingest", "ImportRecord")
    db = schema_editor.connection.alias
    imported = (
        Article.objects.using(db)
        .filter(import_ref__isnull=False)
        .exclude(import_ref__startswith="demo:")
        .exclude(import_ref="")
    )
    ImportRecord.objects.using(db).bulk_create(
        [
            ImportRecord(
                key=f"text:{article.import_ref}.txt",
                article=article,
                format="text",
                source=f"{article.import_ref}.txt",
            )
            for article in imported
        ],
        ignore_conflicts=True,
    )


def forget_earlier_imports(apps, schema_editor):
    # Article.import_ref still holds the old key, so going back loses nothing.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_published_at_help_text"),
        ("ingest", "0001_import_records_legacy_addresses_and_feeds"),
    ]

    operations = [migrations.RunPython(record_earlier_imports, forget_earlier_imports)]
