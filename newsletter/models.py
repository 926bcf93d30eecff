import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from articles.models import Article

# One salt per purpose: a confirmation link can never be replayed as an unsubscribe link.
CONFIRM_SALT = "newsletter.subscriber.confirm"
UNSUBSCRIBE_SALT = "newsletter.subscriber.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)
# Unsubscribe links must keep working long after the email was sent (the law asks 30 days).
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)


def signed_token(subscriber_pk, *, salt, state=""):
    value = f"{subscriber_pk}:{state}" if state else str(subscriber_pk)
    return signing.TimestampSigner(salt=salt).sign(value)


def normalise_email(email):
    """One spelling per address, so the unique constraint catches `Ana@Example.com` twice."""
    return email.strip().lower()


# Joiners stay: several scripts, and emoji, are written with them.
NAME_JOINERS = {"\u200c", "\u200d"}


def normalise_name(name):
    """A name as one line of plain text: control characters and line breaks become spaces,
    invisible format characters (direction overrides, zero-width spaces) go, and runs of spaces
    become one. A name typed into a signup form reaches emails and the admin."""
    kept = (
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in name
        if unicodedata.category(ch) != "Cf" or ch in NAME_JOINERS
    )
    return " ".join("".join(kept).split())


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    class Source(models.TextChoices):
        HOME = "home", "Home page"
        ARTICLE = "article", "Article page"
        PAGE = "page", "Newsletter page"
        ADMIN = "admin", "Added in the admin"

    email = models.EmailField(
        max_length=254,
        unique=True,
        help_text="Stored in lower case; one subscriber per address.",
    )
    name = models.CharField(
        max_length=100, blank=True, help_text="Optional, as the reader gave it."
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.PENDING,
        help_text="Only Confirmed subscribers get newsletters. Unsubscribed and Bounced "
        "addresses are never mailed again unless the reader signs up and confirms anew.",
    )
    source = models.CharField(
        max_length=20,
        choices=Source,
        default=Source.ADMIN,
        help_text="Where the reader signed up.",
    )
    source_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_signups",
        help_text="The article the reader was reading when they signed up, if any.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the reader confirmed the address."
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True, editable=False)
    bounced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "id"], name="subscriber_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="subscriber_email_lowercase",
                violation_error_message="Store email addresses in lower case.",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="subscriber_confirmed_has_confirmed_at",
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        # An editor changing the status in the admin gets the matching timestamp filled in.
        stamp = {
            self.Status.CONFIRMED: "confirmed_at",
            self.Status.UNSUBSCRIBED: "unsubscribed_at",
            self.Status.BOUNCED: "bounced_at",
        }.get(self.status)
        if stamp and getattr(self, stamp) is None:
            setattr(self, stamp, timezone.now())
        super().save(*args, **kwargs)

    def confirmation_token(self):
        return signed_token(self.pk, salt=CONFIRM_SALT, state=self.confirmation_state())

    def confirmation_state(self):
        """A digest of what a confirmation changes, so that a confirmation link works for one
        signup only: confirming, leaving, bouncing or leaving and signing up again all change it."""
        moments = [self.confirmed_at, self.unsubscribed_at, self.bounced_at]
        state = [self.status, *(moment.isoformat() if moment else "" for moment in moments)]
        digest = salted_hmac(CONFIRM_SALT, "|".join(state), algorithm="sha256")
        return digest.hexdigest()[:24]

    def unsubscribe_token(self):
        return signed_token(self.pk, salt=UNSUBSCRIBE_SALT)

    @classmethod
    def from_confirmation_token(cls, token):
        """The subscriber a confirmation link names, while it is in the state the link was
        sent in; None once the link has been used or outlived."""
        value = cls._unsign(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        pk, _, state = (value or "").partition(":")
        subscriber = cls.objects.filter(pk=pk).first() if pk.isdigit() and state else None
        if subscriber is None or not constant_time_compare(state, subscriber.confirmation_state()):
            return None
        return subscriber

    @classmethod
    def from_unsubscribe_token(cls, token):
        pk = cls._unsign(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        return cls.objects.filter(pk=pk).first() if pk else None

    @staticmethod
    def _unsign(token, *, salt, max_age):
        """What a signed link holds, or None when it is tampered with or too old."""
        try:
            return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
        except signing.BadSignature:  # SignatureExpired is a BadSignature too
            return None


class SignupRequest(models.Model):
    """A signup as a reader sent it, waiting to be recorded off the request path
    (newsletter/signups.py); the row goes once it is."""

    email = models.EmailField(max_length=254, help_text="The address as the reader typed it.")
    name = models.CharField(max_length=100, blank=True, help_text="The name, if they gave one.")
    source = models.CharField(
        max_length=20, choices=Subscriber.Source, help_text="Where the reader signed up."
    )
    source_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article the reader was reading, if any.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.email


class EditionQuerySet(models.QuerySet):
    def previous_sends(self):
        return self.exclude(status=Edition.Status.DRAFT)


class Edition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(
        max_length=200,
        help_text="The email's subject line, e.g. “This week: Venezuela's oil deal”.",
    )
    intro = models.TextField(
        blank=True,
        help_text="A short note above the articles, in plain text. Blank lines start a "
        "new paragraph.",
    )
    articles = models.ManyToManyField(
        Article, through="EditionArticle", related_name="editions", blank=True
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        editable=False,
        help_text="Draft until an editor sends it; Sending while emails go out; then Sent.",
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
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who pressed “Send to all confirmed subscribers”.",
    )
    queued_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When sending was requested."
    )
    planned_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the recipient list was drawn up (one delivery per confirmed subscriber).",
    )
    sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the last email went out."
    )
    recipient_count = models.PositiveIntegerField(default=0, editable=False)
    sent_count = models.PositiveIntegerField(default=0, editable=False)
    skipped_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Recipients who unsubscribed or bounced after sending began.",
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_edition", "Can send an edition to all confirmed subscribers")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(queued_at__isnull=False),
                name="edition_sending_has_queued_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="edition_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return self.subject

    @classmethod
    def suggested_articles(cls, limit=10, now=None):
        """The latest published articles since the previous edition was sent (or all, at first)."""
        articles = Article.objects.published(now).latest_first()
        previous = cls.objects.previous_sends().order_by("-queued_at").first()
        if previous:
            articles = articles.filter(published_at__gt=previous.queued_at)
        return articles[:limit]

    def ordered_articles(self):
        """The edition's articles in order, leaving out any unpublished since they were chosen."""
        items = self.items.select_related("article__section", "article__lead_image")
        items = items.order_by("order", "pk")
        return [item.article for item in items if item.article.is_published()]

    def is_editable(self):
        return self.status == self.Status.DRAFT

    def in_doubt_count(self, claimed_before=None):
        """Deliveries claimed by a run that stopped before recording whether they went out."""
        claimed = self.deliveries.filter(status=Delivery.Status.SENDING)
        if claimed_before is not None:
            claimed = claimed.filter(claimed_at__lt=claimed_before)
        return claimed.count()


class EditionArticle(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="edition_items",
        help_text="Start typing a headline. Only published articles can go in a newsletter.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "article"
        verbose_name_plural = "articles (in order)"
        constraints = [
            models.UniqueConstraint(fields=["edition", "article"], name="edition_article_unique"),
        ]

    def __str__(self):
        return f"{self.article} in {self.edition}"

    def clean(self):
        if self.article_id and not self.article.is_published():
            raise ValidationError({"article": "Only published articles can go in a newsletter."})


class Delivery(models.Model):
    """One edition to one subscriber. The unique row is what makes a second send impossible."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Claimed by a sending run"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (unsubscribed or bounced meanwhile)"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["edition", "status", "id"], name="delivery_edition_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="delivery_once_per_subscriber"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.edition} → {self.subscriber}"
