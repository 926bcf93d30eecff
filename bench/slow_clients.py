"""Issue 13, finding 1: connections that send a request line and never finish their headers,
against gunicorn alone and through Varnish.

    python bench/slow_clients.py --edge --throughput 3    # sync, gthread and asgi workers
    python bench/slow_clients.py --workers sync --slow 50

For each kind of worker, gunicorn serves the site with newsroom/gunicorn.conf.py (as `make
serve` does; 2 x cores + 1 workers, the kind and, for gthread, --threads overridden) on a
throwaway SQLite database with the seed article and a throwaway redis-server for the page
cache. The article is read once (so it is cached), then --slow connections are opened and
held, each having sent `GET / HTTP/1.1`, a Host header and half of another; then /healthz and
the article are requested a few times, each with a 10 s limit. With --edge the same is done
through Varnish (bench/varnish.py) in front of the shipped sync workers. With --throughput N,
wrk (-t2 -c16, 5 s) first measures the cached article from each kind, N rounds taking turns,
with no slow connection.
Prints the slowest answer of each and the number that got none. Everything is on 127.0.0.1;
the connections are closed at the end.
"""

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import faults  # noqa: E402
from bench.varnish import Varnish  # noqa: E402

SLOW_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def hold(port, count):
    """`count` connections to `port`, each stopped half-way through its headers."""
    held = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(SLOW_REQUEST)
        held.append(connection)
    return held


def timed_get(url, limit=10):
    """(seconds, status) of one GET; status None when nothing answered within `limit`."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=limit) as response:
            response.read()
            return time.monotonic() - started, response.status
    except urllib.error.HTTPError as error:
        return time.monotonic() - started, error.code
    except OSError:
        return time.monotonic() - started, None


def probe(base, article_path, slow_port, slow, tries=3):
    """{path: [(seconds, status)]} while `slow` connections to `slow_port` are held."""
    timed_get(base + article_path)  # kept by the page cache (and Varnish)
    held = hold(slow_port, slow)
    try:
        time.sleep(0.5)  # let every worker pick a held connection up
        return {
            path: [timed_get(base + path) for _ in range(tries)]
            for path in ("/healthz", article_path)
        }
    finally:
        for connection in held:
            connection.close()


def throughput(url, seconds=5):
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    return float(next(line for line in output.splitlines() if "Requests/sec" in line).split()[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", nargs="+", default=["sync", "gthread", "asgi"],
                        choices=["sync", "gthread", "asgi"])  # fmt: skip
    parser.add_argument("--threads", type=int, default=4, help="Threads per gthread worker.")
    parser.add_argument("--slow", type=int, default=50, help="Connections held open.")
    parser.add_argument("--edge", action="store_true", help="Also through Varnish.")
    parser.add_argument("--throughput", type=int, default=0, metavar="ROUNDS",
                        help="Rounds of wrk on the cached article, each kind first.")  # fmt: skip
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="newsroom-slow-")
    redis = faults.Redis()
    redis.start()
    try:
        run(args, workdir, redis)
    finally:
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir, redis):
    database = f"sqlite:///{workdir}/db.sqlite3"
    sites = {kind: faults.Site(database, redis.url, workdir) for kind in args.workers}
    first = next(iter(sites.values()))
    first.prepare()
    slug = first.manage("shell", "-c", "from articles.models import Article; "
                        "print(Article.objects.published().first().slug)"
                        ).stdout.split()[-1]  # fmt: skip
    article_path = f"/articles/{slug}/"
    results, rates = {}, {kind: [] for kind in sites}
    try:
        for kind, server in sites.items():
            options = ["--worker-class", kind]
            if kind == "gthread":
                options += ["--threads", str(args.threads)]
            app = "newsroom.asgi" if kind == "asgi" else "newsroom.wsgi"
            server.start(shipped=True, app=app, options=options)
            timed_get(server.base + article_path)
        for n in range(args.throughput):
            kinds = list(sites)
            for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
                rates[kind].append(throughput(sites[kind].base + article_path))
        for kind, server in sites.items():
            results[f"gunicorn, {kind} workers"] = probe(
                server.base, article_path, server.port, args.slow
            )
    finally:
        for server in sites.values():
            server.stop()
    if args.edge:
        server = first
        varnish = Varnish(server.port)
        server.start(shipped=True)
        varnish.start()
        try:
            results["Varnish in front of gunicorn, sync workers"] = probe(
                varnish.url, article_path, varnish.port, args.slow
            )
        finally:
            varnish.stop()
            server.stop()
    print(f"{args.slow} connections held half-way through their headers:")
    for name, answers in results.items():
        parts = []
        for path, timings in answers.items():
            unanswered = sum(status is None for _, status in timings)
            slowest = max(seconds for seconds, _ in timings)
            statuses = "/".join(sorted({str(status) for _, status in timings}))
            parts.append(f"{path.split('/')[1] or path}: slowest {slowest:.2f} s, "
                         f"{unanswered}/{len(timings)} unanswered, status {statuses}")  # fmt: skip
        print(f"  {name}: " + "; ".join(parts))
    for kind, measured in rates.items():
        if measured:
            each = ", ".join(f"{rate:,.0f}" for rate in measured)
            print(f"Cached article, no slow connections, {kind} workers: median "
                  f"{statistics.median(measured):,.0f} requests/s (rounds: {each})")  # fmt: skip


if __name__ == "__main__":
    main()
