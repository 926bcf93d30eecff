"""What an article tells readers about itself besides its words, for their trust: what kind of
article it is (labelled on the page, typed for search engines: structured_data.ARTICLE_TYPES),
where and how it was reported, and when an editor last checked it (README, “Trust signals”)."""

from django.db import models


class TrustSignals(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        REVIEW = "review", "Review"
        EXPLAINER = "explainer", "Explainer"
        SPONSORED = "sponsored", "Sponsored"

    kind = models.CharField(
        "type",
        max_length=20,
        choices=Kind,
        default=Kind.NEWS,
        help_text="Shown to readers as a label and told to search engines. News: reporting "
        "of facts. Analysis: interpretation by a specialist. Opinion: an argued view. Review: "
        "a critic's judgement of a work. Explainer: background on a subject. Sponsored: paid "
        "for by an advertiser, always labelled “Paid content”, never offered as news.",
    )
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the reporting was done, shown before the first paragraph, e.g. "
        "“KYIV” or “LAGOS, Nigeria”. Leave empty when the place does not matter.",
    )
    reporting_notes = models.TextField(
        "how we reported this",
        blank=True,
        max_length=2000,
        help_text="For readers, below the article: how the story was reported, e.g. who was "
        "interviewed, which documents were read, what could not be confirmed and why sources "
        "are not named. Leave empty to show nothing.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last checked that this evergreen article is still right; "
        "shown as “Last reviewed on …”. Set it with “Mark as reviewed today” in the list.",
    )

    class Meta:
        abstract = True

    @property
    def listing_label(self):
        """The label beside the headline where articles are listed (cards, newsletters): the
        kind, but for plain news; paid content always says so."""
        if self.kind == self.Kind.SPONSORED:
            return "Sponsored · Paid content"
        return "" if self.kind == self.Kind.NEWS else self.get_kind_display()
