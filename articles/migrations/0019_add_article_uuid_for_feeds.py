"""Feed ids, in three steps: this adds the column (at once: no default, so no row is
rewritten), 0020 gives each existing article its own UUID, 0021 makes the column unique and
required. Django would give every existing row the same default."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0018_add_article_type_dateline_reporting_notes_last_reviewed_and_policy_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
