from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<unicode_slug:slug>/comments/", views.comment_post, name="post"),
    path("articles/<unicode_slug:slug>/comments/start/", views.comment_start, name="start"),
    path(
        "articles/<unicode_slug:slug>/comments/<int:pk>/reply/", views.comment_reply, name="reply"
    ),
    path("articles/<unicode_slug:slug>/comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path(
        "articles/<unicode_slug:slug>/comments/<int:pk>/delete/",
        views.comment_delete,
        name="delete",
    ),
]
