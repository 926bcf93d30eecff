from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles import feeds
from articles.sitemaps import SITEMAPS, NewsSitemap
from newsroom.pagecache import reader_page

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"

feed_patterns = [
    path("rss/", reader_page(feeds.LatestArticlesFeed()), name="latest-rss"),
    path("atom/", reader_page(feeds.LatestArticlesAtomFeed()), name="latest-atom"),
    path("sections/<slug:slug>/rss/", reader_page(feeds.SectionArticlesFeed()), name="section-rss"),
    path(
        "sections/<slug:slug>/atom/",
        reader_page(feeds.SectionArticlesAtomFeed()),
        name="section-atom",
    ),
    path("tags/<slug:slug>/rss/", reader_page(feeds.TagArticlesFeed()), name="tag-rss"),
    path("tags/<slug:slug>/atom/", reader_page(feeds.TagArticlesAtomFeed()), name="tag-atom"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("feeds/", include((feed_patterns, "feeds"))),
    path(
        "sitemap.xml",
        reader_page(sitemap_views.sitemap, query=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        reader_page(sitemap_views.sitemap, query=("p",)),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("newsletter/", include("newsletter.urls")),
    path("", include("articles.urls")),
]
