"""
Rate limits and client identity for public forms (comments, newsletter signups).

Counts live in Django's cache, so several app servers share them when Redis is the cache.
"""

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the Nth address from the right of X-Forwarded-For
    when NEWSROOM_PROXY_COUNT says how many proxies of ours stand in front of the app."""
    hops = settings.NEWSROOM_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def hash_ip(ip):
    """A salted, keyed hash of an address: lets us match repeat visitors without storing the IP."""
    key = f"{settings.SECRET_KEY}:client-ip".encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `period` seconds for each key, in fixed windows."""

    name: str
    limit: int
    period: int

    @classmethod
    def from_settings(cls, name, prefix):
        """At most settings.<prefix>_RATE_LIMIT hits per <prefix>_RATE_PERIOD seconds, as the
        settings say now."""
        limit = getattr(settings, f"{prefix}_RATE_LIMIT")
        return cls(name, limit, getattr(settings, f"{prefix}_RATE_PERIOD"))

    def cache_key(self, key, now=None):
        window = int((now or time.time()) // self.period)
        digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{window}:{digest}"

    def hit(self, key, now=None):
        """Count one hit for `key`; False when the limit is exceeded.

        When the cache cannot be reached the hit is allowed: readers must not be locked out
        because Redis is down, and the other defences still run.
        """
        cache_key = self.cache_key(key, now)
        try:
            if cache.add(cache_key, 1, timeout=self.period + 1):
                return True
            return cache.incr(cache_key) <= self.limit
        except ValueError:
            # The window expired between add() and incr(): this is the first hit of a new one.
            return cache.add(cache_key, 1, timeout=self.period + 1) or True
        except Exception:  # any cache backend error
            logger.warning(
                "Rate limit %s not applied: the cache is unavailable", self.name, exc_info=True
            )
            return True

    def hit_all(self, keys, now=None):
        """Count a hit on every key (all of them, so a blocked client keeps counting)."""
        results = [self.hit(key, now) for key in keys if key]
        return all(results)
