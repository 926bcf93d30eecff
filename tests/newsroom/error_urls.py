"""The site's URLconf and error handlers, with a page that fails, for the error page tests."""

from django.urls import path

from newsroom.urls import *  # noqa: F403 (its handlers)
from newsroom.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("A page that fails, for the tests of the error page.")


urlpatterns = [path("broken/", broken), *site_patterns]
