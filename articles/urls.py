from django.urls import path

from pagecache import reader_page

from . import feeds, views

app_name = "articles"

# What makes a different page of a listing (paging.py); `page` redirects.
LISTING_QUERY = ("before", "after", "page")

urlpatterns = [
    path("", reader_page(views.HomeView.as_view(), query=LISTING_QUERY), name="home"),
    path(
        "articles/<unicode_slug:slug>/",
        reader_page(views.ArticleDetailView.as_view(), query=()),
        name="detail",
    ),
    path(
        "sections/<unicode_slug:slug>/",
        reader_page(views.SectionArticleListView.as_view(), query=LISTING_QUERY),
        name="section",
    ),
    path(
        "authors/<unicode_slug:slug>/",
        reader_page(views.AuthorArticleListView.as_view(), query=LISTING_QUERY),
        name="author",
    ),
    path(
        "tags/<unicode_slug:slug>/",
        reader_page(views.TagArticleListView.as_view(), query=LISTING_QUERY),
        name="tag",
    ),
    path("search/", reader_page(views.search, query=("q", "page"), keep=False), name="search"),
    path(
        "about/<slug:kind>/", reader_page(views.PolicyPageView.as_view(), query=()), name="policy"
    ),
    path(
        "corrections/",
        reader_page(views.CorrectionListView.as_view(), query=LISTING_QUERY),
        name="corrections",
    ),
    path(
        "corrections/feed/", reader_page(feeds.CorrectionsFeed(), query=()), name="corrections-feed"
    ),
]
