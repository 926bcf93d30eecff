"""What the importers remember: where each article came from, the addresses it had on the old
site, the WordPress comments, attachments and pictures already carried over, and each polled
feed."""

from django.db import models
from django.utils import timezone

from articles.models import Article


class ImportRecord(models.Model):
    """One imported article: its stable key in the source, and what the import last wrote, so a
    re-import can tell an editor's change from a change in the source."""

    class Format(models.TextChoices):
        TEXT = "text", "Plain text"
        WXR = "wxr", "WordPress export (WXR)"
        NINJS = "ninjs", "NINJS"
        FEED = "feed", "RSS or Atom feed"

    key = models.CharField(
        max_length=500,
        unique=True,
        help_text="The article's identity in its source, e.g. “text:reuters/2024/001.txt”, "
        "“wxr:https://example.com/?p=12” or “ninjs:urn:newsml:…”. Importing the same key "
        "again updates this article.",
    )
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="import_record",
        help_text="The article the source became.",
    )
    format = models.CharField(max_length=10, choices=Format, help_text="What was imported.")
    source = models.CharField(
        max_length=1000, help_text="The file or address the article was last imported from."
    )
    fingerprint = models.CharField(
        max_length=64,
        db_index=True,
        blank=True,
        help_text="A hash of the source text ignoring spacing, to spot the same text sent "
        "again under another name.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="The agency or source credited in the copy, e.g. “Reuters”; not an author.",
    )
    imported = models.JSONField(
        default=dict,
        blank=True,
        help_text="The fields as the import last wrote them. When the article no longer "
        "matches, an editor changed it, and re-imports leave it alone unless forced.",
    )
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the source said that has no place on the article yet, e.g. "
        "WordPress attachments and unknown shortcodes.",
    )
    imported_at = models.DateTimeField(
        default=timezone.now, help_text="When the article was last created or updated by import."
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "import record"
        permissions = [
            (
                "import_archive",
                "Can upload WordPress and NINJS archives (editor-in-chief)",
            ),
        ]

    def __str__(self):
        return self.key


class LegacyAddress(models.Model):
    """An address an article had on the site it was migrated from; it answers 301."""

    path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address without the host, e.g. “/2012/01/03/hello-world/” or “/?p=12”.",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="legacy_addresses",
        help_text="Readers who follow the old address are sent here.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        verbose_name = "legacy address"
        verbose_name_plural = "legacy addresses (they redirect to the article)"

    def __str__(self):
        return self.path


class ImportedComment(models.Model):
    """A WordPress comment already carried over, so that a second run adds it again never."""

    key = models.CharField(
        max_length=500,
        unique=True,
        help_text="The comment's identity in its source, e.g. “wxr:https://example.com#c881”.",
    )
    # A plain id, not a foreign key: reader comments are moving to their own app, and a comment
    # deleted by a moderator must stay deleted on the next run (no row, no resurrection).
    comment_id = models.BigIntegerField(help_text="The reader comment it became.")

    class Meta:
        verbose_name = "imported comment"

    def __str__(self):
        return self.key


class Attachment(models.Model):
    """A WordPress attachment (an image or a file), kept until the image library can take it."""

    key = models.CharField(max_length=500, unique=True, help_text="Its identity in the export.")
    record = models.ForeignKey(
        ImportRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        help_text="The imported article it was attached to, if any.",
    )
    url = models.URLField(max_length=1000, help_text="Where the file is on the old site.")
    title = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    description = models.TextField(blank=True)
    metadata = models.JSONField(
        default=dict, blank=True, help_text="The rest of WordPress's data: sizes, alt text."
    )

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.title or self.url


class ImportedImage(models.Model):
    """A picture brought into the image library from a WordPress site's uploads, so that a
    second run reuses it rather than adding it again."""

    key = models.CharField(
        max_length=500,
        unique=True,
        help_text="The picture's identity in its source: its WordPress attachment id, e.g. "
        "“wxr:https://example.com/?attachment_id=12”, or for a picture no attachment "
        "describes, its address in the uploads folder.",
    )
    # Deleting the picture from the library keeps this row: the next run does not bring it back.
    image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The library picture it became; empty once deleted from the library.",
    )

    class Meta:
        verbose_name = "imported picture"

    def __str__(self):
        return self.key


class Feed(models.Model):
    """An RSS or Atom feed `ingest_feed` polls, with what its server said last time."""

    url = models.URLField(max_length=1000, unique=True, help_text="The feed's address.")
    etag = models.CharField(
        max_length=500, blank=True, help_text="Sent back as If-None-Match on the next poll."
    )
    last_modified = models.CharField(
        max_length=100, blank=True, help_text="Sent back as If-Modified-Since on the next poll."
    )
    polled_at = models.DateTimeField(null=True, blank=True, help_text="The last poll.")

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.url
