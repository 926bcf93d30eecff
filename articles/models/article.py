import uuid
from collections import Counter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from .. import search
from ..paths import path_to
from ..rendering import CALLOUT_HELP, count_words, reading_time_minutes, render_markdown
from ..slugs import unique_slug
from .taxonomy import Author, Section
from .trust import TrustSignals

RELATED_LIMIT = 4
# "You may also like" ranks at most this many articles sharing tags (those sharing the most,
# newest first), so its cost stays flat however many articles a popular tag has.
RELATED_CANDIDATES = 50

# What an article's card shows (articles/includes/article_card.html), with what reading a row
# needs: its status and time of publication tell whether readers could see it (Article.from_db).
# Each column more costs every listing the building of its value, 13 rows a page.
CARD_FIELDS = (
    "kind", "headline", "slug", "standfirst", "lead_image", "section",
    "status", "published_at", "comment_count",
)  # fmt: skip


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Articles readers may see at `now`: published, or scheduled for a time that has come."""
        return self.filter(self.published_condition(now))

    @staticmethod
    def published_condition(now=None):
        return Q(status__in=Article.PUBLIC_STATUSES, published_at__lte=now or timezone.now())

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """Cards: the columns a card shows (CARD_FIELDS), not the body and the rest. The bylines
        come in one more query (plain.with_bylines), the sections from the navigation
        (site_frame.with_sections), the lead images with their renditions
        (media.listing_media): joined here, they were a third of the query's cost."""
        return self.only(*CARD_FIELDS)

    def tagged(self, tag):
        """Articles with `tag`. An IN over the tag links, not a join: taggit's object ids are a
        different integer type from ours, and PostgreSQL cannot join across that by index."""
        items = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), tag=tag
        )
        return self.filter(pk__in=items.values("object_id"))

    def used_tags(self):
        """The tags on these articles: from published(), the tags readers have pages for.
        Each tag stops at its first article, so the cost does not grow with the archive."""
        items = TaggedItem.objects.filter(
            content_type__app_label=Article._meta.app_label,
            content_type__model=Article._meta.model_name,
            tag=OuterRef("pk"),
            object_id__in=self.values("pk"),
        )
        return Tag.objects.filter(Exists(items))

    def byline_authors(self):
        """The authors on these articles' bylines: from published(), those with a page."""
        # EXISTS stops at each author's first public article, however many they wrote.
        bylines = Article.authors.through.objects.filter(author=OuterRef("pk"), article__in=self)
        return Author.objects.filter(Exists(bylines))

    def search(self, text):
        """Articles matching a reader's query, best first (see search.py)."""
        return search.matching(self, text)

    def related_to(self, article, limit=RELATED_LIMIT):
        """
        "You may also like": the editor's picks in their order, then articles sharing the most
        tags, newest first. Only published articles, never `article` itself.
        """
        picks = article.related_links.all()
        items = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
        article_tags = items.filter(object_id=article.pk).values("tag")
        sharing = (
            items.filter(tag__in=article_tags)
            .exclude(object_id=article.pk)
            .values("object_id")
            .annotate(shared=Count("pk"))
            .order_by("-shared", "-object_id")
            .values("object_id")[:RELATED_CANDIDATES]
        )
        # One IN over a UNION, not two INs joined by OR, lets PostgreSQL look the few candidates
        # up by key instead of scanning every article. (SQLite takes no LIMIT inside a UNION,
        # hence the outer select around `sharing`.)
        candidates = picks.values("target").union(
            TaggedItem.objects.filter(object_id__in=sharing).values("object_id")
        )
        shared = (
            items.filter(object_id=OuterRef("pk"), tag__in=article_tags)
            .order_by()
            .values("object_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.published()
            .filter(pk__in=candidates)
            .exclude(pk=article.pk)
            .annotate(
                pick_order=models.Subquery(picks.filter(target=OuterRef("pk")).values("order")[:1]),
                shared_tags=Coalesce(Subquery(shared), 0),
            )
            .order_by(
                F("pick_order").asc(nulls_last=True),
                "-shared_tags",
                "-published_at",
                "-pk",
            )[:limit]
        )

    def with_current_status(self, now=None):
        """Annotate `status_now`, the status as readers would put it (Article.current_status):
        a scheduled article whose time has come is Published."""
        return self.annotate(
            status_now=models.Case(
                models.When(
                    self.published_condition(now), then=models.Value(Article.Status.PUBLISHED)
                ),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def in_current_status(self, status, now=None):
        """Articles whose current status (see with_current_status) is `status`."""
        if status == Article.Status.PUBLISHED:
            return self.published(now)
        if status == Article.Status.SCHEDULED:
            return self.filter(status=status).exclude(self.published_condition(now))
        return self.filter(status=status)

    def upcoming(self, now=None):
        """Scheduled articles whose time has not come yet, soonest first."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.SCHEDULED, published_at__gt=now).order_by(
            "published_at", "pk"
        )

    def news(self):
        """Journalism, not advertising: all but sponsored articles (the Google News sitemap
        lists only these)."""
        return self.exclude(kind=Article.Kind.SPONSORED)

    def by_person(self, user):
        """Articles the person created or has a byline on."""
        bylines = Article.authors.through.objects.filter(author__user=user).values("article")
        return self.filter(Q(created_by=user) | Q(pk__in=bylines))


def next_scheduled_time(now=None):
    """When the next scheduled article goes live, or None."""
    return Article.objects.upcoming(now).values_list("published_at", flat=True).first()


class Article(TrustSignals):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    headline = models.CharField(
        max_length=200, help_text="The article's title; aim for under 70 characters."
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="The end of the article's web address. Filled in from the headline; "
        "changing it on a published article breaks links to the old address.",
    )
    standfirst = models.TextField(
        blank=True,
        max_length=400,
        help_text="The one- or two-sentence summary under the headline (the dek).",
    )
    body = models.TextField(blank=True, help_text=CALLOUT_HELP)
    body_html = models.TextField(blank=True, editable=False)
    headings = models.JSONField(default=list, blank=True, editable=False)
    body_images = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The library pictures the body places, as {picture id: times placed}, worked "
        "out from the body on every save; the picture library's “Used in” reads it.",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        # A picture readers see at the top of an article, in its social cards and in feeds is
        # not deleted from the library by accident: the article must let go of it first.
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="The picture at the top of the article, on its cards, in social media "
        "previews, feeds and the newsletter. Type to find one in the picture library, or drop "
        "a new picture below. Best at least 1200 pixels wide, with the subject near the middle.",
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the article is filed on the site.",
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    tags = TaggableManager(
        blank=True, help_text="Topics, separated by commas, e.g. “Venezuela, Energy, Diplomacy”."
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Readers see Published articles, and Scheduled ones once their time has come.",
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="For Scheduled articles: the date and time the article goes live by itself.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the article went live, or goes live if scheduled; its date for readers. "
        "It stays fixed once the article is live.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When readers last saw the article change: it went live, or its words, "
        "filing, byline, FAQ, related articles or corrections changed. Shown as “Updated”.",
    )
    saved_at = models.DateTimeField(
        auto_now=True,
        help_text="When anyone last saved the article, changed for readers or not; it stops "
        "one person saving over another's changes.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account that started the article; its writer may edit it until it is "
        "published.",
    )
    review_note = models.TextField(
        blank=True,
        editable=False,
        help_text="The editor's note when the article was sent back to draft: what to change.",
    )
    allow_comments = models.BooleanField(
        default=True, help_text="Untick to close comments on this article."
    )
    seo_title = models.CharField(
        max_length=70,
        blank=True,
        help_text="Title for search engines and social cards; leave empty to use the headline.",
    )
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Summary for search engines, up to 160 characters; empty uses the standfirst.",
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(
        default=0,
        db_default=0,  # so the release before, which knows no count, can still add articles
        editable=False,
        help_text="Comments readers see under it, for its cards; the comments app keeps it.",
    )
    reading_time = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Minutes, worked out from the word count."
    )
    import_ref = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The file this article was imported from; re-imports update the same article.",
    )
    uuid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False,
        help_text="Its permanent id in feeds, which no new slug or headline changes.",
    )  # fmt: skip

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            (
                "publish_article",
                "Can publish, schedule and unpublish articles, and edit published ones",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
            # Listings read public articles newest first and stop after a page: these give
            # that order directly (both public statuses at once, which the two above cannot).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_public_latest_idx",
            ),
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_section_latest_idx",
            ),
            models.Index(  # when readers last saw an article change: the sitemaps' lastmod
                fields=["-updated_at"], condition=Q(status__in=["published", "scheduled"]),
                name="article_public_updated_idx",
            ),  # fmt: skip
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_publish_at",
                violation_error_message="A scheduled article needs a publish time.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(published_at__isnull=False),
                name="article_public_has_published_at",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return path_to("articles:detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        # Whether readers could see it when it was read, so that a change that hides it purges
        # the listings it was on (articles/cache_keys.py).
        if not article.get_deferred_fields() & {"status", "published_at"}:
            article.loaded_public = article.is_published()
        return article

    def clean(self):
        if self.status == self.Status.SCHEDULED and not self.publish_at:
            raise ValidationError({"publish_at": "Choose when a scheduled article goes live."})

    def save(self, *args, **kwargs):
        if not self.slug:
            others = Article.objects.exclude(pk=self.pk)
            self.slug = unique_slug(self.headline, queryset=others, fallback="article")
        update_fields = kwargs.get("update_fields")
        if update_fields is None and self.pk is not None and not self._state.adding:
            update_fields = self.saved_fields()
        if update_fields is None or "body" in update_fields:
            self.render_body()
        self.set_publication_time()
        if update_fields is not None:
            # Saving some fields saves what they decide: the rendered body goes with the body,
            # and the publication time with the status and schedule.
            update_fields = set(update_fields)
            if "body" in update_fields:
                update_fields |= {
                    "body_html", "headings", "body_images", "word_count", "reading_time",
                }  # fmt: skip
            if update_fields & {"status", "publish_at"}:
                update_fields |= {"published_at", "updated_at", "saved_at"}
            kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)

    def saved_fields(self):
        """What a save of an article read from the database writes: all but the comment count,
        which the comments app keeps (a save of what was read a while ago must not put back
        the count it had then), and any field left unread (as Django leaves them). So a save
        updates: an article deleted since it was read is not made again (DatabaseError)."""
        left_out = {"id", "comment_count", *self.get_deferred_fields()}
        return [f.attname for f in self._meta.concrete_fields if f.attname not in left_out]

    def render_body(self):
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.headings = rendered.headings
        self.body_images = dict(Counter(str(image_id) for image_id in rendered.image_ids))
        self.word_count = count_words(rendered.html)
        self.reading_time = reading_time_minutes(self.word_count)
        return rendered

    def set_publication_time(self, now=None):
        now = now or timezone.now()
        before = self.published_at
        never_live = self.published_at is not None and self.published_at > now
        if self.status == self.Status.PUBLISHED and (self.published_at is None or never_live):
            # Published now: a schedule that had not come yet no longer applies.
            self.published_at = now
        elif self.status not in self.PUBLIC_STATUSES and never_live:
            # A schedule cancelled before it came: the article has not been published.
            self.published_at = None
        elif self.status == self.Status.SCHEDULED and (
            self.published_at is None
            or self.published_at > now
            or (self.publish_at is not None and self.publish_at > now)
        ):
            # Not live until its time, whatever happened before (an article published, then
            # unpublished and scheduled again): the publication is the scheduled time, so every
            # listing orders and filters on the one column.
            self.published_at = self.publish_at
        if self.published_at != before:
            # Going live (or a new or cancelled schedule) is the change readers see last.
            self.updated_at = self.published_at or now

    # What readers see of an article, besides its corrections: see reader_view().
    READER_FIELDS = (
        "headline", "standfirst", "body", "section_id", "seo_title", "seo_description", "kind",
        "dateline", "reporting_notes",
    )  # fmt: skip

    def reader_view(self):
        """
        Everything readers see of the saved article but its corrections, to tell whether a save
        changed it for them (services.article_touch): the fields in READER_FIELDS as they stand
        on this object, and the byline, FAQ, related articles and tags as stored.
        """
        return (
            tuple(getattr(self, name) for name in self.READER_FIELDS),
            tuple(self.author_links.values_list("author_id", flat=True)),
            tuple(self.faq_items.values_list("question", "answer")),
            tuple(self.related_links.values_list("target_id", flat=True)),
            tuple(sorted(self.tags.names())),
        )

    def is_published(self, now=None):
        now = now or timezone.now()
        return (
            self.status in self.PUBLIC_STATUSES
            and self.published_at is not None
            and self.published_at <= now
        )

    is_published.boolean = True
    is_published.short_description = "Visible to readers"

    def current_status(self, now=None):
        """The status as readers would put it: a scheduled article whose time has come is
        Published; Scheduled means not live yet. The stored `status` keeps what the editor
        chose; everything the desk shows or filters by reads this."""
        if self.is_published(now):
            return self.Status.PUBLISHED
        return self.Status(self.status)

    @property
    def meta_description(self):
        return self.seo_description or self.standfirst

    @property
    def ordered_authors(self):
        """The byline's authors in order: as filled by plain.with_bylines(), else read."""
        if (byline := self.__dict__.get("byline")) is not None:
            return byline
        return [link.author for link in self.author_links.all()]

    def was_updated(self):
        """True when readers saw the article change (over a minute) after it went live."""
        return bool(
            self.published_at and (self.updated_at - self.published_at).total_seconds() > 60
        )

