from django.conf import settings
from django.db import models
from django.db.models import Q

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
