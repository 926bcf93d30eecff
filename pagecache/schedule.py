"""
When pages change by themselves, with no write to announce it: a scheduled article going live
(the functions named in NEWSROOM_PAGE_CACHE_CHANGES_AT say when, and which keys it affects;
no keys: every page) and local midnight (the masthead's date). A page may be kept, here or at
the edge, only until the first of those times that concerns it, so a scheduled article is on
its pages on the minute it is due, with no cron job and no purge.
"""

import functools
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

# Writes that change what is scheduled stamp this key (e.g. articles' article_changed).
SCHEDULE_KEY = "schedule"


@functools.cache
def _sources(paths):
    return tuple(import_string(path) for path in paths)


def _next_midnight(now):
    local = timezone.localtime(datetime.fromtimestamp(now, tz=timezone.get_current_timezone()))
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp()


def _upcoming(now):
    """[(timestamp, frozenset of keys)] from every source, soonest first."""
    aware_now = datetime.fromtimestamp(now, tz=timezone.get_current_timezone())
    changes = []
    for source in _sources(tuple(settings.NEWSROOM_PAGE_CACHE_CHANGES_AT)):
        changes.extend((when.timestamp(), frozenset(keys)) for when, keys in source(aware_now))
    return sorted(changes, key=lambda change: change[0])


def upcoming(now):
    from . import fragments  # fragments import pages, which imports this module

    return fragments.remember_quietly(
        "schedule",
        lambda: _upcoming(now),
        keys=(SCHEDULE_KEY,),
        expires=lambda changes: changes[0][0] if changes else float("inf"),
    )


def next_scheduled(page_keys, now):
    """When the first scheduled change touching `page_keys` comes due (inf: none known)."""
    page_keys = frozenset(page_keys)
    for when, keys in upcoming(now):
        if when > now and (not keys or keys & page_keys):
            return when
    return float("inf")


def next_change(page_keys, now):
    """The time after which a page showing `page_keys` may not be served from any cache: the
    first scheduled change touching them, or local midnight (the masthead's date)."""
    return min(_next_midnight(now), next_scheduled(page_keys, now))
