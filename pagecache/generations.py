"""
Content generations: every cached page and fragment belongs to one.

The generation is a random token kept in the shared cache. `content_changed()` replaces it
whenever something readers see is written (watching.py connects it to the models named in
NEWSROOM_PAGE_CACHE_WATCH), so a page rendered under an older one is never served again and
nothing has to find and delete keys. A generation also ends by itself at the next time given by
the functions in NEWSROOM_PAGE_CACHE_CHANGES_AT (the next scheduled article) and at local
midnight (the masthead date), so a scheduled article appears on the minute it is due, with no
cron job.
"""

import functools
import logging
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import store

logger = logging.getLogger("pagecache")

GENERATION_KEY = "pagecache:generation"
ENDS_KEY = "pagecache:ends"


def _new_generation():
    store.call("set", GENERATION_KEY, secrets.token_hex(8), None)


def _new_generation_after_commit():
    # A function of its own, so that content_changed() can tell whether it is already queued.
    _new_generation()


def content_changed(using=None):
    """Something readers see was written: no page rendered before now is served again.

    The generation changes at once and again when the transaction commits: a reader rendering
    between the two saw the old rows, and the second change discards what they stored. Model
    saves and deletes call this by themselves (watching.py); call it after a bulk write
    (QuerySet.update, bulk_create) of something readers see, which sends no signal.
    """
    _new_generation()
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if not any(entry[1] is _new_generation_after_commit for entry in pending):
            transaction.on_commit(_new_generation_after_commit, using=using)


@functools.cache
def _changes_at(paths):
    return tuple(import_string(path) for path in paths)


def _next_midnight(now):
    local = timezone.localtime(datetime.fromtimestamp(now, tz=timezone.get_current_timezone()))
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp()


def _ends(now):
    times = [_next_midnight(now)]
    aware_now = datetime.fromtimestamp(now, tz=timezone.get_current_timezone())
    for source in _changes_at(tuple(settings.NEWSROOM_PAGE_CACHE_CHANGES_AT)):
        if (moment := source(aware_now)) is not None:
            times.append(moment.timestamp())
    return min(times)


def generation_from(known, now):
    """The current generation from `known` (fetched cache values), starting a new one when it
    is missing or its time is up; None when the cache is down."""
    generation, ends = known.get(GENERATION_KEY), known.get(ENDS_KEY)
    if store.came_back():
        generation = None  # changes made while the cache was away went unrecorded
    if generation is not None and ends is not None and ends[0] == generation and now >= ends[1]:
        generation = None
    if generation is None:
        generation = secrets.token_hex(8)
        if store.call("set", GENERATION_KEY, generation, None) is store.DOWN:
            return None
        logger.info("Pages: new content generation %s", generation)
    if ends is None or ends[0] != generation:
        store.call("set", ENDS_KEY, (generation, _ends(now)), None)
    return generation


def fetch_generation():
    """(the cache's answer for the generation keys, or store.DOWN)."""
    return store.call("get_many", [GENERATION_KEY, ENDS_KEY])


def current_generation(now=None):
    known = fetch_generation()
    if known is store.DOWN:
        return None
    return generation_from(known, now or time.time())
