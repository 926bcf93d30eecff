"""
Load the site as production serves it (`make serve`: gunicorn, DEBUG off, whitenoise) with wrk
from this machine, at two archive sizes, and print the tables docs/benchmarks.md reports.

Needs PostgreSQL and Redis on this machine, and wrk (Debian: `apt-get install -y wrk`).
The benchmark database is dropped and built again for each size (its name must end in
"_bench"); only Redis database 14 is emptied; every request goes to 127.0.0.1.

    python bench/serve_load.py                          # 1,000 and 100,000 articles
    python bench/serve_load.py --sizes 1000 --rounds 3 --duration 4

For each size: a fresh database with the seed article and `generate_demo` articles, `make serve`
on --port with HTTPS redirects off (DJANGO_SECURE_SSL_REDIRECT=0: plain HTTP on 127.0.0.1),
then --rounds rounds in which every page is loaded for --duration seconds, the pages taking
turns in a different order each round. A figure is the median of the rounds; "× static" is the
median of each round's ratio to the static file's figure in the same round.

Pages: a static file as large as the article page, served by whitenoise from the same gunicorn
(the ceiling); robots.txt, a tiny page through all of Django's middleware with no cache (what
any Django response costs); the seed article from the page cache and rendered afresh (a reader
with their own comments' cookie is never served the shared copy, so that cookie gives the
uncached figure); the home page, the busiest tag and a search from the cache and afresh; and
searches for 200 different one- to three-word queries, afresh, at low concurrency for their
latency.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CEILING = "bench/ceiling.html"
BYPASS_COOKIE = "newsroom_comments=bench"

LUA = """
local paths = {%(paths)s}
local n = 0
%(cookie)s
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "non2xx": %%d, "socket_errors": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def manage(env, *args, **kwargs):
    return run([str(PYTHON), "manage.py", *args], env, **kwargs)


def psql(database_url, sql):
    parts = urlsplit(database_url)
    maintenance = parts._replace(path="/postgres").geturl()
    run(["psql", maintenance, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], os.environ.copy())


