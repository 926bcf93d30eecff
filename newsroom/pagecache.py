"""
Whole pages for anonymous readers, served from Django's cache and never stale.

Every cached page belongs to a *content generation*, a random token kept in the cache.
`content_changed()` replaces it whenever something readers see is written: the models given to
`watch()` call it when saved or deleted, and `WatchedQuerySet` when updated in bulk. A page
rendered under an older generation is never served again, so nothing has to find and delete
keys. A generation also ends by itself at the next time registered with `ends_at()` (the next
scheduled article) and at local midnight (the masthead date), so a scheduled article appears
on the minute it is due, with no cron job.

What differs from reader to reader (the CSRF token, the comment form's signed start time) is
rendered into the cached copy as a placeholder and filled in afresh for every request, so a
reader who first meets a cached page can still post its forms. Pages with such values are sent
`Cache-Control: private, no-cache`: browsers revalidate (the ETag answers 304 while nothing
changed) and shared caches never hand one reader's token to another.

Views opt in with `reader_page()` in the URLconf, which renders and stores their pages;
PageCacheMiddleware serves what is stored before the rest of the middleware and the view run.

Requests with a session (staff) or a cookie registered with `bypass_cookie()` (a reader's own
comments awaiting moderation) are rendered as usual and not stored.

All processes must share the cache (Redis) for a change made through one to reach the pages
another serves; NEWSROOM_PAGE_CACHE_SECONDS=0 switches page and fragment caching off.

The cache only ever makes pages faster. When it cannot be reached, pages are rendered from the
database, a warning is logged (at most once a minute), the cache is left alone for
RETRY_SECONDS, and on its return a new generation starts, since changes made meanwhile could
not be recorded.
"""

import functools
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
ENDS_KEY = "pagecache:ends"
PAGE_PREFIX = "pagecache:page:"
FRAGMENT_PREFIX = "pagecache:fragment:"
# After a cache error, pages skip the cache for this long before trying it again.
RETRY_SECONDS = 5
# Each process keeps the pages it served last too (up to this many bytes, none larger than a
# tenth of it), so that serving one asks the shared cache only for the current generation (a
# few bytes) rather than the whole page. An article page is about 22 KB; a sitemap page of
# 5,000 addresses about 900 KB, and those come from the shared cache each time.
LOCAL_PAGES_BYTES = 8 * 1024 * 1024
WARN_EVERY_SECONDS = 60
# A browser may reuse its copy of a page with forms (after a 304) for at most this long, well
# within the comment form's 24-hour limit on its start time.
ETAG_PERIOD_SECONDS = 3600
CACHEABLE_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag")

# Placeholders carry a per-process random mark that no article or comment can contain; a page is
# split at them in the process that rendered it, before it is stored.
_MARK = f"pc{secrets.token_hex(8)}"
_PLACEHOLDER_RE = re.compile(rf"{_MARK}\[([a-z-]+):([\w-]*)\]".encode())

_fillers = {}
_ends_at_sources = []
_bypass_cookies = set()


# Registration, from the apps' ready().


