import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def default_preview_expiry():
    return timezone.now() + timedelta(hours=PreviewLink.DEFAULT_LIFETIME_HOURS)


def new_preview_key():
    return secrets.token_urlsafe(24)


class PreviewLink(models.Model):
    """A shareable link that shows an unpublished article to someone without an account."""

    DEFAULT_LIFETIME_HOURS = 48
    SIGNING_SALT = "articles.preview-link"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    key = models.CharField(max_length=64, unique=True, default=new_preview_key, editable=False)
    shared_with = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the link is for, e.g. “Legal: J. Smith”. Only editors see this.",
    )
    expires_at = models.DateTimeField(
        default=default_preview_expiry,
        help_text="The link stops working at this time (48 hours from now unless you change it).",
    )
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor switched the link off; it works no more from then on.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "preview link"

    def __str__(self):
        audience = f" for {self.shared_with}" if self.shared_with else ""
        return f"Preview of {self.article}{audience}"

    def get_absolute_url(self):
        return reverse("desk:preview", kwargs={"token": self.token})

    @property
    def token(self):
        """The signed key that goes in the link; a changed character makes it worthless."""
        return signing.Signer(salt=self.SIGNING_SALT).sign(self.key)

    @classmethod
    def key_from_token(cls, token):
        """The key inside a token, or None when the signature does not match."""
        try:
            return signing.Signer(salt=cls.SIGNING_SALT).unsign(token)
        except signing.BadSignature:
            return None

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    is_active.boolean = True
    is_active.short_description = "Works"


class Autosave(models.Model):
    """What one person had typed in an article's form, kept while they write and until they
    save (desk/autosave.py). Readers never see it, and the article is not touched."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        help_text="The person who typed it; no one else is ever shown it.",
    )
    # Empty for a new article: the first draft, before its first save, is where a closed tab
    # loses the most. Each person has one such autosave, since an unsaved article has no id.
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text="The article being changed; empty for a new article not yet saved.",
    )
    data = models.JSONField(
        default=dict,
        help_text="The form's fields as the browser sent them: {name: [values]}.",
    )
    loaded_version = models.CharField(
        max_length=64,
        blank=True,
        help_text="The version of the article the form was opened at (when it was last saved).",
    )
    saved_at = models.DateTimeField(default=timezone.now, help_text="When it was last kept.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="desk_autosave_one_per_person_and_article"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="desk_autosave_one_new_article_per_person",
            ),
        ]

    def __str__(self):
        return f"Autosave of {self.article or 'a new article'} by {self.user}"

    def values(self, name):
        """The values the form sent under `name` (a list; empty if it sent none)."""
        return list(self.data.get(name, []))


class Presence(models.Model):
    """Someone with an article's form open, kept current by their browser's heartbeat
    (desk/presence.py); gone once the heartbeats stop."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", help_text="The article open."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The person who has it open.",
    )
    since = models.DateTimeField(help_text="When this person opened the article this time.")
    seen_at = models.DateTimeField(help_text="Their browser's last heartbeat.")
    took_over_at = models.DateTimeField(
        null=True, blank=True, help_text="When they took the article over from whoever had it."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="desk_presence_one_per_person_and_article"
            )
        ]
        indexes = [models.Index(fields=["article", "seen_at"], name="desk_presence_live_idx")]

    def __str__(self):
        return f"{self.user} on {self.article}"
