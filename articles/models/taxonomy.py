from django.conf import settings
from django.db import models
from django.db.models import Q

from ..paths import path_to


class Section(models.Model):
    name = models.CharField(
        max_length=100, unique=True, help_text="Shown in the navigation, e.g. “World”."
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        help_text="Part of the section's web address, e.g. “world”.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the section page."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation from the lowest number up."
    )

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="section_slug_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("articles:section", self.slug)


class Author(models.Model):
    name = models.CharField(
        max_length=150, help_text="As it appears in the byline, e.g. “Ana Silva”."
    )
    slug = models.SlugField(
        max_length=150,
        unique=True,
        allow_unicode=True,
        help_text="Part of the author page's address, e.g. “ana-silva”.",
    )
    title = models.CharField(
        max_length=150,
        blank=True,
        help_text="Job title shown next to the name, e.g. “Chief Editor”.",
    )
    bio = models.TextField(
        blank=True, help_text="A short biography for the author page, in plain text."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account that writes as this author, if any.",
    )
    paired_with = models.ManyToManyField(
        "self",
        blank=True,
        help_text="Co-authors this author works with: a writer may put their own name and "
        "the names of the people they are paired with on a byline. Editors set pairings; "
        "a pairing goes both ways.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="author_slug_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("articles:author", self.slug)
