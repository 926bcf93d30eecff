"""
Telling the caches what changed: `pages_changed(keys)` retires the pages that show any of the
keys, in Django's page cache (keys.py) and in the shared cache in front of the site (edge.py),
once the transaction that made the change has committed.

Purges of one transaction are sent together. An edge purge that fails is retried in the
background, with growing pauses, and every failure is logged; one that still fails after
PURGE_ATTEMPTS is logged as an error naming its keys (those pages then live until their
s-maxage).

Each edge purge is sent again NEWSROOM_EDGE_REPURGE_SECONDS later. A page that was on its way
to the edge when the first purge landed (rendered from the rows as they were, still being
fetched) is not in the cache to be purged yet, and would be kept as it arrives; the second
purge retires it. Django's own check (a render during which a key it shows changed is sent
with s-maxage=0) covers the render itself, not the time the response takes to arrive, nor
sites without a shared Django cache.
"""

import logging
import queue
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from . import edge, keys

logger = logging.getLogger("pagecache")

PURGE_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 0.5

_local = threading.local()


def pages_changed(changed, using=None):
    """The pages showing any of `changed` (surrogate keys) are stale. Model saves and deletes
    of the models in NEWSROOM_PAGE_CACHE_WATCH call this by themselves (watching.py); call it
    after a bulk write (QuerySet.update, bulk_create) of something readers see, which sends no
    signal.

    Django's copies are retired at once and again when the transaction commits: a page made
    between the two read the rows as they were, and the second stamp retires it. The edge is
    purged once, after the commit (at once outside a transaction)."""
    changed = set(changed)
    if not changed:
        return
    keys.stamp(changed)
    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        purge_edge(changed)
        return
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = set()
    pending.update(changed)
    # One callback per change; the first to run after the commit sends the lot, the others
    # find nothing left. Keys of a rolled-back change go out with the next commit: a purge too
    # many, never one too few.
    transaction.on_commit(flush, using=using)


def flush():
    pending = getattr(_local, "pending", None)
    if not pending:
        return
    _local.pending = set()
    keys.stamp(pending)
    purge_edge(pending)


def purge_edge(changed, *, again=True):
    purger = edge.purger()
    if purger is None:
        return
    try:
        purger.purge(sorted(changed))
    except edge.PurgeFailed as error:
        logger.warning("Edge purge failed, will retry: %s", error)
        retries.put(sorted(changed), attempt=1)
    if again and (seconds := settings.NEWSROOM_EDGE_REPURGE_SECONDS) > 0:
        timer = threading.Timer(seconds, purge_edge, args=(changed,), kwargs={"again": False})
        timer.name, timer.daemon = "edge-purge-again", True
        timer.start()


class Retries:
    """Failed edge purges, retried by one background thread per process."""

    def __init__(self):
        self.queue = queue.Queue()
        self.thread = None
        self.lock = threading.Lock()

    def put(self, changed, attempt):
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="edge-purge", daemon=True)
                self.thread.start()
        due = time.monotonic() + FIRST_RETRY_SECONDS * 2 ** (attempt - 1)
        self.queue.put((due, changed, attempt))

    def run(self):
        while True:
            due, changed, attempt = self.queue.get()
            time.sleep(max(0.0, due - time.monotonic()))
            self.retry(changed, attempt)
            self.queue.task_done()

    def retry(self, changed, attempt):
        purger = edge.purger()
        if purger is None:
            return
        try:
            purger.purge(changed)
        except edge.PurgeFailed as error:
            if attempt + 1 >= PURGE_ATTEMPTS:
                logger.error(
                    "Edge purge of %s failed %d times, giving up; those pages stay cached "
                    "until their s-maxage: %s", " ".join(changed), attempt + 1, error,
                )  # fmt: skip
                return
            logger.warning("Edge purge failed (attempt %d), will retry: %s", attempt + 1, error)
            self.put(changed, attempt + 1)
        else:
            logger.info("Edge purge of %s went through on attempt %d", changed, attempt + 1)

    def wait(self):
        """Block until every queued retry has run (for tests and for a clean shutdown)."""
        self.queue.join()


retries = Retries()
