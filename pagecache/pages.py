"""
Whole reader pages: the same bytes for every anonymous reader, so that any shared cache may keep
them, and Django keeps them too until something they show changes.

A page carries no per-reader value (no CSRF token, no form start time: see posting.py), is sent
`Cache-Control: public` with an `s-maxage` for shared caches, and names what it shows as
surrogate keys in `Surrogate-Key` (Fastly), `xkey` (Varnish) and `Cache-Tag` (Cloudflare). A
change purges exactly those keys (purging.py), here and at the edge.

Requests with a session (staff) or a cookie named in NEWSROOM_PAGE_CACHE_BYPASS_COOKIES (a
reader's own comments awaiting moderation) are rendered for them alone, sent `private`, and
never stored; the edge's rules test the same cookies (deploy/varnish/default.vcl).
"""

import contextvars
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import urlencode

from . import keys, schedule, store

PAGE_PREFIX = "pagecache:page:"
CACHEABLE_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag")
KEY_HEADERS = ("Surrogate-Key", "xkey")  # space-separated; Cache-Tag is comma-separated


def enabled():
    return settings.NEWSROOM_PAGE_CACHE_SECONDS > 0


# What the page being rendered shows, collected while it renders.


@dataclass
class Collector:
    started: int | None = None
    keys: set = field(default_factory=set)
    expires: float = float("inf")


_collecting = contextvars.ContextVar("pagecache_collecting", default=None)


def shows(*page_keys):
    """The page being rendered shows these things (surrogate keys such as "article-42"): a
    change to any of them purges it. Outside a reader page's render this does nothing."""
    collector = _collecting.get()
    if collector is not None:
        collector.keys.update(page_keys)


def rendering_started():
    """The clock when the reader page being rendered began (keys.py), or None."""
    collector = _collecting.get()
    return collector.started if collector is not None else None


def page_expires(request, when):
    """The page being rendered must not be served from any cache after `when` (an aware
    datetime), e.g. because a form on it closes then."""
    collector = _collecting.get()
    if collector is not None:
        collector.expires = min(collector.expires, when.timestamp())


# Stored pages.


@dataclass(frozen=True)
class Page:
    content: bytes
    headers: dict
    keys: frozenset
    started: int  # the keys' clock before the page read anything (keys.py)
    expires: float  # wall-clock time after which no cache may serve it
    digest: str

    @property
    def size(self):
        return len(self.content)


def canonical_host(request):
    """The host pages are made and kept for: the request's host name in lower case, without a
    port, or NEWSROOM_SITE_URL's host (with its port) when the names match. A Host header
    differing only in case or port gets the same page, so it cannot fill the cache with copies.
    """
    return _canonical(request.get_host(), settings.NEWSROOM_SITE_URL)


@functools.lru_cache(maxsize=256)
def _canonical(host, site_url):
    hostname = host.lower().rstrip(".")
    if hostname.endswith("]"):  # [::1]
        name = hostname
    else:
        name = hostname.rpartition(":")[0] if ":" in hostname else hostname
    site_host = urlsplit(site_url).netloc.lower()
    if name == site_host.rpartition(":")[0] or name == site_host:
        return site_host
    return name


def _page_key(request, host, query):
    if request.META.get("QUERY_STRING"):
        values = tuple(request.GET.get(name, "") for name in query)
    else:
        values = ("",) * len(query)
    return _key(request.scheme, host, request.path, values, query)


@functools.lru_cache(maxsize=4096)
def _key(scheme, host, path, values, query):
    params = urlencode(list(zip(query, values, strict=True)))
    raw = f"{scheme}://{host}{path}?{params}"
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def is_for_everyone(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in settings.NEWSROOM_PAGE_CACHE_BYPASS_COOKIES
    )


def lifetimes(expires, now):
    """(max-age, s-maxage, stale-while-revalidate, stale-if-error) of a page expiring then."""
    edge = int(max(0, min(settings.NEWSROOM_EDGE_SECONDS, expires - now)))
    browser = min(settings.NEWSROOM_BROWSER_SECONDS, edge)
    return (browser, edge, settings.NEWSROOM_EDGE_STALE_SECONDS,
            settings.NEWSROOM_EDGE_STALE_IF_ERROR_SECONDS)  # fmt: skip


