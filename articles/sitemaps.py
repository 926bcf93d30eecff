from datetime import timedelta
from urllib.parse import urljoin

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import TaggedItem

from .media import sitemap_pictures
from .models import Article, ArticleAuthor, Section

# Google News only wants articles from the last two days.
NEWS_WINDOW = timedelta(hours=48)


def to_the_second(moment):
    """A last change as sitemaps print it: a W3C datetime, to the second, with its offset."""
    return moment.replace(microsecond=0) if moment else None


def last_change():
    """When readers last saw any article change (the newest `updated_at` of those published),
    read from the end of article_public_updated_idx."""
    articles = Article.objects.published().order_by("-updated_at")
    return to_the_second(articles.values_list("updated_at", flat=True).first())


def last_change_where(condition):
    """The same, as a subquery, for the articles meeting `condition` (on an outer archive): it
    walks article_public_updated_idx from the newest change and stops at the first match."""
    articles = Article.objects.published().filter(condition).order_by("-updated_at")
    return Subquery(articles.values("updated_at")[:1])


class SiteSitemap(Sitemap):
    """A sitemap whose file, in the index, changed when readers last saw any article change:
    the index lists each with that time (its own lastmods are never later), in one query."""

    def get_latest_lastmod(self):
        return last_change()


class HomeSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return last_change()


class IdRangePages:
    """Sitemap pages by id: page n lists the articles with ids from (n - 1) × size + 1 to
    n × size. However deep the page, it is one range of the primary key (a page counted by
    offset would step over every article before it), and a page keeps its addresses while the
    archive grows: new articles land on the last page. Drafts leave pages a little short."""

    def __init__(self, items, size):
        self.items = items
        self.size = size

    @cached_property
    def num_pages(self):
        last = self.items.order_by("-pk").values_list("pk", flat=True).first()
        return max(1, -(-(last or 0) // self.size))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer.") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results.")
        start = (number - 1) * self.size
        return Page(
            self.items.filter(pk__gt=start, pk__lte=start + self.size).order_by("pk"),
            number,
            self,
        )


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8
    # Article ids per sitemap page; /sitemap.xml lists the pages.
    limit = 5000
    # What the sitemaps print; the bodies stay in the database.
    fields = ("slug", "headline", "published_at", "updated_at", "lead_image", "body_images")

    def items(self):
        return Article.objects.published().only(*self.fields)

    def lastmod(self, item):
        return to_the_second(item.updated_at)

    @property
    def paginator(self):
        return IdRangePages(self.items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        """Each address with the pictures its article shows (the image sitemap extension), in
        one more query for the whole page."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        pictures = sitemap_pictures([url["item"] for url in urls])
        for url in urls:
            url["images"] = [urljoin(url["location"], p) for p in pictures.get(url["item"].pk, [])]
        return urls


class NewsSitemap(ArticleSitemap):
    limit = 1000

    def items(self):
        # Journalism only: sponsored articles are never offered to Google News as news.
        recent = super().items().news().filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        return recent.latest_first()

    @property
    def paginator(self):
        return Paginator(self.items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication_date"] = to_the_second(url["item"].published_at)
        return urls


class ArchiveSitemap(SiteSitemap):
    """Section, author and tag pages, each last changed when one of its articles last did."""

    def lastmod(self, item):
        return to_the_second(item.last_change)


class SectionSitemap(ArchiveSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.annotate(
            last_change=last_change_where(Q(section=OuterRef("pk")))
        ).order_by("pk")


class AuthorSitemap(ArchiveSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        bylines = ArticleAuthor.objects.filter(
            article=OuterRef("pk"), author=OuterRef(OuterRef("pk"))
        )
        return (
            Article.objects.published()
            .byline_authors()
            .annotate(last_change=last_change_where(Exists(bylines)))
            .order_by("pk")
        )


def last_changes_by_tag(tag_ids, batch=2000):
    """{tag id: when readers last saw one of its articles change} for `tag_ids`.

    Walks the published articles from the most recently changed, a batch at a time, reading
    the tags of each batch, until every tag has been met: a tag is met first at its newest
    change. Tags in use lately are all met in the first batch or two, however large the
    archive; only a tag whose articles all changed long ago makes the walk go deeper.
    """
    wanted, found = set(tag_ids), {}
    article_type = ContentType.objects.get_for_model(Article)
    articles = Article.objects.published().order_by("-updated_at", "-pk")
    after = Q()
    while wanted - found.keys():
        page = list(articles.filter(after).values_list("pk", "updated_at")[:batch])
        if not page:
            break
        links = TaggedItem.objects.filter(
            content_type=article_type, object_id__in=[pk for pk, _ in page]
        ).values_list("object_id", "tag_id")
        tags_of = {}
        for article_id, tag_id in links:
            tags_of.setdefault(article_id, []).append(tag_id)
        for pk, updated_at in page:
            for tag_id in tags_of.get(pk, ()):
                found.setdefault(tag_id, to_the_second(updated_at))
        last_pk, last_time = page[-1]
        after = Q(updated_at__lt=last_time) | Q(updated_at=last_time, pk__lt=last_pk)
    return found


class TagSitemap(ArchiveSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Article.objects.published().used_tags().order_by("name")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        changes = last_changes_by_tag([url["item"].pk for url in urls])
        for url in urls:
            url["lastmod"] = changes.get(url["item"].pk)
        if None not in (url["lastmod"] for url in urls):
            self.latest_lastmod = max((url["lastmod"] for url in urls), default=None)
        return urls

    def lastmod(self, item):
        return None  # worked out for the whole page at once, in get_urls


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
