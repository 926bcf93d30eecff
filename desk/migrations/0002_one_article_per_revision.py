from django.db import migrations
from django.db.models import Count

from desk.revisions import split_revision


def split_shared_revisions(apps, schema_editor):
    """Revisions saved by bulk actions before each article had its own hold several articles;
    each article gets a revision of its own, so that its history and rollback stand alone."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    db = schema_editor.connection.alias
    types = dict(
        ContentType.objects.using(db)
        .filter(app_label__in=["articles", "taggit"], model__in=["article", "taggeditem"])
        .values_list("model", "pk")
    )
    if "article" not in types:
        return  # a new database: nothing saved yet
    shared = (
        Version.objects.using(db)
        .filter(content_type_id=types["article"])
        .values("revision_id")
        .annotate(articles=Count("pk"))
        .filter(articles__gt=1)
        .values_list("revision_id", flat=True)
    )
    for revision in Revision.objects.using(db).filter(pk__in=list(shared)):
        split_revision(
            revision,
            list(Version.objects.using(db).filter(revision=revision).order_by("pk")),
            revisions=Revision,
            article_type_id=types["article"],
            tagged_item_type_id=types.get("taggeditem"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("articles", "0015_move_preview_link_to_desk_app"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(split_shared_revisions, migrations.RunPython.noop),
    ]
