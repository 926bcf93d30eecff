import functools

from django.core.signals import setting_changed
from django.urls import Resolver404, resolve

from .pages import hit, is_for_everyone, lookup


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
        if is_for_everyone(request) and (query := _reader_query(request.path_info)) is not None:
            found = lookup(request, query)
            if found.page is not None:
                return hit(found.page, request)
            request._pagecache_lookup = found
        return self.get_response(request)
