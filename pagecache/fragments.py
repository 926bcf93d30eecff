"""
Fragments: values many pages share (the section navigation) or a page needs beside its own rows
(an article's related articles), kept until the content changes.
"""

import hashlib

from django.conf import settings

from . import store
from .generations import current_generation

FRAGMENT_PREFIX = "pagecache:fragment:"
FRAGMENT_SECONDS = 24 * 3600


def enabled():
    return settings.NEWSROOM_PAGE_CACHE_SECONDS > 0


def _key(name):
    """The cache key of fragment `name` under the current generation; None when fragments
    are off or the cache is down."""
    generation = current_generation() if enabled() else None
    if generation is None:
        return None
    return f"{FRAGMENT_PREFIX}{generation}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"


def _get(key):
    value = None if key is None else store.call("get", key)
    return None if value is store.DOWN else value


def _set(key, value):
    if key is not None:
        store.call("set", key, value, FRAGMENT_SECONDS)


def recall(name):
    """What `keep(name, value)` stored under the current generation, or None."""
    return _get(_key(name))


def keep(name, value):
    """Store `value` until the content changes."""
    _set(_key(name), value)


def remember(name, compute):
    """`compute()`, kept in the cache until the content changes. The value is stored under the
    generation it was computed in."""
    key = _key(name)
    value = _get(key)
    if value is None:
        value = compute()
        _set(key, value)
    return value
