"""
Surrogate keys: what a page shows, and when each of those things last changed.

A page names what it shows as keys ("article-42", "list-section-3", "nav"). Each key has a
marker in the shared cache: the value of a shared counter (the clock) when it last changed.
A page or fragment remembers the clock as it was before it read anything from the database;
it may be served while every one of its keys has a marker no later than that. A change moves
the clock on and stamps its keys, so exactly the pages showing what changed are retired, and
no key has to be searched for or deleted.

A missing marker counts as a change (it is set again on the next render), so a cache that
evicts or loses entries never makes a page look newer than it is. Pages are also compared
with the epoch, set when the cache comes back after failing: changes made while it was away
went unrecorded.

Serving a stored page checks its keys' markers and the epoch as this process holds them
(`still_current`): Redis tells every process of each change to them (tracking.py), so while
nothing a page shows changes, serving it asks Redis nothing. Each write of markers or of the
epoch is followed by one more request (`_delivered`), answered only once Redis has sent every
process word of the write: a page served anywhere after `stamp()` returns is checked against
the new markers.
"""

import time

from . import store, tracking

CLOCK_KEY = "pagecache:clock"
EPOCH_KEY = "pagecache:epoch"
MARKER_PREFIX = "pagecache:key:"
FRAGMENT_PREFIX = "pagecache:fragment:"


def marker(key):
    return MARKER_PREFIX + key


def _start_value():
    # After the cache lost the clock, start above any value it can have had (the clock moves
    # by one per change, far fewer than a million a second).
    return time.time_ns() // 1000


def _incr_clock():
    store.call("add", CLOCK_KEY, _start_value(), None)
    return store.call("incr", CLOCK_KEY)


# The markers, the epoch, the clock and the fragments (fragments.py), as this process holds
# them while Redis tracks them: a render whose fragments nothing changed asks Redis nothing.
# (The clock moves with every change anywhere; each process reads it again once after each.)
tracked = tracking.Tracked(MARKER_PREFIX, EPOCH_KEY, CLOCK_KEY, FRAGMENT_PREFIX)


def _delivered():
    """Redis sends the word of a write to the processes tracking it in the same pass of its
    event loop as its answer to the write, before it reads another request: by its answer to
    this one, every process has the word waiting on its connection."""
    store.call("has_key", CLOCK_KEY)


def _new_epoch():
    """Retire everything stored so far: the epoch becomes a tick of the clock, so that every
    later change stamps a later value."""
    epoch = _incr_clock()
    if epoch is not store.DOWN:
        store.call("set", EPOCH_KEY, epoch, None)
        _delivered()
    return epoch


def stamp(keys):
    """`keys` changed now: pages that show any of them and began before now are retired."""
    keys = sorted(set(keys))
    if not keys:
        return
    value = _incr_clock()
    if value is store.DOWN:
        return
    store.call("set_many", {marker(key): value for key in keys}, None)
    _delivered()


def fetch(keys):
    """{cache key: value} for the clock, the epoch and the markers of `keys`, as this process
    holds them (at most one round trip, for those it does not); store.DOWN when the cache is
    failing."""
    wanted = [CLOCK_KEY, EPOCH_KEY, *(marker(key) for key in keys)]
    known = tracked.get_many(wanted)
    if known is store.DOWN:
        return known
    if store.came_back() or EPOCH_KEY not in known or CLOCK_KEY not in known:
        # The cache failed or lost its entries: whatever was stored before may be stale.
        epoch = _new_epoch()
        if epoch is store.DOWN:
            return epoch
        known = {**known, EPOCH_KEY: epoch, CLOCK_KEY: epoch}
    return known


def still_current(keys, started, verified=None):
    """(whether a page that began at clock `started` and shows `keys` is current, a token for
    `verified` next time). The epoch and the markers are read as this process holds them (no
    round trip while none changed); while the token stays what it was when the page was last
    found current, nothing tracked changed since, and the page is current without a look at
    each of its keys."""
    if store.came_back() and _new_epoch() is store.DOWN:
        return False, None
    token = tracked.token()
    if token is not None and token == verified:
        return True, token
    known = tracked.get_many([EPOCH_KEY, *(marker(key) for key in keys)])
    if known is store.DOWN:
        return False, None
    return current(keys, started, known), token


def now(known):
    """The clock in `known` (from fetch()): what a render starting now remembers."""
    return known[CLOCK_KEY]


def current(keys, started, known):
    """Whether a page or fragment that began at clock `started` and shows `keys` is current."""
    epoch = known.get(EPOCH_KEY)
    if epoch is None or started < epoch:
        return False
    for key in keys:
        stamped = known.get(marker(key))
        if stamped is None or stamped > started:
            return False
    return True


def settle(keys, started):
    """After a render that began at `started`: give keys without a marker one (no change known
    since `started`) and say whether the render is still current, i.e. nothing it shows changed
    while it ran. False when the cache is failing."""
    known = fetch(keys)
    if known is store.DOWN:
        return False
    missing = {marker(key): started for key in keys if marker(key) not in known}
    for name, value in missing.items():
        store.call("add", name, value, None)
    if missing:
        known = store.call("get_many", [CLOCK_KEY, EPOCH_KEY, *(marker(key) for key in keys)])
        if known is store.DOWN or EPOCH_KEY not in known:
            return False
    return current(keys, started, known)
