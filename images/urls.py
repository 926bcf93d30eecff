from django.urls import path

from . import views

app_name = "images"

urlpatterns = [
    path("<path:path>", views.media_file, name="media"),
]
