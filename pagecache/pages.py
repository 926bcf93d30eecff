"""
Whole reader pages: rendered once, stored under the current content generation, and served
again to every anonymous reader until the content changes.

What differs from reader to reader (the CSRF token, the comment form's signed start time) is
rendered into the stored copy as a placeholder and filled in afresh for every request, so a
reader who first meets a stored page can still post its forms. Pages with such values are sent
`Cache-Control: private, no-cache`: browsers revalidate (the ETag answers 304 while nothing
changed) and shared caches never hand one reader's token to another.

Requests with a session (staff) or a cookie named in NEWSROOM_PAGE_CACHE_BYPASS_COOKIES (a
reader's own comments awaiting moderation) are rendered as usual and not stored.
"""

import functools
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from . import store
from .fragments import enabled
from .generations import fetch_generation, generation_from

PAGE_PREFIX = "pagecache:page:"
# Each process keeps the pages it served last too (up to this many bytes, none larger than a
# tenth of it), so that serving one asks the shared cache only for the current generation (a
# few bytes) rather than the whole page. An article page is about 22 KB; a sitemap page of
# 5,000 addresses about 900 KB, and those come from the shared cache each time.
LOCAL_PAGES_BYTES = 8 * 1024 * 1024
# A browser may reuse its copy of a page with forms (after a 304) for at most this long, well
# within the comment form's 24-hour limit on its start time.
ETAG_PERIOD_SECONDS = 3600
CACHEABLE_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag")

# Placeholders carry a per-process random mark that no article or comment can contain; a page is
# split at them in the process that rendered it, before it is stored.
_MARK = f"pc{secrets.token_hex(8)}"
_PLACEHOLDER_RE = re.compile(rf"{_MARK}\[([a-z-]+):([\w-]*)\]".encode())


# Per-reader values.


def csrf_token(request, arg=""):
    """The reader's CSRF token, masked afresh for every response; Django's CSRF middleware sends
    the reader's secret back as the cookie."""
    return get_token(request)


@functools.cache
def _filler(name):
    if name == "csrf":
        return csrf_token
    return import_string(settings.NEWSROOM_PAGE_CACHE_FILLERS[name])


def per_request(request, name, arg=""):
    """The value of filler `name` (NEWSROOM_PAGE_CACHE_FILLERS, or "csrf") for this request, or
    its placeholder while the page is being rendered for the cache."""
    if getattr(request, "_pagecache_recording", False):
        return mark_safe(f"{_MARK}[{name}:{arg}]")  # noqa: S308 (letters, digits and brackets)
    return _filler(name)(request, arg)


def page_expires(request, when):
    """The page being rendered for `request` must not be served from the cache after `when` (an
    aware datetime), e.g. because a form on it closes then."""
    seconds = when.timestamp() - time.time()
    request._pagecache_seconds = min(getattr(request, "_pagecache_seconds", seconds), seconds)


def _split(content):
    """The rendered page as literal bytes and (filler, argument) pairs, in order."""
    parts, start = [], 0
    for match in _PLACEHOLDER_RE.finditer(content):
        parts.append(content[start : match.start()])
        parts.append((match.group(1).decode(), match.group(2).decode()))
        start = match.end()
    parts.append(content[start:])
    return parts


def _fill(parts, request):
    values = {}
    chunks = []
    for part in parts:
        if isinstance(part, bytes):
            chunks.append(part)
        else:
            if part not in values:
                values[part] = str(_filler(part[0])(request, part[1])).encode()
            chunks.append(values[part])
    return b"".join(chunks)


# Stored pages.


@dataclass(frozen=True)
class Page:
    generation: str
    parts: list
    headers: dict
    digest: str
    expires: float

    @property
    def personal(self):
        return len(self.parts) > 1

    @functools.cached_property
    def size(self):
        return sum(len(part) for part in self.parts if isinstance(part, bytes))


