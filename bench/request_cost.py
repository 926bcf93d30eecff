"""
What one request costs inside Django, with no HTTP server and no load generator: each page is
called through Django's WSGI handler in this process, as gunicorn would call it, and timed.
Then each page is run under cProfile and its time split into what it went to.

Run it against a database filled as bench/serve_load.py fills one (that script keeps its
databases), with the settings `make serve` uses and a Redis for the page cache:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_100000_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 DJANGO_SECRET_KEY=x DJANGO_DEBUG=0 \\
    DJANGO_SECURE_SSL_REDIRECT=0 python bench/request_cost.py

Pages: a static file (whitenoise), robots.txt (Django with no cache), the seed article from
the page cache (the same bytes for every reader: no cookie is read or set), sent again by
pagecache/replay.py before Django and, with an If-Modified-Since from the distant past that the
replay layer leaves to Django, served by PageCacheMiddleware, and rendered afresh (the cookie of
a reader with comments of their own): the seed article, the home page, a section, the busiest
tag, an author, a search, the RSS and Atom feeds, and a section's, a tag's and the corrections'
feeds. `--only article home` picks pages by the start of their names (`--only RSS Atom feeds`
every feed); `--top 30` prints each profile's functions with the most time of their own.

The figures are microseconds per request of this process's time and of its CPU time, which a
shared machine's load sways less (PostgreSQL's and Redis's work is not in it), with the load
average. A server spends more per request on HTTP, which is why bench/serve_load.py gives the
ratios that count.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# As `make serve`: a worker keeps its database connection rather than opening one per request.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Author  # noqa: E402
from comments.cookie import COOKIE_NAME  # noqa: E402
from newsroom.demo import seed_article  # noqa: E402
from pagecache.replay import PageCacheApplication  # noqa: E402

# Where a profiled request's time goes: (label, functions whose cumulative time it is).
# Indented entries are parts of the one above; a query a template starts counts in both.
SHARES = (
    ("Queries: building, running, reading rows", ("django/db/models/query.py", "_fetch_all")),
    ("  of which waiting for PostgreSQL", ("psycopg/connection.py", "wait")),
    (
        "Templates (with the queries they start)",
        ("django/template/response.py", "rendered_content"),
    ),
    ("  of which forms (comment, newsletter)", ("django/forms/utils.py", "render")),
    ("  of which {% url %} and get_absolute_url", ("django/urls/base.py", "reverse")),
    ("Page cache: the shared cache (Redis)", ("pagecache/store.py", "call")),
    ("Page cache: the surrogate keys' markers", ("pagecache/keys.py", "fetch")),
)


def environ(path, cookie=""):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


# A cookie that changes nothing but the address the replay layer files the page under, so that
# the request goes through Django's handling to PageCacheMiddleware, as before the layer.
THROUGH = "through=django"


def call(handler, path, cookie):
    started = []
    request = environ(path, "" if cookie == THROUGH else cookie)
    if cookie == THROUGH:
        request["HTTP_IF_MODIFIED_SINCE"] = "Thu, 01 Jan 1970 00:00:00 GMT"  # not replayed
    body = handler(request, lambda status, headers, exc=None: started.append(status))
    content = b"".join(body)
    if hasattr(body, "close"):  # WSGI: an iterable with close(); a replayed page is a list
        body.close()
    if not started[0].startswith("200"):
        sys.exit(f"{path} answered {started[0]}")
    return content


def pages():
    seed = seed_article()
    if seed is None:
        sys.exit("No published article: fill the database first (see the docstring).")
    static = staticfiles_storage.url("css/site.css").removeprefix("/")
    section = seed.section
    tag = Tag.objects.filter(name="Energy").first()
    author = Author.objects.filter(slug__startswith="demo-writer").first() or Author.objects.first()
    fresh = f"{COOKIE_NAME}=bench"
    return {
        "static file (whitenoise)": (f"/{static}", ""),
        "robots.txt (Django, no cache)": ("/robots.txt", ""),
        "article, cached, sent again before Django": (seed.get_absolute_url(), ""),
        "article, cached, through Django's middleware": (seed.get_absolute_url(), THROUGH),
        "article, rendered afresh": (seed.get_absolute_url(), fresh),
        "home, rendered afresh": ("/", fresh),
        "section, rendered afresh": (section.get_absolute_url(), fresh),
        "tag, rendered afresh": (f"/tags/{tag.slug}/", fresh),
        "author, rendered afresh": (author.get_absolute_url(), fresh),
        "search, rendered afresh": ("/search/?q=energy+talks", fresh),
        "RSS feed, rendered afresh": ("/feeds/rss/", fresh),
        "Atom feed, rendered afresh": ("/feeds/atom/", fresh),
        "feeds: a section (RSS), rendered afresh": (f"/feeds/sections/{section.slug}/rss/", fresh),
        "feeds: a tag (Atom), rendered afresh": (f"/feeds/tags/{tag.slug}/atom/", fresh),
        "feeds: corrections (RSS), rendered afresh": ("/corrections/feed/", fresh),
    }


def make_handler():
    """Django's WSGI handler behind the replay layer, as gunicorn runs newsroom.wsgi.application
    (with 127.0.0.1 among the hosts the requests name)."""
    settings.ALLOWED_HOSTS.append("127.0.0.1")
    return PageCacheApplication(WSGIHandler())


def profiled(handler, path, cookie, requests):
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        call(handler, path, cookie)
    profile.disable()
    return pstats.Stats(profile)


def profile_shares(stats):
    stats = stats.stats
    total = max(cumulative for (_, _, _, cumulative, _) in stats.values())
    shares = []
    for label, (file_end, function) in SHARES:
        spent = sum(
            entry[3]
            for (filename, _, name), entry in stats.items()
            if filename.endswith(file_end) and name == function
        )
        if spent:
            shares.append((label, spent / total))
    return shares


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per round.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--only", nargs="*", help="Only the pages whose names start so (e.g. article home)."
    )
    parser.add_argument(
        "--top", type=int, default=0, help="Print this many functions of each profile."
    )
    args = parser.parse_args()
    if settings.DEBUG:
        sys.exit("Set DJANGO_DEBUG=0: the figures are for the production settings.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the page cache is off without it.")
    handler = make_handler()
    chosen = {
        name: page
        for name, page in pages().items()
        if not args.only or name.startswith(("static", *args.only))
    }
    for path, cookie in chosen.values():  # warm up: templates, connections, the page cache
        for _ in range(20):
            call(handler, path, cookie)
    timings = {name: [] for name in chosen}
    cpu = {name: [] for name in chosen}
    for _ in range(args.rounds):
        for name, (path, cookie) in chosen.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                call(handler, path, cookie)
            timings[name].append((time.perf_counter() - started) / args.requests * 1e6)
            cpu[name].append((time.process_time() - cpu_started) / args.requests * 1e6)
    print(f"Median of {args.rounds} rounds of {args.requests} requests, µs per request")
    print(f"(load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}):\n")
    print("| Page | µs per request | × static | CPU µs of this process |")
    print("| --- | ---: | ---: | ---: |")
    static = statistics.median(next(iter(timings.values())))
    for name, values in timings.items():
        median = statistics.median(values)
        print(
            f"| {name} | {median:,.0f} | {median / static:.1f} "
            f"| {statistics.median(cpu[name]):,.0f} |"
        )
    for name, (path, cookie) in chosen.items():
        if name.startswith(("static", "robots")):
            continue
        stats = profiled(handler, path, cookie, max(20, args.requests // 10))
        print(f"\n{name}: share of the profiled time")
        for label, share in profile_shares(stats):
            print(f"  {share:6.1%}  {label}")
        if args.top:
            print(f"\n{name}: the {args.top} functions with the most time of their own")
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
