from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .article import Article
from .taxonomy import Author


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="author_links")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_links")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the byline."
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "byline"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="article_author_unique"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class FaqItem(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(max_length=300, help_text="Phrase it as a reader would ask it.")
    answer = models.TextField(help_text="A short, plain-text answer.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ item"

    def __str__(self):
        return self.question


class RelatedLink(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="linked_from",
        verbose_name="related article",
        help_text="Start typing a headline. Only published articles are shown to readers.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "related article"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_link_unique"),
            models.CheckConstraint(
                condition=~Q(article=F("target")),
                name="related_link_not_self",
                violation_error_message="An article cannot be related to itself.",
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.target}"


class CorrectionQuerySet(models.QuerySet):
    def published(self, now=None):
        """Corrections readers may see: those on articles readers may see, newest first."""
        return self.filter(article__in=Article.objects.published(now=now)).order_by(
            "-created_at", "-pk"
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        default=Kind.CORRECTION,
        help_text="Correction: we got something wrong. Update: the story moved on.",
    )
    note = models.TextField(
        help_text="What changed, in a sentence or two, e.g. “An earlier version misstated…”."
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text="The date shown to readers next to the note."
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_latest_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article}"


class OldSlug(models.Model):
    """An address an article was published under before an editor changed its slug."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="Readers who follow a link to this old address are sent to the article.",
    )
    created_at = models.DateTimeField(default=timezone.now, help_text="When the slug changed.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses (they redirect to the article)"

    def __str__(self):
        return self.slug
