"""Give every article a permanent identifier for feeds.

Existing articles each get their own random UUID (a default would give them all the same)
before the column becomes unique and required. Filling a column rewrites every article row
and its search index entry (about 5 minutes for 100,000 articles on a busy PostgreSQL), so the
migration is not one transaction: the column is added at once, filled in batches of ids that
each commit, so readers and editors wait for no lock meanwhile, then made unique. Articles
that old code saves while it runs are filled by the last pass.
"""

import uuid

from django.db import migrations, models
from django.db.models import Max
from django.db.models.functions import UUID4

BATCH = 2000


def give_each_article_a_uuid(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    missing = articles.filter(uuid__isnull=True)
    while (last := missing.aggregate(last=Max("pk"))["last"]) is not None:
        for start in range(0, last, BATCH):
            missing.filter(pk__gt=start, pk__lte=start + BATCH).update(uuid=UUID4())


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0017_render_embed_lines_in_stored_bodies"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="uuid",
            # No default here: Django would give every existing row the same one.
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_article_a_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The article's permanent identifier: feeds name it by this, so a new "
                "slug or headline never makes it a new item in feed readers.",
                unique=True,
            ),
        ),
    ]
