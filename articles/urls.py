from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("search/", views.search, name="search"),
]
