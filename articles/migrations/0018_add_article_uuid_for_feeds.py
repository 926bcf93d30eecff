"""Feed ids, in three steps: this adds the column (at once: no default, so no row is
rewritten), 0019 gives each existing article its own UUID, 0020 makes the column unique and
required. Django would give every existing row the same default."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_render_embed_lines_in_stored_bodies"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
