"""
Whole pages for anonymous readers: the same bytes for everyone, kept by Django and by any
shared cache in front (Varnish, a CDN), and never stale.

The public API, for the other apps:
- `reader_page(view, query=…, keep=…)` in a URLconf makes a view's pages cacheable (pages.py);
- `shows(*keys)` names what the page being rendered shows (surrogate keys), and
  `page_expires(request, when)` shortens its life (pages.py);
- `remember(name, compute, keys=…)`, with `recall(name)` / `keep(name, value, keys=…)`,
  caches a fragment until one of its keys changes (fragments.py);
- `pages_changed(keys)` announces a bulk write of something readers see (purging.py);
- `same_site_post(view)` guards a form posted from a page for everyone (posting.py);
- `rendered_once(key, render)` keeps HTML that is the same wherever the same inputs make it
  (rendered.py); forms.RenderedOnce renders a form's empty fields so.

The page cache knows no model of the site: it hears of changes through the signals of the
models named in NEWSROOM_PAGE_CACHE_WATCH, each with its app's function naming the keys a
change affects (watching.py), and of times at which pages change by themselves from
NEWSROOM_PAGE_CACHE_CHANGES_AT (schedule.py). All processes must share the cache (Redis) for a
change made through one to reach the pages another serves; NEWSROOM_PAGE_CACHE_SECONDS=0
switches Django's page and fragment caching off (the edge headers stay).
"""

from .fragments import keep, recall, remember
from .pages import page_expires, reader_page, shows
from .posting import same_site_post
from .purging import pages_changed
from .rendered import rendered_once

__all__ = [
    "keep",
    "page_expires",
    "pages_changed",
    "reader_page",
    "recall",
    "remember",
    "rendered_once",
    "same_site_post",
    "shows",
]
