from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0021_make_article_uuid_unique"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "scheduled"])),
                fields=["-updated_at"],
                name="article_public_updated_idx",
            ),
        ),
    ]
