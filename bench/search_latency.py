"""
How long a reader waits for a search page rendered afresh, on each database given, with the
same queries: the 200 one- to three-word queries over the demo vocabulary that
bench/serve_load.py sends (newsroom.demo.search_queries), and as many again written with the
search syntax (a "phrase", -exclusion, OR, a prefix*), each query a different one so that no
count is remembered. Pages go through Django's WSGI handler in one process, as
bench/request_cost.py calls them, with the cookie of a reader who gets no cached copy.

Each database is filled as bench/serve_load.py fills one (the seed articles, then
`generate_demo --articles 100000`); the rounds take turns between the databases, so that other
work on the machine weighs on them alike:

    DJANGO_SECRET_KEY=x python bench/search_latency.py \\
        --database postgres://postgres@127.0.0.1:5432/newsroom_100000_bench \\
        --database sqlite:////var/tmp/newsroom_100000.sqlite3

Prints p50, p95 and p99 per database and per kind of query, with the load average.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def syntax_queries(words, rng):
    """One query of each syntax for each pair of words from the plain queries."""
    queries = []
    for text in words:
        first, *rest = text.split()
        second = rest[0] if rest else rng.choice(words).split()[0]
        kind = len(queries) % 4
        if kind == 0:
            queries.append(("phrase", f'"{first} {second}"'))
        elif kind == 1:
            queries.append(("exclusion", f"{first} -{second}"))
        elif kind == 2:
            queries.append(("or", f"{first} OR {second}"))
        else:
            queries.append(("prefix", f"{first[:4]}*"))
    return queries


def queries(seed, count, round_number):
    from newsroom.demo import search_queries

    # A new draw each round, so that each query is new to the process (no remembered count).
    plain = search_queries(seed=seed + 1000 * round_number, count=count)
    rng = random.Random(round_number)  # noqa: S311 (a benchmark's choice of words)
    return [("plain", text) for text in plain] + syntax_queries(plain, rng)


def worker(args):
    """Time the searches of one round against the configured database; print JSON."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from request_cost import call  # bench/request_cost.py

    from comments.cookie import COOKIE_NAME

    settings.ALLOWED_HOSTS.append("127.0.0.1")
    handler = WSGIHandler()
    cookie = f"{COOKIE_NAME}=bench"
    for _, text in queries(args.seed, 20, round_number=99):  # warm up: templates, connection
        call(handler, "/search/?" + urlencode({"q": text}), cookie)
    timings, cpu = {}, {}
    backend_before = backend_cpu(connection)
    for kind, text in queries(args.seed, args.queries, args.round):
        started, started_cpu = time.perf_counter(), time.process_time()
        call(handler, "/search/?" + urlencode({"q": text}), cookie)
        timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        cpu.setdefault(kind, []).append((time.process_time() - started_cpu) * 1000)
    backend = backend_cpu(connection) - backend_before
    print(json.dumps({"vendor": connection.vendor, "timings": timings, "cpu": cpu,
                      "backend_cpu": backend}))  # fmt: skip


def backend_cpu(connection):
    """Seconds of CPU the PostgreSQL process serving this connection has used (0 elsewhere):
    on a shared machine, what the search cost rather than how long it waited for a core."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", required=True, help="A DATABASE_URL.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200, help="Plain queries a round.")
    parser.add_argument("--seed", type=int, default=1, help="The demo's seed.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    environment = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECURE_SSL_REDIRECT="0",
                       DJANGO_CONN_MAX_AGE="600")  # fmt: skip
    environment.setdefault("DJANGO_SECRET_KEY", "bench")
    # The pages link fingerprinted static files, as under `make serve`.
    subprocess.run(  # noqa: S603 (manage.py of this checkout)
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=dict(environment, DATABASE_URL=args.database[0]), check=True,
    )  # fmt: skip
    results = {url: {} for url in args.database}
    cpu = {url: {"process": [], "backend": 0.0} for url in args.database}
    vendors = {}
    loads = [os.getloadavg()]
    for round_number in range(args.rounds):
        order = args.database if round_number % 2 == 0 else args.database[::-1]
        for url in order:
            output = subprocess.run(  # noqa: S603 (this script, with its own arguments)
                [sys.executable, __file__, "--worker", "--database", url,
                 "--round", str(round_number), "--queries", str(args.queries),
                 "--seed", str(args.seed)],
                env=dict(environment, DATABASE_URL=url), capture_output=True, text=True,
            )  # fmt: skip
            if output.returncode:
                sys.exit(f"The searches on {url} failed:\n{output.stderr}{output.stdout}")
            found = json.loads(output.stdout.strip().splitlines()[-1])
            vendors[url] = found["vendor"]
            for kind, values in found["timings"].items():
                results[url].setdefault(kind, []).extend(values)
            cpu[url]["process"].extend(v for values in found["cpu"].values() for v in values)
            cpu[url]["backend"] += found["backend_cpu"]
        loads.append(os.getloadavg())
    print(f"{args.rounds} rounds, {args.queries * 2} new queries a round on each database")
    print("load average (1 min) over the rounds: " + ", ".join(f"{load[0]:.1f}" for load in loads))
    print("\n| Database | Queries | Searches | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for url, result in results.items():
        vendor = vendors[url]
        everything = [value for values in result.values() for value in values]
        for kind, values in [("all", everything), *sorted(result.items())]:
            print(
                f"| {vendor} | {kind} | {len(values)} | {statistics.median(values):.1f} | "
                f"{percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} | "
                f"{max(values):.1f} |"
            )
    print("\nCPU time per search (this process, and PostgreSQL's for it), whatever the load:")
    print("\n| Database | mean ms | p50 ms | p95 ms | of which PostgreSQL, mean ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for url, spent in cpu.items():
        process, count = spent["process"], len(spent["process"])
        backend = spent["backend"] * 1000 / count
        total = [value + backend for value in process]  # the database's share, on average
        print(
            f"| {vendors[url]} | {statistics.mean(total):.1f} | "
            f"{statistics.median(total):.1f} | {percentile(total, 0.95):.1f} | {backend:.1f} |"
        )


if __name__ == "__main__":
    main()

