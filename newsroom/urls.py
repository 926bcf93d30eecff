from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles import feeds
from articles.cache_keys import sitemap_page
from articles.sitemaps import SITEMAPS, NewsSitemap
from newsroom import health
from pagecache import reader_page

handler500 = "newsroom.outage.server_error"

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"

feed_patterns = [
    path("rss/", reader_page(feeds.LatestArticlesFeed(), query=()), name="latest-rss"),
    path("atom/", reader_page(feeds.LatestArticlesAtomFeed(), query=()), name="latest-atom"),
    path(
        "sections/<unicode_slug:slug>/rss/",
        reader_page(feeds.SectionArticlesFeed(), query=()),
        name="section-rss",
    ),
    path(
        "sections/<unicode_slug:slug>/atom/",
        reader_page(feeds.SectionArticlesAtomFeed(), query=()),
        name="section-atom",
    ),
    path(
        "tags/<unicode_slug:slug>/rss/",
        reader_page(feeds.TagArticlesFeed(), query=()),
        name="tag-rss",
    ),
    path(
        "tags/<unicode_slug:slug>/atom/",
        reader_page(feeds.TagArticlesAtomFeed(), query=()),
        name="tag-atom",
    ),
]

urlpatterns = [
    path(settings.NEWSROOM_ADMIN_URL, admin.site.urls),
    path("feeds/", include((feed_patterns, "feeds"))),
    # An index of the sitemaps, each in pages of at most ArticleSitemap.limit addresses: the
    # protocol allows 50,000 per file, and an archive outgrows that.
    path(
        "sitemap.xml",
        reader_page(sitemap_page(sitemap_views.index), query=()),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reader_page(sitemap_page(sitemap_views.sitemap), query=("p",)),
        # Django's sitemap template with the image sitemap extension (articles list pictures).
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        reader_page(sitemap_page(sitemap_views.sitemap), query=("p",)),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # /favicon.ico is a file at the root (WHITENOISE_ROOT); the manifest names fingerprinted icons.
    path(
        "site.webmanifest",
        TemplateView.as_view(
            template_name="site.webmanifest", content_type="application/manifest+json"
        ),
        name="webmanifest",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("newsletter/", include("newsletter.urls")),
    # Uploaded pictures on this server's disk (a bucket serves its own; images/views.py).
    path(settings.MEDIA_URL.lstrip("/"), include("images.urls")),
    path("", include("comments.urls")),
    path("", include("desk.urls")),
    path("", include("articles.urls")),
]
