"""
The shared cache, guarded: the page cache only ever makes pages faster.

When the cache cannot be reached, pages are rendered from the database, a warning is logged (at
most once a minute), the cache is left alone for RETRY_SECONDS, and on its return a new epoch
retires everything stored before (see keys.py), since changes made meanwhile could not be
recorded.
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger("pagecache")

# After a cache error, pages skip the cache for this long before trying it again.
RETRY_SECONDS = 5
WARN_EVERY_SECONDS = 60

DOWN = object()


@dataclass
class Health:
    skip_until: float = 0.0
    warned_at: float = -WARN_EVERY_SECONDS
    was_down: bool = False


health = Health()


def call(method, *args, **kwargs):
    """cache.method(...), or DOWN when the cache is failing (an error now or a moment ago)."""
    now = time.monotonic()
    if now < health.skip_until:
        return DOWN
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception:  # Django's Redis backend raises redis-py's errors as they come
        health.skip_until = now + RETRY_SECONDS
        health.was_down = True
        if now - health.warned_at >= WARN_EVERY_SECONDS:
            health.warned_at = now
            logger.warning(
                "The cache is unavailable; serving pages from the database", exc_info=True
            )
        return DOWN


def came_back():
    """True once after the cache failed: what changed meanwhile went unrecorded."""
    if health.was_down:
        health.was_down = False
        return True
    return False
