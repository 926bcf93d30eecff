from django.conf import settings
from django.db import migrations, models

from articles.slugs import unique_slug


def give_staff_byline_profiles(apps, schema_editor):
    """Every staff account has an author profile: one without gets an unclaimed author of the
    same name, or a new one (desk.services.author_profile_ensure does the same for new staff)."""
    db = schema_editor.connection.alias
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Author = apps.get_model("articles", "Author")
    for user in User.objects.using(db).filter(is_staff=True, author__isnull=True).order_by("pk"):
        full_name = f"{user.first_name} {user.last_name}".strip()
        name = " ".join((full_name or user.username).split())
        author = Author.objects.using(db).filter(name__iexact=name, user__isnull=True).first()
        if author is None:
            slug = unique_slug(name, queryset=Author.objects.using(db), fallback="author")
            author = Author(name=name, slug=slug)
        author.user = user
        author.save(using=db)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_search_with_accents_folded_and_fts5"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="paired_with",
            field=models.ManyToManyField(
                blank=True,
                help_text="Co-authors this author works with: a writer may put their own name "
                "and the names of the people they are paired with on a byline. Editors set "
                "pairings; a pairing goes both ways.",
                to="articles.author",
            ),
        ),
        # Profiles made here stay when migrating back: they are bylines like any other.
        migrations.RunPython(give_staff_byline_profiles, migrations.RunPython.noop),
    ]
