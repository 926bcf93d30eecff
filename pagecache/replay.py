"""
Stored pages sent again as Django last sent them, before Django's request handling: a WSGI layer
around the site's application (newsroom/wsgi.py), in the way WhiteNoise can wrap one.

A stored page served by PageCacheMiddleware passes the middleware above it on its way out,
which add the same headers to every response for that address (security, CSP, frames,
permissions). This layer records what left Django for such a request, the status and every
header, under the request's address as the client gave it (scheme, host and forwarded headers,
path, query). The next GET of the same address is sent the same response again after the check
the middleware makes (keys.still_current: the page's markers as this process holds them), as
long as the page is still this process's copy and its lifetimes are what they were. Anything
else goes to Django: a request with a session or bypass cookie, a conditional or HEAD request,
an address Django has not served a stored page for, a page replaced, expired or changed.

What a page sent again skips is building Django's request, the request_started and
request_finished signals (which close database connections past their age: the page uses none,
and the next request through Django closes them) and the middleware. Middleware whose response
depends on more of the request than its address and cookies (GZipMiddleware and the
Accept-Encoding) goes below PageCacheMiddleware.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.http.cookie import parse_cookie

from . import keys
from .pages import enabled, lifetimes, local_pages

# Set in the WSGI environ (request.META) by PageCacheMiddleware: (page key, Page) it served.
SERVED = "newsroom.pagecache.served"
# What Django's answer for a page depends on in a request without cookies of note.
ADDRESS = (
    "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
)  # fmt: skip
# Addresses recorded, each with the headers Django sent (about 2 KB), not the page itself.
ADDRESSES = 2048


@dataclass(frozen=True)
class Sent:
    key: str
    made: tuple  # which render of the page it was: not the page, kept within its own budget
    lifetimes: tuple
    status: str
    headers: tuple


def _made(page):
    return (page.digest, page.started, page.keys)


class PageCacheApplication:
    """Wraps a WSGI application serving the site (see the module's docstring)."""

    def __init__(self, application):
        self.application = application
        self.sent = OrderedDict()
        self.lock = threading.Lock()
        setting_changed.connect(self._forget, weak=False)

    def __call__(self, environ, start_response):
        address = _address(environ)
        if address is not None:
            with self.lock:
                sent = self.sent.get(address)
                if sent is not None:
                    self.sent.move_to_end(address)
            if sent is not None and (page := _still_current(sent)) is not None:
                start_response(sent.status, list(sent.headers))
                return [page.content]
        return self._through_django(environ, start_response, address)

    def _through_django(self, environ, start_response, address):
        answered = []

        def recording_start_response(status, headers, exc_info=None):
            answered.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.application(environ, recording_start_response)
        served = environ.get(SERVED)
        if address is not None and served is not None and len(answered) == 1:
            status, headers = answered[0]
            if status.startswith("200 ") and not any(
                name.lower() == "set-cookie" for name, _ in headers
            ):
                key, page = served
                sent = Sent(key, _made(page), lifetimes(page.expires, time.time()), status,
                            tuple(headers))  # fmt: skip
                with self.lock:
                    self.sent[address] = sent
                    while len(self.sent) > ADDRESSES:
                        self.sent.popitem(last=False)
        return response

    def _forget(self, **kwargs):
        with self.lock:
            self.sent.clear()


def _address(environ):
    """The request's address if it may be answered with a page for everyone, else None."""
    if environ.get("REQUEST_METHOD") != "GET" or not enabled():
        return None
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return None
    if cookie := environ.get("HTTP_COOKIE"):
        cookies = parse_cookie(cookie)
        if settings.SESSION_COOKIE_NAME in cookies or any(
            name in cookies for name in settings.NEWSROOM_PAGE_CACHE_BYPASS_COOKIES
        ):
            return None
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    extra = (environ.get(proxy[0]),) if proxy else ()
    return (*(environ.get(name) for name in ADDRESS), *extra)


def _still_current(sent):
    """The page `sent` was made from, if this process still has it and may serve it."""
    page, verified = local_pages.get(sent.key)
    now = time.time()
    if page is None or _made(page) != sent.made or page.expires <= now:
        return None
    if lifetimes(page.expires, now) != sent.lifetimes:
        return None
    current, token = keys.still_current(page.keys, page.started, verified)
    if not current:
        return None
    if token != verified:
        local_pages.verified(sent.key, page, token)
    return page
