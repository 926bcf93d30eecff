"""Give tags whose name had nothing to make a slug of ("!!!") the slug "tag", kept unique."""

from django.db import migrations


def fill_empty_tag_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    tags = Tag.objects.using(schema_editor.connection.alias)
    for tag in tags.filter(slug=""):
        slug, n = "tag", 2
        while tags.filter(slug=slug).exists():
            slug, n = f"tag-{n}", n + 1
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_section_and_author_slugs_not_empty"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(fill_empty_tag_slugs, migrations.RunPython.noop),
    ]