def watch(*watched, when=None):
    """Start a new generation whenever a row of these models is saved or deleted, or their
    many-to-many links change. `when(instance, created)` may excuse saves readers cannot see."""
    for model in watched:

        def saved(sender, instance, created=False, **kwargs):
            if when is None or when(instance, created):
                content_changed(using=kwargs.get("using"))

        def linked(sender, action, **kwargs):
            if action.startswith("post_"):
                content_changed(using=kwargs.get("using"))

        uid = f"pagecache:{model._meta.label}"
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(saved, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(linked, sender=model, weak=False, dispatch_uid=uid)


def ends_at(source):
    """Register `source(now)`: the next time (an aware datetime or None) at which pages change
    by themselves, such as the next scheduled publication."""
    _ends_at_sources.append(source)
    return source


def filler(name):
    """Register `function(request, arg)` as the per-request value for placeholder `name`."""

    def register(function):
        _fillers[name] = function
        return function

    return register


def bypass_cookie(name):
    """Requests carrying cookie `name` see a page rendered for them alone."""
    _bypass_cookies.add(name)


# The cache, guarded.


@dataclass
class _Health:
    skip_until: float = 0.0
    warned_at: float = -WARN_EVERY_SECONDS
    was_down: bool = False


_health = _Health()
_DOWN = object()


def _cache_call(method, *args, **kwargs):
    """cache.method(...), or _DOWN when the cache is failing (an error now or a moment ago)."""
    now = time.monotonic()
    if now < _health.skip_until:
        return _DOWN
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception:  # Django's Redis backend raises redis-py's errors as they come
        _health.skip_until = now + RETRY_SECONDS
        _health.was_down = True
        if now - _health.warned_at >= WARN_EVERY_SECONDS:
            _health.warned_at = now
            logger.warning(
                "The cache is unavailable; serving pages from the database", exc_info=True
            )
        return _DOWN


# Generations.


def _new_generation():
    _cache_call("set", GENERATION_KEY, secrets.token_hex(8), None)


def _bump_after_commit():
    # A function of its own, so that content_changed() can tell whether it is already queued.
    _new_generation()


def content_changed(using=None):
    """Something readers see was written: no page rendered before now is served again.

    The generation changes at once and again when the transaction commits: a reader rendering
    between the two saw the old rows, and the second change discards what they stored.
    """
    _new_generation()
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if not any(entry[1] is _bump_after_commit for entry in pending):
            transaction.on_commit(_bump_after_commit, using=using)


def _next_midnight(now):
    local = timezone.localtime(datetime.fromtimestamp(now, tz=timezone.get_current_timezone()))
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp()


def _ends(now):
    times = [_next_midnight(now)]
    aware_now = datetime.fromtimestamp(now, tz=timezone.get_current_timezone())
    for source in _ends_at_sources:
        if (moment := source(aware_now)) is not None:
            times.append(moment.timestamp())
    return min(times)


def _generation(known, now):
    """The current generation from `known` (fetched cache values), starting a new one when it
    is missing or its time is up; None when the cache is down."""
    generation, ends = known.get(GENERATION_KEY), known.get(ENDS_KEY)
    if _health.was_down:
        _health.was_down = False
        generation = None  # changes made while the cache was away went unrecorded
    if generation is not None and ends is not None and ends[0] == generation and now >= ends[1]:
        generation = None
    if generation is None:
        generation = secrets.token_hex(8)
        if _cache_call("set", GENERATION_KEY, generation, None) is _DOWN:
            return None
        logger.info("Pages: new content generation %s", generation)
    if ends is None or ends[0] != generation:
        _cache_call("set", ENDS_KEY, (generation, _ends(now)), None)
    return generation


def current_generation(now=None):
    known = _cache_call("get_many", [GENERATION_KEY, ENDS_KEY])
    if known is _DOWN:
        return None
    return _generation(known, now or time.time())


FRAGMENT_SECONDS = 24 * 3600


def _fragment_key(generation, name):
    return f"{FRAGMENT_PREFIX}{generation}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"


def enabled():
    return settings.NEWSROOM_PAGE_CACHE_SECONDS > 0


def _fragment(name):
    """The cache key of fragment `name` under the current generation; None when fragments
    are off or the cache is down."""
    generation = current_generation() if enabled() else None
    return None if generation is None else _fragment_key(generation, name)


def _get_fragment(key):
    value = None if key is None else _cache_call("get", key)
    return None if value is _DOWN else value


def _set_fragment(key, value):
    if key is not None:
        _cache_call("set", key, value, FRAGMENT_SECONDS)


def recall(name):
    """What `keep(name, value)` stored under the current generation, or None."""
    return _get_fragment(_fragment(name))


def keep(name, value):
    """Store `value` until the content changes."""
    _set_fragment(_fragment(name), value)


def remember(name, compute):
    """`compute()`, kept in the cache until the content changes: for what many pages share
    (the section navigation) or what a page needs beside its own rows (related articles).
    The value is stored under the generation it was computed in."""
    key = _fragment(name)
    value = _get_fragment(key)
    if value is None:
        value = compute()
        _set_fragment(key, value)
    return value


class WatchedQuerySet(models.QuerySet):
    """Bulk writes bypass the model signals `watch()` listens to; these report themselves."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            content_changed(using=self.db)
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        content_changed(using=self.db)
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        content_changed(using=self.db)
        return rows


# Placeholders.

_CSRF_BASE = len(CSRF_ALLOWED_CHARS)
_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_CSRF_STRINGS = _CSRF_BASE**CSRF_SECRET_LENGTH


def _csrf_string():
    """A CSRF secret or mask: 32 characters drawn uniformly from CSRF_ALLOWED_CHARS, as Django
    draws them, but from one call to the operating system rather than one per character."""
    number = secrets.randbelow(_CSRF_STRINGS)
    chars = []
    for _ in range(CSRF_SECRET_LENGTH):
        number, index = divmod(number, _CSRF_BASE)
        chars.append(CSRF_ALLOWED_CHARS[index])
    return "".join(chars)


@filler("csrf")
def csrf_token(request, arg=""):
    """What `django.middleware.csrf.get_token(request)` returns, with the same effect: the
    reader's secret (from their cookie, read by CsrfViewMiddleware) or a new one, sent back as
    the cookie, masked afresh for every response. Django draws the 64 random characters one
    system call each (about 80 µs for a new reader); every new reader of a cached page needs
    them, so they are drawn here in two."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _csrf_string()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _csrf_string()
    cipher = (
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[s] + _CSRF_INDEX[m]) % _CSRF_BASE]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + "".join(cipher)


