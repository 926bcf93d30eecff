"""Renditions record their size in bytes, for feed enclosures; those made before are measured
from storage."""

from django.core.files.storage import default_storage
from django.db import migrations, models


def measure_existing_renditions(apps, schema_editor):
    Rendition = apps.get_model("images", "Rendition")
    renditions = Rendition.objects.using(schema_editor.connection.alias).filter(file_size=0)
    for rendition in renditions.only("pk", "file").iterator():
        try:
            size = default_storage.size(rendition.file.name)
        except OSError:  # the file is gone: the next page or make_renditions makes it again
            continue
        renditions.filter(pk=rendition.pk).update(file_size=size)


class Migration(migrations.Migration):

    dependencies = [
        ("images", "0001_create_image_and_rendition"),
    ]

    operations = [
        migrations.AddField(
            model_name="rendition",
            name="file_size",
            field=models.PositiveIntegerField(
                default=0, help_text="In bytes (feeds give it with the picture's address)."
            ),
        ),
        migrations.RunPython(measure_existing_renditions, migrations.RunPython.noop),
    ]
