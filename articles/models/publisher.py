from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ..rendering import render_markdown

# The one row there is.
PUBLISHER_ID = 1


class Publisher(models.Model):
    """Who publishes the site, as search engines and social sites are told (schema.org
    Organization: structured_data.organization). Its name and address are the site's
    (NEWSROOM_SITE_NAME, the home page); the logo is a picture of the library. One row at most."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=PUBLISHER_ID, editable=False, help_text="Always 1."
    )
    logo = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        related_name="logo_of",
        help_text="The publication's logo, as search engines show it beside its articles: "
        "upload it to the picture library first (PNG or JPEG, at least 112 pixels wide and "
        "high; a square or a wide rectangle on a plain background), then choose it here.",
    )

    class Meta:
        verbose_name = "publisher"
        constraints = [
            models.CheckConstraint(condition=Q(id=PUBLISHER_ID), name="publisher_single_row"),
        ]

    def __str__(self):
        return settings.NEWSROOM_SITE_NAME


class PolicyPage(models.Model):
    """A page about the publication that its owner writes: how it corrects mistakes, its
    ethics, who works there, who owns and pays for it. Linked in every page's footer, and named
    to search engines in the publisher's structured data (structured_data.POLICY_PROPERTIES)."""

    class Kind(models.TextChoices):
        # In the order the footer lists them.
        MASTHEAD = "masthead", "Masthead"
        ETHICS = "ethics-policy", "Ethics policy"
        CORRECTIONS = "corrections-policy", "Corrections policy"
        OWNERSHIP = "ownership-and-funding", "Ownership and funding"

    kind = models.CharField(
        max_length=40,
        choices=Kind,
        unique=True,
        help_text="Which page this is. Its address is /about/ followed by the name, e.g. "
        "/about/ethics-policy/; the footer of every page links to it.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The page's heading; leave empty to use its name, e.g. “Ethics policy”.",
    )
    body = models.TextField(
        help_text="The page in Markdown: paragraphs, ## headings, **bold**, [links](https://…) "
        "and lists. For the masthead, name the editors and how to reach them."
    )
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the page was last changed; readers see it."
    )

    class Meta:
        verbose_name = "policy page"

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        return reverse("articles:policy", kwargs={"kind": self.kind})

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body).html
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @classmethod
    def links(cls):
        """[(kind, title, address)] of the pages there are, in the footer's order."""
        order = list(cls.Kind.values)
        pages = sorted(cls.objects.only("kind", "title"), key=lambda page: order.index(page.kind))
        return [(page.kind, str(page), page.get_absolute_url()) for page in pages]