def _page_key(request, query):
    params = urlencode([(name, request.GET.get(name, "")) for name in query])
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{params}"
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _etag(page, request):
    if not page.personal:
        return f'"{page.digest}"'
    # A browser's copy is reused only with the same CSRF cookie and within the period; a
    # reader who sent none gets a new one with this page, and an ETag from the next.
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not secret:
        return None
    period = int(time.time() // ETAG_PERIOD_SECONDS)
    return '"' + hashlib.sha256(f"{page.digest}:{secret}:{period}".encode()).hexdigest()[:40] + '"'


def _respond(page, request, response=None):
    """The page for this request: `response` (just rendered) or a new one, filled in."""
    if response is None:
        response = HttpResponse()
        for name, value in page.headers.items():
            response[name] = value
    response.content = _fill(page.parts, request)
    _set_reader_headers(response, page.personal)
    etag = _etag(page, request)
    if etag is None:
        return response
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)


def _set_reader_headers(response, personal):
    if personal:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])


def is_for_everyone(request):
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in settings.NEWSROOM_PAGE_CACHE_BYPASS_COOKIES
    )


def _storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


@dataclass(frozen=True)
class Lookup:
    key: str
    generation: str | None  # None: the cache is down
    page: Page | None  # the stored page, when it may be served
    now: float


class LocalPages:
    """The pages this process served last, by key, within a budget of bytes. A copy is only
    ever served under the same rules as the shared one (its generation is current and it has
    not expired), so it can never be staler than the shared cache."""

    def __init__(self, budget):
        self.budget = budget
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        if page.size > self.budget // 10:
            return
        with self.lock:
            if (old := self.pages.pop(key, None)) is not None:
                self.size -= old.size
            self.pages[key] = page
            self.size += page.size
            while self.size > self.budget:
                self.size -= self.pages.popitem(last=False)[1].size


local_pages = LocalPages(LOCAL_PAGES_BYTES)


def _current(page, generation, now):
    return page is not None and page.generation == generation and page.expires > now


def lookup(request, query):
    now = time.time()
    key = _page_key(request, query)
    known = fetch_generation()
    generation = None if known is store.DOWN else generation_from(known, now)
    if generation is None:
        return Lookup(key, None, None, now)
    page = local_pages.get(key)
    if not _current(page, generation, now):
        page = store.call("get", key)
        if page is store.DOWN or not _current(page, generation, now):
            page = None
        else:
            local_pages.put(key, page)
    return Lookup(key, generation, page, now)


def hit(page, request):
    response = _respond(page, request)
    response["X-Page-Cache"] = "hit"
    return response


def reader_page(view=None, *, query=("page",)):
    """Cache `view`'s pages for anonymous readers. `query` names the GET parameters that make a
    different page; the rest (tracking tags) are ignored. Templates may shorten a page's life
    with page_expires(). PageCacheMiddleware serves the stored pages."""
    if view is None:
        return functools.partial(reader_page, query=query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_for_everyone(request):
            return _render_for_one(view, request, args, kwargs)
        found = getattr(request, "_pagecache_lookup", None) or lookup(request, query)
        if found.generation is None:  # the cache is down
            return _render_for_one(view, request, args, kwargs)
        if found.page is not None:
            return hit(found.page, request)
        return _render_and_store(view, request, args, kwargs, found)

    wrapper.pagecache_query = query
    return wrapper


def _render_for_one(view, request, args, kwargs):
    """The page made for this request alone, and marked so that no shared cache keeps it."""
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if "no-store" not in response.get("Cache-Control", ""):
        patch_cache_control(response, private=True)
    return response


def _render_and_store(view, request, args, kwargs, found):
    request._pagecache_recording = True
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.context_data = {
                **(response.context_data or {}),
                "csrf_token": per_request(request, "csrf"),
            }
            response.render()
    finally:
        request._pagecache_recording = False
    if response.streaming:
        return response
    parts = _split(response.content)
    if not _storable(response):
        if len(parts) > 1:
            response.content = _fill(parts, request)
        return response
    seconds = min(
        settings.NEWSROOM_PAGE_CACHE_SECONDS,
        getattr(request, "_pagecache_seconds", settings.NEWSROOM_PAGE_CACHE_SECONDS),
    )
    page = Page(
        generation=found.generation,
        parts=parts,
        headers={name: response[name] for name in CACHEABLE_HEADERS if name in response},
        digest=hashlib.sha256(response.content).hexdigest()[:40],
        expires=found.now + seconds,
    )
    if seconds > 0:
        store.call("set", found.key, page, seconds)
        local_pages.put(found.key, page)
    response["X-Page-Cache"] = "miss"
    return _respond(page, request, response)
