import uuid
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

import pagecache

from . import cache_keys
from .feed_xml import XMLWriter
from .media import shared_media, shared_picture
from .models import Article, Correction, Section
from .plain import bylines, tags

FEED_SIZE = 20
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# What an item shows of its article: no body, no filing (feeds carry the summary).
ITEM_FIELDS = (
    "uuid", "slug", "headline", "kind", "standfirst", "seo_description", "published_at",
    "updated_at", "lead_image",
)  # fmt: skip


@dataclass
class FeedItem:
    article: Article
    byline: list  # [plain.Byline]
    tags: list  # [plain.ShownTag]

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class MediaRssMixin:
    """Each item's lead image as Media RSS `media:content` (with its alt text and credit) and
    as an enclosure. Items pass `picture`, a media.SharedPicture whose address may be relative:
    it is made absolute against the item's link, which the feed view has made absolute."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item(self, *args, picture=None, **kwargs):
        if picture is not None:
            picture = replace(picture, url=urljoin(kwargs["link"], picture.url))
            kwargs["enclosures"] = [
                Enclosure(picture.url, str(picture.size), picture.content_type)
            ]
        super().add_item(*args, picture=picture, **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        picture = item.get("picture")
        if picture is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": picture.url,
                "medium": "image",
                "type": picture.content_type,
                "width": str(picture.width),
                "height": str(picture.height),
                "fileSize": str(picture.size),
            },
        )
        if picture.alt:
            handler.addQuickElement("media:description", picture.alt, {"type": "plain"})
        if picture.credit:
            handler.addQuickElement("media:credit", picture.credit)
        handler.endElement("media:content")


class TextTitlesRssFeed(Rss201rev2Feed):
    """RSS says nothing of whether a title is text or HTML, and many readers take it for HTML:
    titles (plain text here) go out escaped, so readers of either kind show what was typed.
    Atom types its titles as text, and needs nothing of the kind."""

    def __init__(self, *args, title, **kwargs):
        super().__init__(*args, title=escape(title), **kwargs)

    def add_item(self, *args, title, **kwargs):
        super().add_item(*args, title=escape(title), **kwargs)

    def write(self, outfile, encoding):
        # RssFeed.write, through XMLWriter (feed_xml.py).
        handler = XMLWriter(encoding)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")
        outfile.write(handler.document())


class MediaRssFeed(MediaRssMixin, TextTitlesRssFeed):
    pass


class MediaAtomFeed(MediaRssMixin, Atom1Feed):
    def write(self, outfile, encoding):
        # Atom1Feed.write, through XMLWriter (feed_xml.py).
        handler = XMLWriter(encoding)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")
        outfile.write(handler.document())


def as_html(text):
    """Plain text for a field feed readers show as HTML (RSS descriptions, Atom summaries):
    escaped, so nothing an editor types becomes markup, with its line breaks kept (as the
    pages show them)."""
    return linebreaksbr(text, autoescape=True)


class LatestArticlesFeed(Feed):
    feed_type = MediaRssFeed

    def summary(self, obj=None):
        return settings.NEWSROOM_SITE_TAGLINE

    def description(self, obj=None):
        return as_html(self.summary(obj))

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME + (f": {obj}" if obj else "")

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def listing_keys(self, obj):
        return {cache_keys.LATEST}

    def items(self, obj=None):
        # Each item lists its tags as categories, and shows its lead image.
        articles = self.articles(obj).only(*ITEM_FIELDS)  # lead images: shared_media()
        articles = list(articles.latest_first()[:FEED_SIZE])
        shared_media(articles)
        ids = [article.pk for article in articles]
        authors, categories = bylines(ids), tags(ids)
        items = [
            FeedItem(article, authors.get(article.pk, []), categories.get(article.pk, []))
            for article in articles
        ]
        cache_keys.show_card_ids(
            (item.article.pk, [author.pk for author in item.byline]) for item in items
        )
        shown_tags = {cache_keys.tag_key(tag.pk) for item in items for tag in item.tags}
        pagecache.shows(*self.listing_keys(obj), *shown_tags)
        return items

    def item_extra_kwargs(self, item):
        return {"picture": shared_picture(item.article.lead_image, "")}

    def author_name(self, obj=None):
        # Atom wants an author for every entry: the publication stands in for a byline.
        return settings.NEWSROOM_SITE_NAME

    def item_title(self, item):
        # Paid content says so in feed readers too, where there is no page around it.
        if item.article.kind == Article.Kind.SPONSORED:
            return f"Sponsored: {item.article.headline}"
        return item.article.headline

    # Feed readers know an item by its id: the article's own UUID, which no new slug or
    # headline changes, not its address (the item's link).
    item_guid_is_permalink = False

    def item_guid(self, item):
        return item.article.uuid.urn

    def item_description(self, item):
        return as_html(item.article.meta_description)

    def item_pubdate(self, item):
        return item.article.published_at

    def item_updateddate(self, item):
        return item.article.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags]


class AtomFeedMixin:
    feed_type = MediaAtomFeed

    def subtitle(self, obj=None):
        return self.summary(obj)  # Atom's subtitle is text


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    pass


class SectionArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def link(self, obj):
        return obj.get_absolute_url()

    def summary(self, obj):
        return obj.description or f"The latest {obj.name} articles."

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)

    def listing_keys(self, obj):
        return {cache_keys.section_key(obj.pk), cache_keys.section_key(obj.pk, listing=True)}


class SectionArticlesAtomFeed(AtomFeedMixin, SectionArticlesFeed):
    pass


class TagArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def items(self, obj=None):
        items = super().items(obj)
        # A tag only drafts use would tell readers what is coming, so, like its page, its feed
        # is not found until an article using it is published: the empty list tells, where
        # asking for the tags of published articles cost a query.
        if not items:
            raise Http404("No such tag.")
        return items

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def summary(self, obj):
        return f"The latest articles about {obj.name}."

    def articles(self, obj):
        return Article.objects.published().tagged(obj)

    def listing_keys(self, obj):
        return {cache_keys.tag_key(obj.pk), cache_keys.tag_key(obj.pk, listing=True)}


class TagArticlesAtomFeed(AtomFeedMixin, TagArticlesFeed):
    pass


class CorrectionsFeed(Feed):
    feed_type = TextTitlesRssFeed
    title = f"{settings.NEWSROOM_SITE_NAME}: corrections and updates"
    link = reverse_lazy("articles:corrections")
    description = "Every correction and update to our published articles, newest first."

    def items(self):
        corrections = Correction.objects.published().select_related("article")
        corrections = corrections.only(
            "kind", "note", "created_at", "article__uuid", "article__slug", "article__headline"
        )
        items = list(corrections[:30])
        authors = bylines({item.article_id for item in items})
        for item in items:
            item.byline = authors.get(item.article_id, [])
        # Headlines and bylines.
        cache_keys.show_card_ids(
            (item.article_id, [author.pk for author in item.byline]) for item in items
        )
        pagecache.shows(cache_keys.CORRECTIONS)
        return items

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return as_html(item.note)

    def item_link(self, item):
        return f"{item.article.get_absolute_url()}#correction-{item.pk}"

    # A correction's id, like an article's, never changes: made from its article's UUID.
    item_guid_is_permalink = False

    def item_guid(self, item):
        return uuid.uuid5(item.article.uuid, f"correction-{item.pk}").urn

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline) or settings.NEWSROOM_SITE_NAME

    def item_pubdate(self, item):
        return item.created_at
