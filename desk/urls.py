from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="preview"),
]
