"""Stored table-of-contents titles were HTML-escaped once too often; keep them as plain text."""

import html

from django.db import migrations


def unescape_heading_titles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).only("pk", "headings")
    for article in articles.iterator():
        if not article.headings:
            continue
        article.headings = [
            {**heading, "title": html.unescape(heading["title"])} for heading in article.headings
        ]
        article.save(update_fields=["headings"])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0009_fill_empty_tag_slugs"),
    ]

    operations = [
        migrations.RunPython(unescape_heading_titles, migrations.RunPython.noop),
    ]
