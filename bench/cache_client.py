"""
What one page-cache lookup costs with each Redis cache client, and what a new reader's CSRF
token costs: the two things every page served from the cache pays for.

    REDIS_URL=redis://127.0.0.1:6379/9 DJANGO_SECRET_KEY=x python bench/cache_client.py

Each client asks for the keys a lookup reads (one GET of several keys, as pagecache does: the
clock, the epoch and the markers of a page's surrogate keys), many times over, in rounds; the
figures are medians over the rounds. (Since issue 17 no cached page carries a CSRF token; the
token's cost is that of a page made for one reader.)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.cache.backends.redis import RedisCache  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django_redis.cache import RedisCache as DjangoRedisCache  # noqa: E402

KEYS = ["pagecache:clock", "pagecache:epoch", "pagecache:key:article-1", "pagecache:key:nav"]


def per_call(function, calls, rounds):
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        timings.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    location = os.environ.get("REDIS_URL") or sys.exit("Set REDIS_URL (a database to scribble in).")
    clients = {
        "Django's RedisCache": RedisCache(location, {"KEY_PREFIX": "bench"}),
        "django-redis": DjangoRedisCache(location, {"KEY_PREFIX": "bench", "OPTIONS": {}}),
    }
    for client in clients.values():
        client.set_many(dict.fromkeys(KEYS, "value"))
    print("| Cache client | µs per lookup |")
    print("| --- | ---: |")
    for name, client in clients.items():
        cost = per_call(lambda client=client: client.get_many(KEYS), args.calls, args.rounds)
        print(f"| {name} | {cost:,.0f} |")
    factory = RequestFactory()
    with_token = per_call(lambda: get_token(factory.get("/")), args.calls, args.rounds)
    without = per_call(lambda: factory.get("/"), args.calls, args.rounds)
    print(f"\nget_token() for a reader without a CSRF cookie: {with_token - without:,.0f} µs")


if __name__ == "__main__":
    main()
