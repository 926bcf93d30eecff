"""Give any section or author with an empty slug one made from its name, then forbid empty slugs."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_empty_slugs(apps, schema_editor):
    # A frozen copy of articles.slugs.unique_slug, as migrations must not follow later changes.
    for model_name, fallback in (("Section", "section"), ("Author", "author")):
        model = apps.get_model("articles", model_name)
        rows = model.objects.using(schema_editor.connection.alias)
        for row in rows.filter(slug=""):
            base = slugify(row.name, allow_unicode=True)[:90].strip("-_") or fallback
            slug, n = base, 2
            while rows.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            row.slug = slug
            row.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_allow_unicode_slugs'),
    ]

    operations = [
        migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='author',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='author_slug_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='section_slug_not_empty'),
        ),
    ]
