"""
Values of the shared cache that each process holds in its own memory, kept right by Redis: the
markers of surrogate keys and the epoch (keys.py), which every page served from the cache is
checked against. While none of them changes, serving a stored page asks Redis nothing.

This is Redis's server-assisted client-side caching (CLIENT TRACKING, Redis 6 and later), in
broadcast mode: each process opens one connection of its own on which Redis tracks every key
under the watched prefixes and sends the names of those that change (or are evicted, expire or
are flushed) as messages on its `__redis__:invalidate` channel, the connection being redirected
to itself and subscribed to that channel. (That is the RESP2 form, which redis-py reads with its
public calls; redis-py's own client-side cache needs Redis 7.4, and Debian 12 ships 7.0.)

Before a held value is used, the messages waiting on that connection are read: a poll of the
socket, not a round trip. A held value is never staler than Redis as this process can know it:

- A value read from Redis is kept only if no message about it arrived while it was being read,
  and reads of held values happen under the same lock as the reading of messages.
- Whoever changes a watched key follows the write with one more request (keys.py); Redis
  answers it only after writing the messages about the write to every tracking connection, in
  the pass of its event loop that answers the write. So a request that starts after a change
  was made, in any process on this host, finds its message waiting.
- A connection that fails or closes (Redis restarted, a network error) drops everything held,
  and values are read from Redis again, one round trip per request, until a new connection is
  tracking (tried again after RETRY_SECONDS).
- A connection that dies without a word (a network partition) cannot be seen by reading it, so
  a held value is used only while the connection answered a PING within CHECK_SECONDS; past
  that, the next use sends one and reads everything before its answer first. That bounds how
  long a silently lost message can matter.

The values held are bounded: at most NEWSROOM_PAGE_CACHE_TRACKED_KEYS (0 turns tracking off),
the least recently used dropped first (a dropped value is read again when next needed).
"""

import itertools
import logging
import os
import threading
import time
from collections import OrderedDict

import redis
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.signals import setting_changed

from . import store

logger = logging.getLogger("pagecache")

CHANNEL = "__redis__:invalidate"
REDIS_BACKENDS = ("django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache")
RETRY_SECONDS = 5
CHECK_SECONDS = 1.0

_ABSENT = object()  # held: Redis has no such key
_MISSING = object()  # not held
_serials = itertools.count(1)


class Tracker:
    """One process's tracking connection and the values it holds, by cache key."""

    def __init__(self, connection, prefix, capacity, check_seconds):
        self.connection = connection  # a redis-py Connection speaking RESP2
        self.prefix = prefix  # what the cache puts before its keys ("newsroom:1:")
        self.capacity = capacity
        self.check_seconds = check_seconds
        self.values = OrderedDict()
        self.lock = threading.Lock()
        self.checked = time.monotonic()
        self.pid = os.getpid()
        self.serial = next(_serials)
        self.changes = 0  # messages read so far

    def start(self, watched):
        """Turn tracking on for keys starting with each of `watched` (cache keys)."""
        own_id = self._ask("CLIENT", "ID")
        prefixes = [part for name in watched for part in ("PREFIX", self.prefix + name)]
        answer = self._ask("CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", *prefixes)
        if answer not in (b"OK", "OK"):
            raise redis.RedisError(f"CLIENT TRACKING answered {answer!r}")
        self._ask("SUBSCRIBE", CHANNEL)
        self.checked = time.monotonic()

    def _ask(self, *command):
        self.connection.send_command(*command)
        return self.connection.read_response()

    def token(self):
        """Something equal to what it was last time while no watched key changed since."""
        with self.lock:
            self._catch_up()
            return (self.serial, self.changes)

    def get_many(self, names, read):
        """{name: value} of `names` found, from what this process holds; those it does not hold
        are read with `read(missing)` (a cache.get_many) and held from then on."""
        with self.lock:
            self._catch_up()
            found, missing = {}, []
            for name in names:
                value = self.values.get(name, _MISSING)
                if value is _MISSING:
                    missing.append(name)
                    continue
                self.values.move_to_end(name)
                if value is not _ABSENT:
                    found[name] = value
            if not missing:
                return found
            fresh = read(missing)
            if fresh is store.DOWN:
                return fresh
            changed = self._catch_up()  # what changed while it was being read is not kept
            for name in missing:
                value = fresh.get(name, _ABSENT)
                if value is not _ABSENT:
                    found[name] = value
                if changed is not None and name not in changed:
                    self.values[name] = value
            while len(self.values) > self.capacity:
                self.values.popitem(last=False)
            return found

    def _catch_up(self):
        """Read the messages waiting on the connection and drop what they name. Returns the
        names dropped, or None when everything was (a flush). Raises redis-py's errors."""
        changed = set()
        if time.monotonic() - self.checked > self.check_seconds:
            sent = time.monotonic()
            self.connection.send_command("PING")
            while (message := self.connection.read_response())[0] != b"pong":
                changed = self._apply(message, changed)
            self.checked = sent
        while self.connection.can_read(timeout=0):
            changed = self._apply(self.connection.read_response(), changed)
        return changed

    def _apply(self, message, changed):
        kind, _, names = message
        if kind != b"message":
            return changed
        self.changes += 1
        if names is None:  # FLUSHDB, FLUSHALL
            self.values.clear()
            return None
        for name in names:
            name = name.decode()
            if name.startswith(self.prefix):
                name = name.removeprefix(self.prefix)
                self.values.pop(name, None)
                if changed is not None:
                    changed.add(name)
        return changed

    def close(self):
        with self.lock:
            self.values.clear()
            if self.pid == os.getpid():  # never the parent's socket, after a fork
                self.connection.disconnect()


