"""
Fragments: values many pages share (the section navigation) or a page needs beside its own rows
(an article's related articles, an archive's count), kept until one of the keys they depend on
changes, like pages (keys.py), or until a scheduled change touching those keys comes due
(schedule.py). A page that uses a fragment shows its keys too.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from . import keys, schedule, store
from .pages import enabled, rendering_started, shows

FRAGMENT_SECONDS = 24 * 3600
BOUNDED_SIZE = 1000


@dataclass(frozen=True)
class Fragment:
    value: object
    keys: frozenset
    started: int
    expires: float


def _name(name):
    return f"{keys.FRAGMENT_PREFIX}{hashlib.sha256(name.encode()).hexdigest()[:32]}"


class Bounded:
    """Fragments any reader can make any number of (a search's count), kept in this process
    alone, at most `size` of them, so that they never push pages out of the shared cache."""

    def __init__(self, size):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, name):
        with self.lock:
            fragment = self.items.get(name)
            if fragment is not None:
                self.items.move_to_end(name)
            return fragment

    def set(self, name, fragment):
        with self.lock:
            self.items[name] = fragment
            self.items.move_to_end(name)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


bounded = Bounded(BOUNDED_SIZE)


def _load(name, local=False):
    """(the stored fragment if current, the clock now) or (None, None) when off or down."""
    if not enabled():
        return None, None
    if local:
        fragment = bounded.get(name)
    else:
        # Held by this process while Redis tracks it (keys.tracked): no round trip while the
        # fragment and its keys' markers stay as they were.
        stored = _name(name)
        found = keys.tracked.get_many([stored])
        if found is store.DOWN:
            return None, None
        fragment = found.get(stored)
    if fragment is not None and fragment.expires <= time.time():
        fragment = None
    known = keys.fetch(fragment.keys if fragment else ())
    if known is store.DOWN:
        return None, None
    if fragment is not None and not keys.current(fragment.keys, fragment.started, known):
        fragment = None
    return fragment, keys.now(known)


def _store(name, value, depends, started, expires, local=False):
    if started is None or not keys.settle(depends, started):
        return
    seconds = int(min(FRAGMENT_SECONDS, expires - time.time()))
    if seconds > 0:
        fragment = Fragment(value, frozenset(depends), started, min(expires, time.time() + seconds))
        if local:
            bounded.set(name, fragment)
        else:
            store.call("set", _name(name), fragment, seconds)


def recall(name):
    """What `keep(name, value, keys=…)` stored, while none of its keys changed; or None."""
    fragment, _ = _load(name)
    if fragment is None:
        return None
    shows(*fragment.keys)
    return fragment.value


def keep(name, value, *, keys=()):
    """Store `value`, read while rendering a reader page, until any of `keys` changes. (The
    page's own start on the clock dates it; outside a reader page's render nothing is kept.)"""
    shows(*keys)
    if enabled():
        due = schedule.next_scheduled(keys, time.time())
        _store(name, value, keys, rendering_started(), due)


def remember(name, compute, *, keys=(), expires=None, local=False):
    """`compute()`, kept until any of `keys` changes (or until `expires(value)`, a timestamp,
    when given). The pages using it show its keys. `local=True` keeps it in this process's
    bounded store instead of the shared cache (for names readers choose)."""

    def until(value):
        # An article going live joins archives and related lists with no write to announce it.
        due = schedule.next_scheduled(keys, time.time())
        return min(expires(value), due) if expires else due

    value = remember_quietly(name, compute, keys=keys, expires=until, local=local)
    shows(*keys)
    return value


def remember_quietly(name, compute, *, keys=(), expires=None, local=False):
    """remember() for the cache's own use: the page being rendered does not show its keys."""
    fragment, started = _load(name, local)
    if fragment is not None:
        return fragment.value
    value = compute()
    _store(name, value, keys, started, expires(value) if expires else float("inf"), local)
    return value