def _patch_public(response, lifetimes):
    browser, edge, stale, stale_if_error = lifetimes
    patch_cache_control(
        response,
        public=True,
        max_age=browser,
        s_maxage=edge,
        stale_while_revalidate=stale,
        stale_if_error=stale_if_error,
    )


@functools.lru_cache(maxsize=64)
def _cache_control(lifetimes):
    """The Cache-Control of a stored page, made as public_headers() makes it on a fresh
    response, once for each set of lifetimes."""
    response = HttpResponse()
    _patch_public(response, lifetimes)
    return response["Cache-Control"]


@functools.lru_cache(maxsize=4096)
def _key_headers(page_keys):
    listed = sorted(page_keys)
    return (*((name, " ".join(listed)) for name in KEY_HEADERS), ("Cache-Tag", ",".join(listed)))


def public_headers(response, page_keys, expires, now):
    """Cache-Control for shared caches, and the surrogate keys in each CDN's header."""
    _patch_public(response, lifetimes(expires, now))
    for name, value in _key_headers(page_keys):
        response[name] = value


def _respond(page, request, response=None, now=None):
    now = now or time.time()
    if response is None:
        response = HttpResponse(page.content)
        for name, value in page.headers.items():
            response[name] = value
    public_headers(response, page.keys, page.expires, now)
    etag = f'"{page.digest}"'
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)


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
    started: int | None  # the clock before rendering; None: the cache is down or off
    page: Page | None  # the stored page, when it may be served


class LocalPages:
    """The pages this process served last, by key, within NEWSROOM_PAGE_CACHE_LOCAL_BYTES (none
    larger than a tenth of it: an article page is about 22 KB, a sitemap page of 5,000
    addresses about 900 KB, and those come from the shared cache each time). A copy is only
    ever served under the same rules as the shared one (its keys unchanged, not expired), so it
    can never be staler than the shared cache."""

    def __init__(self):
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    @property
    def budget(self):
        return settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES

    def get(self, key):
        """(the copy kept under `key`, the token it was last found current with) or (None,
        None)."""
        with self.lock:
            entry = self.pages.get(key)
            if entry is None:
                return None, None
            self.pages.move_to_end(key)
            return entry

    def put(self, key, page, token=None):
        if page.size > self.budget // 10:
            return
        with self.lock:
            if (old := self.pages.pop(key, None)) is not None:
                self.size -= old[0].size
            self.pages[key] = (page, token)
            self.size += page.size
            while self.size > self.budget:
                self.size -= self.pages.popitem(last=False)[1][0].size

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0

    def verified(self, key, page, token):
        """`page`, kept under `key`, was found current as of `token` (keys.still_current)."""
        with self.lock:
            if (entry := self.pages.get(key)) is not None and entry[0] is page:
                self.pages[key] = (page, token)


local_pages = LocalPages()


def lookup(request, query, keep=True):
    """The stored page for `request` if it may be served (checked against its keys' markers as
    this process holds them: no round trip while none changed), else the clock to render by.
    Puts the canonical host in the request, for the page to be made for."""
    host = request.META["HTTP_HOST"] = canonical_host(request)
    key = _page_key(request, host, query)
    now = time.time()
    if keep and enabled():
        page, verified = local_pages.get(key)
        if page is None or page.expires <= now:
            page, verified = store.call("get", key), None
            page = None if page is store.DOWN or page is None or page.expires <= now else page
            if page is not None:
                local_pages.put(key, page)
        if page is not None:
            current, token = keys.still_current(page.keys, page.started, verified)
            if current:
                if token != verified:
                    local_pages.verified(key, page, token)
                return Lookup(key, None, page)
    known = keys.fetch(())
    if known is store.DOWN:
        return Lookup(key, None, None)
    return Lookup(key, keys.now(known), None)


