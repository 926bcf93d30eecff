"""
A GIN index for reader search on PostgreSQL; nothing on other databases.

The expression repeats articles.models.search_vector() as it was when written, so that the
planner can use the index for ArticleQuerySet.search(); tests check it does.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def search_index():
    vector = (
        SearchVector("headline", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    return GinIndex(vector, name="article_search_idx")


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), search_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), search_index())


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_add_old_slug"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
