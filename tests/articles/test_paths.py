from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix

from articles.paths import path_to


def test_path_is_what_django_reverses_for_any_slug():
    for slug in ("talks-resume", "économie", "王王"):
        assert path_to("articles:tag", slug) == reverse("articles:tag", kwargs={"slug": slug})
    assert path_to("articles:home") == "/"


def test_path_follows_the_script_prefix_of_the_request():
    assert path_to("articles:section", "world") == "/sections/world/"
    set_script_prefix("/news/")
    try:
        assert path_to("articles:section", "world") == "/news/sections/world/"
    finally:
        set_script_prefix("/")
    assert path_to("articles:section", "world") == "/sections/world/"


def view(request):
    raise AssertionError("never called")


# This module is the URLconf of the last test: the articles namespace elsewhere.
urlpatterns = [
    path("", include(([path("elsewhere/<slug>/", view, name="section")], "articles"))),
]


def test_a_changed_urlconf_gives_its_own_paths():
    assert path_to("articles:section", "world") == "/sections/world/"
    with override_settings(ROOT_URLCONF=__name__):
        assert path_to("articles:section", "world") == "/elsewhere/world/"
    assert path_to("articles:section", "world") == "/sections/world/"
