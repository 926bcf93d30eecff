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
