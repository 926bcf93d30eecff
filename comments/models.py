import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from articles.cache_keys import article_key
from articles.models import Article

# Articles counted in one statement (count_comments), within every database's limit of
# parameters.
COUNT_BATCH = 500


def body_fingerprint(body):
    """The same text whatever its case and spacing, for spotting a comment posted again."""
    return hashlib.sha256(" ".join(body.casefold().split()).encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments readers see: approved, not removed by their writer, and if a reply, under an
        approved comment (a removed one keeps its status, so its replies stay)."""
        return self.filter(
            Q(status=Comment.Status.APPROVED),
            Q(removed_at__isnull=True),
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED),
        )

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def oldest_first(self):
        return self.order_by("created_at", "pk")

    def for_article_page(self, article, *, own_ids=()):
        """Top-level comments under `article`, oldest first, with their replies in
        `shown_replies`: the approved ones, and the reader's own (from their cookie) whatever
        their status, so they can see what awaits moderation. One query whatever the count."""
        approved = Q(status=Comment.Status.APPROVED) & (
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
        )
        shown = list(
            self.filter(approved | Q(pk__in=list(own_ids)), article=article).oldest_first()
        )
        threads = {comment.pk: comment for comment in shown if comment.parent_id is None}
        for comment in threads.values():
            comment.shown_replies = []
        for comment in shown:
            if comment.parent_id in threads:
                threads[comment.parent_id].shown_replies.append(comment)
        # A comment its writer removed stays only as the note above the replies it holds.
        return [c for c in threads.values() if not c.is_removed or c.shown_replies]


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    MAX_LENGTH = 5000
    # How long a reader may edit or delete their comment from the browser they posted it from.
    EDIT_WINDOW = timedelta(minutes=15)

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="comments",
        help_text="The article the comment is under.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one replies to, if any. Replies are one level deep.",
    )
    name = models.CharField(max_length=80, help_text="The name the reader gave; shown publicly.")
    email = models.EmailField(
        help_text="The reader's email address, in lower case. Never shown on the site."
    )
    body = models.TextField(
        max_length=MAX_LENGTH,
        help_text="Plain text, up to 5,000 characters. Links and line breaks are kept; "
        "anything that looks like HTML is shown as typed.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.PENDING,
        help_text="Only approved comments are shown to readers.",
    )
    spam_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the comment was filed as spam automatically, if it was.",
    )
    body_fingerprint = models.CharField(
        max_length=64,
        editable=False,
        help_text="A hash of the body ignoring case and spacing, to spot repeated comments.",
    )
    ip_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="A keyed hash of the poster's IP address (the address itself is not kept).",
    )
    user_agent = models.CharField(
        max_length=255, blank=True, help_text="The poster's browser, cut to 255 characters."
    )
    created_at = models.DateTimeField(default=timezone.now, help_text="When it was posted.")
    edited_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reader last edited it, if they did."
    )
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When editors were emailed about it; empty until the next notice.",
    )
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its writer deleted it. Its name, address and words are gone; it stays "
        "only to keep other readers' replies, under a note that it was removed.",
    )
    from_staff = models.BooleanField(
        default=False,
        editable=False,
        help_text="A reply the newsroom's staff wrote from the moderation queue; readers see "
        "it with a staff badge.",
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff account that wrote the reply.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="comment_article_status_idx"
            ),
            models.Index(fields=["status", "-created_at"], name="comment_status_created_idx"),
            models.Index(fields=["email", "status"], name="comment_email_status_idx"),
            models.Index(fields=["body_fingerprint", "created_at"], name="comment_fingerprint_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), 5000),
                name="comment_body_max_length",
                violation_error_message="A comment can be at most 5,000 characters.",
            ),
            # Staff may reply without an address on their account: it is never shown anyway.
            models.CheckConstraint(
                condition=Q(removed_at__isnull=False)
                | (~Q(body="") & ~Q(name="") & (~Q(email="") | Q(from_staff=True))),
                name="comment_required_fields",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True)
                | Q(body="", name="", email="", ip_hash="", user_agent=""),
                name="comment_removed_is_blank",
                violation_error_message="A removed comment keeps no name, address or words.",
            ),
        ]

    def __str__(self):
        return f"{'Removed comment' if self.is_removed else self.name} on {self.article}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        comment = super().from_db(db, field_names, values, **kwargs)
        # Whether readers saw it when it was read: editing a comment that awaits moderation
        # changes no public page, editing an approved one does (comment_changed below).
        if "status" not in comment.get_deferred_fields():
            comment.loaded_status = comment.status
        return comment

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.article_id != self.article_id:
            raise ValidationError({"parent": "A reply must be under the same article."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Replies are one level deep; reply to the first comment."}
            )

    def save(self, *args, **kwargs):
        self.body_fingerprint = body_fingerprint(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_fingerprint"}
        super().save(*args, **kwargs)

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_removed(self):
        return self.removed_at is not None

    def editable_until(self):
        return self.created_at + self.EDIT_WINDOW



def comment_changed(comment, event, **details):
    """The pages a change of `comment` affects (NEWSROOM_PAGE_CACHE_WATCH): its article's page
    and the cards showing its count, when readers saw it before or see it now; none when it
    awaits moderation, was rejected or is spam either way, which only its writer sees."""
    approved = Comment.Status.APPROVED
    was_shown = event != "created" and getattr(comment, "loaded_status", None) == approved
    if was_shown or (event != "deleted" and comment.is_approved()):
        return {article_key(comment.article_id)}
    return set()


def count_comments(article_ids):
    """Count afresh the comments readers see under each of the articles `article_ids` into its
    `comment_count`, which its cards show and which spares its page the comments query when it
    is none. Every save and delete of a comment counts its article (CommentsConfig.ready), bulk
    writes call this. A count, not an increment, so a count gone wrong mends at the next change.
    """
    ids = sorted(set(article_ids))
    counts = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    for start in range(0, len(ids), COUNT_BATCH):
        batch = ids[start : start + COUNT_BATCH]
        with transaction.atomic():
            hold_articles(batch)
            articles = Article.objects.filter(pk__in=batch)
            articles.update(comment_count=Coalesce(Subquery(counts), 0))


def hold_articles(article_ids):
    """Hold the rows of the articles `article_ids` until the transaction ends, in the order of
    their ids: of two changes to an article's comments at once, the second counts only once the
    first is committed, and so counts both. A transaction that changes comments under several
    articles holds them all first (comment_moderate), so that two of them cannot each hold an
    article the other waits for. Rows pointing at an article may still be added meanwhile.
    `article_ids`: a list, or a queryset of ids, asked as a subquery however many they are."""
    held = Article.objects.filter(pk__in=article_ids).order_by("pk")
    list(held.select_for_update(no_key=True).values_list("pk", flat=True))


def comment_saved_or_deleted(sender, instance, raw=False, origin=None, created=False, **kwargs):
    """Count the comments of the article of `instance`, saved or deleted: not when a fixture
    is loaded (it brings its own counts), the article itself is being deleted, or the comment
    is new and awaits moderation (a reader's post: nothing readers see has changed)."""
    deleting_articles = isinstance(origin, Article) or getattr(origin, "model", None) is Article
    if raw or deleting_articles or (created and not instance.is_approved()):
        return
    count_comments([instance.article_id])


def comments_open(article, now=None):
    """Readers may comment on a live article that allows comments, until
    NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS days after publication (0: no age limit)."""
    now = now or timezone.now()
    if not (article.allow_comments and article.is_published(now)):
        return False
    closes_at = comments_close_at(article)
    return closes_at is None or now < closes_at


def comments_close_at(article):
    """When comments on `article` close by age, or None when they do not."""
    days = settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS
    if not days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)