def build_database(env, size, seed):
    name = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    psql(env["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{name}"')
    psql(env["DATABASE_URL"], f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(
        env, "import_article", "--publish", "--section", "World",
        "--tags", "Venezuela, United States, Energy, Diplomacy", "seeds/",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    started = time.monotonic()
    manage(env, "generate_demo", "--articles", str(size), "--seed", str(seed), "-v0")
    generated = time.monotonic() - started
    run(["psql", env["DATABASE_URL"], "-q", "-c", "VACUUM ANALYZE"], env)
    return generated


def flush_redis(redis_url):
    parts = urlsplit(redis_url)
    database = parts.path.lstrip("/") or "0"
    run(
        ["redis-cli", "-h", parts.hostname, "-p", str(parts.port or 6379), "-n", database,
         "flushdb"],
        os.environ.copy(), stdout=subprocess.DEVNULL,
    )  # fmt: skip


class Server:
    """`make serve` in its own process group, stopped by that group's id."""

    def __init__(self, env, port, log):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["make", "serve"], cwd=ROOT, env={**self.env, "PORT": str(self.port)},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/robots.txt"), timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"make serve did not answer on port {self.port}; see {self.log.name}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return response.read(), response.headers


def wrk(server, paths, *, cookie=None, duration, connections, threads, workdir):
    script = Path(workdir) / "target.lua"
    script.write_text(
        LUA
        % {
            "paths": ", ".join(json.dumps(path) for path in paths),
            "cookie": f'wrk.headers["Cookie"] = "{cookie}"' if cookie else "",
        }
    )
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(script), server.url(paths[0])],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def targets(seed_path, queries, search_concurrency):
    query = f"/search/?q={quote_plus(queries[0])}"
    searches = [f"/search/?q={quote_plus(q)}" for q in queries]
    return {
        "static file (ceiling)": ([f"/static/{CEILING}"], None, None),
        "robots.txt (Django, no cache)": (["/robots.txt"], None, None),
        "article, cached": ([seed_path], None, None),
        "article, uncached": ([seed_path], BYPASS_COOKIE, None),
        "home, cached": (["/"], None, None),
        "home, uncached": (["/"], BYPASS_COOKIE, None),
        "tag, cached": (["/tags/energy/"], None, None),
        "tag, uncached": (["/tags/energy/"], BYPASS_COOKIE, None),
        "search, cached": ([query], None, None),
        "200 searches, uncached": (searches, BYPASS_COOKIE, search_concurrency),
    }


def measure_size(args, env, size, workdir):
    figures = {"articles": size}
    log = open(Path(workdir) / f"serve-{size}.log", "w")  # noqa: SIM115 (kept open for the server)
    if not args.keep_database:
        figures["generate_seconds"] = build_database(env, size, args.seed)
    flush_redis(env["REDIS_URL"])
    queries = json.loads(
        manage(
            env, "shell", "-v0", "-c",
            "import json; from articles.demo import search_queries; "
            f"print(json.dumps(search_queries({args.seed})))",
            capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    seed_path = urlsplit(
        manage(
            env, "shell", "-v0", "-c",
            "from articles.models import Article; "
            "print(Article.objects.exclude(import_ref__startswith='demo:').get().get_absolute_url())",
            capture_output=True, text=True,
        ).stdout.strip()
    ).path  # fmt: skip
    with Server(env, args.port, log) as server:
        page, _ = server.get(seed_path)
    figures["article_bytes"] = len(page)
    ceiling = ROOT / "staticfiles" / CEILING
    ceiling.parent.mkdir(parents=True, exist_ok=True)
    ceiling.write_bytes(page)  # the same bytes, served as a file
    results = {}
    with Server(env, args.port, log) as server:
        pages = targets(seed_path, queries, args.search_connections)
        for paths, cookie, connections in pages.values():
            # Every worker loads its templates, opens its connections and fills the caches.
            wrk(
                server, paths, cookie=cookie, duration=2,
                connections=connections or args.connections, threads=args.threads,
                workdir=workdir,
            )  # fmt: skip
        for round_number in range(args.rounds):
            names = list(pages)
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                paths, cookie, connections = pages[name]
                result = wrk(
                    server, paths, cookie=cookie, duration=args.duration,
                    connections=connections or args.connections, threads=args.threads,
                    workdir=workdir,
                )  # fmt: skip
                results.setdefault(name, []).append(result)
                print(
                    f"  {size:>7,} round {round_number + 1} {name:24} {result['rps']:8.0f} req/s"
                    f"  p50 {result['p50'] / 1000:6.1f} ms  p99 {result['p99'] / 1000:6.1f} ms"
                    f"  non-2xx {result['non2xx']}",
                    flush=True,
                )
    ceiling.unlink()
    ceiling_rounds = results["static file (ceiling)"]
    figures["pages"] = {
        name: {
            **{
                key: statistics.median(r[key] for r in rounds)
                for key in ("rps", "p50", "p95", "p99", "non2xx", "socket_errors")
            },
            # Against the static file of the same round, so a busy moment elsewhere on the
            # machine lowers both sides of the ratio.
            "x_static": statistics.median(
                r["rps"] / c["rps"] for r, c in zip(rounds, ceiling_rounds, strict=True)
            ),
        }
        for name, rounds in results.items()
    }
    figures["rounds"] = results
    return figures


def report(all_figures, args):
    cores = os.cpu_count()
    print(
        f"\nMachine: {cores} cores; wrk -t{args.threads} -c{args.connections} (searches "
        f"-c{args.search_connections}), {args.rounds} rounds of {args.duration} s."
    )
    for figures in all_figures:
        pages = figures["pages"]
        print(f"\n{figures['articles']:,} articles (article page {figures['article_bytes']:,} "
              f"bytes; generated in {figures.get('generate_seconds', 0):.0f} s)\n")  # fmt: skip
        print("| Page | Requests/s | × static | p50 ms | p95 ms | p99 ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, page in pages.items():
            print(
                f"| {name} | {page['rps']:,.0f} | {page['x_static']:.2f} | "
                f"{page['p50'] / 1000:.1f} | {page['p95'] / 1000:.1f} | {page['p99'] / 1000:.1f} |"
            )
    if len(all_figures) == 2:
        small, large = all_figures
        print(f"\np50 at {large['articles']:,} ÷ p50 at {small['articles']:,} articles\n")
        print("| Page | ratio |")
        print("| --- | ---: |")
        for name in large["pages"]:
            ratio = large["pages"][name]["p50"] / small["pages"][name]["p50"]
            print(f"| {name} | {ratio:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="Article counts, comma-separated.")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=6, help="Seconds per page per round.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--search-connections", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-database", action="store_true", help="Use the database as it is (one size)."
    )
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    # Stopped from outside, still stop the server it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))

    if not urlsplit(args.database_url).path.endswith("_bench"):
        sys.exit("The benchmark drops its database: give one whose name ends in _bench.")
    for tool in ("wrk", "psql", "redis-cli", "make"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (wrk: apt-get install -y wrk).")
    if not PYTHON.exists():
        run(["make", ".venv/.requirements"], os.environ.copy())
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))},
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, whatever the production default.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    if (ROOT / ".secret_key").exists():
        env["DJANGO_SECRET_KEY"] = (ROOT / ".secret_key").read_text().strip()
    else:
        run(["make", ".secret_key"], os.environ.copy())
        env["DJANGO_SECRET_KEY"] = (ROOT / ".secret_key").read_text().strip()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as workdir:
        all_figures = [
            measure_size(args, env, int(size), workdir) for size in args.sizes.split(",")
        ]
    report(all_figures, args)
    if args.json:
        Path(args.json).write_text(json.dumps(all_figures, indent=2))


if __name__ == "__main__":
    main()
