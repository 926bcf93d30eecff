"""
Whole pages for anonymous readers, served from Django's cache and never stale.

The public API, for the other apps:
- `reader_page(view, query=…)` in a URLconf caches a view's pages (pages.py);
- `remember(name, compute)`, with `recall(name)` / `keep(name, value)`, caches a fragment
  until the content changes (fragments.py);
- `per_request(request, name, arg)` puts a per-reader value (a CSRF token, a form's start time)
  in a cached page, and `page_expires(request, when)` shortens a page's life (pages.py);
- `content_changed()` announces a bulk write of something readers see (generations.py).

The page cache knows no model of the site: it hears of changes through the signals of the
models named in NEWSROOM_PAGE_CACHE_WATCH (watching.py), and of times at which pages change by
themselves from NEWSROOM_PAGE_CACHE_CHANGES_AT (generations.py). All processes must share the
cache (Redis) for a change made through one to reach the pages another serves;
NEWSROOM_PAGE_CACHE_SECONDS=0 switches page and fragment caching off.
"""

from .fragments import keep, recall, remember
from .generations import content_changed
from .pages import page_expires, per_request, reader_page

__all__ = [
    "content_changed",
    "keep",
    "page_expires",
    "per_request",
    "reader_page",
    "recall",
    "remember",
]