def per_request(request, name, arg=""):
    """The value of filler `name` for this request, or its placeholder while the page is being
    rendered for the cache."""
    if getattr(request, "_pagecache_recording", False):
        return mark_safe(f"{_MARK}[{name}:{arg}]")  # noqa: S308 (letters, digits and brackets)
    return _fillers[name](request, arg)


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
                values[part] = str(_fillers[part[0]](request, part[1])).encode()
            chunks.append(values[part])
    return b"".join(chunks)


# The page cache.


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
    # A browser's copy is reused only with the same CSRF cookie and within the period.
    period = int(time.time() // ETAG_PERIOD_SECONDS)
    secret = request.META.get("CSRF_COOKIE", "")
    return '"' + hashlib.sha256(f"{page.digest}:{secret}:{period}".encode()).hexdigest()[:40] + '"'


def _respond(page, request, response=None):
    """The page for this request: `response` (just rendered) or a new one, filled in."""
    if response is None:
        response = HttpResponse()
        for name, value in page.headers.items():
            response[name] = value
    response.content = _fill(page.parts, request)
    _set_reader_headers(response, page.personal)
    response["ETag"] = _etag(page, request)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _set_reader_headers(response, personal):
    if personal:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])


def _is_for_everyone(request):
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in _bypass_cookies
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
class _Lookup:
    key: str
    generation: str | None  # None: the cache is down
    page: Page | None  # the stored page, when it may be served
    now: float


class _LocalPages:
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


_local_pages = _LocalPages(LOCAL_PAGES_BYTES)


def _current(page, generation, now):
    return page is not None and page.generation == generation and page.expires > now


def _lookup(request, query):
    now = time.time()
    key = _page_key(request, query)
    known = _cache_call("get_many", [GENERATION_KEY, ENDS_KEY])
    generation = None if known is _DOWN else _generation(known, now)
    if generation is None:
        return _Lookup(key, None, None, now)
    page = _local_pages.get(key)
    if not _current(page, generation, now):
        page = _cache_call("get", key)
        if page is _DOWN or not _current(page, generation, now):
            page = None
        else:
            _local_pages.put(key, page)
    return _Lookup(key, generation, page, now)


def _hit(page, request):
    response = _respond(page, request)
    response["X-Page-Cache"] = "hit"
    return response


def reader_page(view=None, *, query=("page",)):
    """Cache `view`'s pages for anonymous readers. `query` names the GET parameters that make a
    different page; the rest (tracking tags) are ignored. A view may lower the page's lifetime
    by setting `response.pagecache_seconds`. PageCacheMiddleware serves the stored pages."""
    if view is None:
        return functools.partial(reader_page, query=query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_for_everyone(request):
            return _render_for_one(view, request, args, kwargs)
        found = getattr(request, "_pagecache_lookup", None) or _lookup(request, query)
        if found.generation is None:  # the cache is down
            return _render_for_one(view, request, args, kwargs)
        if found.page is not None:
            return _hit(found.page, request)
        return _render_and_store(view, request, args, kwargs, found)

    wrapper.pagecache_query = query
    return wrapper


@functools.lru_cache(maxsize=4096)
def _reader_query(path):
    """The `query` of the reader_page() view at `path`, or None for any other path."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "pagecache_query", None)


def _forget_paths(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reader_query.cache_clear()


setting_changed.connect(_forget_paths, dispatch_uid="pagecache:forget-paths")


class PageCacheMiddleware:
    """Serve stored reader pages before the rest of the stack: the URL resolver, the view and
    the middleware below this one (authentication, messages, django-axes) have nothing to add
    to a page for everyone. It goes right after CsrfViewMiddleware, which reads the reader's
    CSRF cookie and sends it back with the page; what it finds missing or stale it hands on
    to the view, which renders and stores the page without asking the cache again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_for_everyone(request) and (query := _reader_query(request.path_info)) is not None:
            found = _lookup(request, query)
            if found.page is not None:
                return _hit(found.page, request)
            request._pagecache_lookup = found
        return self.get_response(request)


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
        getattr(response, "pagecache_seconds", settings.NEWSROOM_PAGE_CACHE_SECONDS),
    )
    page = Page(
        generation=found.generation,
        parts=parts,
        headers={name: response[name] for name in CACHEABLE_HEADERS if name in response},
        digest=hashlib.sha256(response.content).hexdigest()[:40],
        expires=found.now + seconds,
    )
    if seconds > 0:
        _cache_call("set", found.key, page, seconds)
        _local_pages.put(found.key, page)
    response["X-Page-Cache"] = "miss"
    return _respond(page, request, response)
