from datetime import timedelta
from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .media import sitemap_pictures
from .models import Article, Section

# Google News only wants articles from the last two days.
NEWS_WINDOW = timedelta(hours=48)


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


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


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    # Article ids per sitemap page; /sitemap.xml lists the pages.
    limit = 5000
    # What the sitemaps print; the bodies stay in the database.
    fields = ("slug", "headline", "published_at", "updated_at", "lead_image", "body_images")

    def items(self):
        return Article.objects.published().only(*self.fields)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django would read every article to find this for the index; the index does without.
        return None

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
        recent = super().items().filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        return recent.latest_first()

    @property
    def paginator(self):
        return Paginator(self.items(), self.limit)


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.all()


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Article.objects.published().byline_authors()


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Article.objects.published().used_tags().order_by("name")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