def hit(page, request):
    """The response for a stored page: its headers as _respond() gives them on the render that
    stored it, with the Cache-Control and surrogate keys made once rather than for each hit."""
    etag = f'"{page.digest}"'
    response = HttpResponse(page.content, headers=page.headers)
    response["Cache-Control"] = _cache_control(lifetimes(page.expires, time.time()))
    for name, value in _key_headers(page.keys):
        response[name] = value
    response["ETag"] = etag
    # Served above CommonMiddleware, which sets it on rendered pages.
    response["Content-Length"] = str(page.size)
    response = get_conditional_response(request, etag=etag, response=response)
    response["X-Page-Cache"] = "hit"
    return response


def reader_page(view=None, *, query=("page",), keep=True):
    """Make `view`'s pages the same for every anonymous reader and cache them. `query` names
    the GET parameters that make a different page; the rest (tracking tags) are ignored.
    `keep=False` sends the shared-cache headers but keeps no copy in Django's cache (search:
    any reader can ask for any number of different pages). PageCacheMiddleware serves the
    stored pages."""
    if view is None:
        return functools.partial(reader_page, query=query, keep=keep)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_for_everyone(request):
            return _render_for_one(view, request, args, kwargs)
        found = getattr(request, "pagecache_lookup", None) or lookup(request, query, keep)
        if found.page is not None:
            return hit(found.page, request)
        return _render_for_everyone(view, request, args, kwargs, found, keep)

    wrapper.pagecache_query = query
    wrapper.pagecache_keep = keep
    return wrapper


def _render(view, request, args, kwargs, extra_context=None, started=None):
    collector = Collector(started=started)
    token = _collecting.set(collector)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            if extra_context:
                response.context_data = {**(response.context_data or {}), **extra_context}
            response.render()
    finally:
        _collecting.reset(token)
    return response, collector


def _render_for_one(view, request, args, kwargs):
    """The page made for this request alone, and marked so that no shared cache keeps it.
    (The fragments it reads and makes are shared as ever, dated by the clock.)"""
    known = keys.fetch(()) if enabled() else store.DOWN
    started = None if known is store.DOWN else keys.now(known)
    response, _ = _render(view, request, args, kwargs, started=started)
    if "no-store" not in response.get("Cache-Control", ""):
        patch_cache_control(response, private=True)
    return response


def _render_for_everyone(view, request, args, kwargs, found, keep):
    # No CSRF token: one in a page for everyone would be one every reader shares (forms on
    # these pages are checked by posting.py instead, and print the token only when given one).
    session = getattr(request, "session", None)
    accessed = getattr(session, "accessed", False)
    response, collector = _render(view, request, args, kwargs, {"csrf_token": ""}, found.started)
    if session is not None:
        # The reader has no session cookie, so their session is empty and the page cannot
        # depend on it (the auth context processor looks): no `Vary: Cookie` for shared caches.
        session.accessed = accessed
    if response.streaming or not _storable(response):
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response
    now = time.time()
    page_keys = frozenset(collector.keys)
    expires = min(collector.expires, schedule.next_change(page_keys, now))
    current = found.started is not None and keys.settle(page_keys, found.started)
    if found.started is not None and not current:
        # Something it shows changed while it was being made: serve it, keep it nowhere.
        patch_cache_control(response, public=True, max_age=0, s_maxage=0)
        response["X-Page-Cache"] = "miss"
        return response
    page = Page(
        content=response.content,
        headers={name: response[name] for name in CACHEABLE_HEADERS if name in response},
        keys=page_keys,
        started=found.started or 0,
        expires=expires,
        digest=hashlib.sha256(response.content).hexdigest()[:40],
    )
    seconds = int(min(settings.NEWSROOM_PAGE_CACHE_SECONDS, expires - now))
    if keep and enabled() and current and seconds > 0:
        store.call("set", found.key, page, seconds)
        local_pages.put(found.key, page)
    response["X-Page-Cache"] = "miss" if keep and enabled() else "pass"
    return _respond(page, request, response, now)
