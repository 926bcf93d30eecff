from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<unicode_slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<unicode_slug:slug>/comments/", views.comment_post, name="comment_post"),
    path(
        "articles/<unicode_slug:slug>/comments/<int:pk>/reply/",
        views.comment_reply,
        name="comment_reply",
    ),
    path(
        "articles/<unicode_slug:slug>/comments/<int:pk>/edit/",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "articles/<unicode_slug:slug>/comments/<int:pk>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("sections/<unicode_slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    path("authors/<unicode_slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("tags/<unicode_slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("search/", views.search, name="search"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", feeds.CorrectionsFeed(), name="corrections-feed"),
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="preview"),
]
