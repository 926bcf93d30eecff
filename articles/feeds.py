from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed

import pagecache

from . import cache_keys
from .models import Article, Correction, Section

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    def description(self, obj=None):
        return settings.NEWSROOM_SITE_TAGLINE

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME + (f": {obj}" if obj else "")

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def listing_keys(self, obj):
        return {cache_keys.LATEST}

    def items(self, obj=None):
        # Each item lists its tags as categories.
        items = self.articles(obj).for_listing().prefetch_related("tags").latest_first()
        items = list(items[:FEED_SIZE])
        cache_keys.show_cards(items)
        tags = {cache_keys.tag_key(tag.pk) for item in items for tag in item.tags.all()}
        pagecache.shows(*self.listing_keys(obj), *tags)
        return items

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.meta_description

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class AtomFeedMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    pass


class SectionArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest {obj.name} articles."

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)

    def listing_keys(self, obj):
        return {cache_keys.section_key(obj.pk), cache_keys.section_key(obj.pk, listing=True)}


class SectionArticlesAtomFeed(AtomFeedMixin, SectionArticlesFeed):
    pass


class TagArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published().used_tags(), slug=slug)

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj):
        return f"The latest articles about {obj.name}."

    def articles(self, obj):
        return Article.objects.published().tagged(obj)

    def listing_keys(self, obj):
        return {cache_keys.tag_key(obj.pk), cache_keys.tag_key(obj.pk, listing=True)}


class TagArticlesAtomFeed(AtomFeedMixin, TagArticlesFeed):
    pass


class CorrectionsFeed(Feed):
    title = f"{settings.NEWSROOM_SITE_NAME}: corrections and updates"
    link = reverse_lazy("articles:corrections")
    description = "Every correction and update to our published articles, newest first."

    def items(self):
        items = list(Correction.objects.published().select_related("article")[:30])
        articles = {cache_keys.article_key(item.article_id) for item in items}
        pagecache.shows(cache_keys.CORRECTIONS, *articles)
        return items

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return item.article.get_absolute_url() + "#corrections"

    def item_guid(self, item):
        return f"{item.article.get_absolute_url()}#correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at