class Tracked:
    """Cache keys starting with any of `watched`, held by each process while Redis tracks them;
    without a Redis cache (or while tracking cannot start) every read goes to the cache."""

    def __init__(self, *watched):
        self.watched = watched
        self.tracker = None
        self.retry_at = 0.0
        self.lock = threading.Lock()
        setting_changed.connect(self._settings_changed, weak=False)

    def get_many(self, names):
        """cache.get_many(names), or store.DOWN when the cache is failing."""
        tracker = self._tracker()
        if tracker is None:
            return store.call("get_many", names)
        try:
            return tracker.get_many(names, lambda missing: store.call("get_many", missing))
        except (redis.RedisError, OSError, ValueError):
            self._drop(tracker, "lost its connection")
            return store.call("get_many", names)

    def token(self):
        """A token that stays equal while none of the watched keys changes in Redis, for whoever
        checked something against them to know it need not check again; None when not
        tracking (then check every time)."""
        tracker = self._tracker()
        if tracker is None:
            return None
        try:
            return tracker.token()
        except (redis.RedisError, OSError, ValueError):
            self._drop(tracker, "lost its connection")
            return None

    def held(self):
        """How many values this process holds (for tests and the benchmark)."""
        tracker = self.tracker
        return 0 if tracker is None else len(tracker.values)

    def _tracker(self):
        tracker = self.tracker
        if tracker is not None and tracker.pid == os.getpid():
            return tracker
        if tracker is not None:  # inherited from the parent process: not ours to use
            self.tracker = None
        if time.monotonic() < self.retry_at or not settings.NEWSROOM_PAGE_CACHE_TRACKED_KEYS:
            return None
        with self.lock:
            if self.tracker is None:
                self.tracker = self._start()
            return self.tracker

    def _start(self):
        config = settings.CACHES[DEFAULT_CACHE_ALIAS]
        prefix = cache.make_key("")
        if config["BACKEND"] not in REDIS_BACKENDS or cache.make_key("x") != prefix + "x":
            self.retry_at = float("inf")  # no Redis, or keys it cannot map: nothing to track
            return None
        location = config["LOCATION"]
        location = location if isinstance(location, str) else location[0]
        options = config.get("OPTIONS", {})
        pool = redis.ConnectionPool.from_url(
            location.split(",")[0],
            protocol=2,  # invalidations arrive as Pub/Sub messages (see the docstring)
            socket_timeout=options.get("SOCKET_TIMEOUT", 0.5),
            socket_connect_timeout=options.get("SOCKET_CONNECT_TIMEOUT", 0.5),
        )
        tracker = Tracker(
            pool.make_connection(),
            str(prefix),
            settings.NEWSROOM_PAGE_CACHE_TRACKED_KEYS,
            CHECK_SECONDS,
        )
        try:
            tracker.start(self.watched)
        except (redis.RedisError, OSError) as error:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            logger.warning("Redis is not tracking the page cache's keys, so every page served "
                           "from the cache asks Redis: %s", error)  # fmt: skip
            tracker.close()
            return None
        return tracker

    def _drop(self, tracker, why):
        logger.warning("The page cache's tracking connection %s; what this process held is "
                       "dropped and read from Redis again", why)  # fmt: skip
        with self.lock:
            if self.tracker is tracker:
                self.tracker = None
                self.retry_at = time.monotonic() + RETRY_SECONDS
        tracker.close()

    def reset(self):
        """Forget the connection and everything held (another cache, or for tests)."""
        with self.lock:
            tracker, self.tracker, self.retry_at = self.tracker, None, 0.0
        if tracker is not None:
            tracker.close()

    def _settings_changed(self, setting, **kwargs):
        if setting in ("CACHES", "NEWSROOM_PAGE_CACHE_TRACKED_KEYS"):
            self.reset()
