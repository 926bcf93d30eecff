import functools

from django.core.signals import setting_changed
from django.urls import Resolver404, resolve

from .pages import hit, is_for_everyone, lookup
from .replay import SERVED


@functools.lru_cache(maxsize=4096)
def _reader_page(path):
    """(query, keep) of the reader_page() view at `path`, or None for any other path."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    query = getattr(match.func, "pagecache_query", None)
    return None if query is None else (query, match.func.pagecache_keep)


def _forget_paths(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reader_page.cache_clear()


setting_changed.connect(_forget_paths, dispatch_uid="pagecache:forget-paths")


class PageCacheMiddleware:
    """Serve stored reader pages before the rest of the stack: the URL resolver, the view and
    the middleware below this one (sessions, CommonMiddleware, CSRF, authentication, messages,
    django-axes) have nothing to add to a page for everyone, which is served only to a request
    without a session cookie. (A site that sets PREPEND_WWW or DISALLOWED_USER_AGENTS puts it
    below CommonMiddleware.) Whatever sets headers on every response (security, CSP, frames,
    permissions) sits above it. What it finds missing or stale it hands on to the view, which
    renders and stores the page without asking the cache again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_for_everyone(request) and (found := _reader_page(request.path_info)) is not None:
            query, keep = found
            if keep:
                found = request.pagecache_lookup = lookup(request, query, keep)
                if found.page is not None:
                    response = hit(found.page, request)
                    if response.status_code == 200:  # for replay.py to send again
                        request.META[SERVED] = (found.key, found.page)
                    return response
        return self.get_response(request)
