"""
A database that cannot be reached (restarting, failing over, out of connections) answers 503 with
Retry-After instead of a 500 traceback page, so readers, crawlers and load balancers know to come
back. Connections recover by themselves: CONN_HEALTH_CHECKS drops a dead one on the next request.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from articles import site_frame

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exception):
    return isinstance(exception, OperationalError | InterfaceError)


def frame_without_database():
    """The context of the site's frame (masthead, navigation, footer) for a page rendered
    without the request, whose context processors and navigation query the database: the
    sections and policy pages as pages last remembered them, if any."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "sections": site_frame.nav_sections(cached_only=True),
        "policies": site_frame.policy_links(cached_only=True),
    }


def database_unavailable_response():
    html = render_to_string("503.html", frame_without_database())
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()


def server_error(request):
    """handler500. The middleware sees errors raised in views and templates; one raised by another
    middleware (say, saving a staff member's session) reaches Django's error handling, which calls
    this while the exception is being handled (under WSGI, as we serve).

    The site's page, rendered without the request and without the database (which may be what
    failed): the navigation and footer links are those pages last remembered, if any."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    response = HttpResponseServerError(render_to_string("500.html", frame_without_database()))
    add_never_cache_headers(response)
    return response
