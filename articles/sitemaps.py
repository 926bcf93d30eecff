from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

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


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    # Addresses per sitemap page; /sitemap.xml lists the pages.
    limit = 5000
    # What the sitemaps print; the bodies stay in the database.
    fields = ("slug", "headline", "published_at", "updated_at")

    def items(self):
        return Article.objects.published().latest_first().only(*self.fields)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django would read every article to find this for the index; the index does without.
        return None


class NewsSitemap(ArticleSitemap):
    limit = 1000

    def items(self):
        return super().items().filter(published_at__gte=timezone.now() - NEWS_WINDOW)


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
