"""Make the feed id unique and required, filling first any article the previous release saved
since 0020 (one transaction: if one more is saved in between, the migration fails and simply
runs again)."""

import uuid

from django.db import migrations, models
from django.db.models.functions import UUID4


def fill_late_uuids(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    articles.filter(uuid__isnull=True).update(uuid=UUID4())


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0020_fill_article_uuids"),
    ]

    operations = [
        migrations.RunPython(fill_late_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Its permanent id in feeds, which no new slug or headline changes.",
                unique=True,
            ),
        ),
    ]
