"""
Load the site as production serves it (`make serve`: gunicorn, DEBUG off, whitenoise) with wrk
from this machine, at two archive sizes side by side, and print the tables docs/benchmarks.md
reports.

Needs PostgreSQL, redis-server and wrk (Debian: `apt-get install -y wrk`) on this machine.
For each size a database named after --database-url is dropped and built again (newsroom_bench
gives newsroom_1000_bench and newsroom_100000_bench; the name must end in "_bench"); the cache is
a redis-server of the benchmark's own on --redis-port; every request goes to 127.0.0.1.

    python bench/serve_load.py                          # 1,000 and 100,000 articles
    python bench/serve_load.py --sizes 1000 --rounds 3 --duration 4

Each size gets the seed article and `generate_demo` articles, then `make serve` on its own port
(--port, --port + 1) with HTTPS redirects off (DJANGO_SECURE_SSL_REDIRECT=0: plain HTTP on
127.0.0.1). In each of --rounds rounds every page is loaded for --duration seconds at one size
and then at the other (the sizes and the pages taking turns in a different order each round),
so that other work on the machine weighs on both sizes alike. A figure is the median of the
rounds; "× static" is the median of each round's ratio to the static file in the same round,
and the scaling ratio the median of each round's ratio between the sizes.

Pages: a static file as large as the article page, served by whitenoise from the same gunicorn
(the ceiling); robots.txt, a tiny page through all of Django's middleware with no cache (what
any Django response costs); the seed article from the page cache and rendered afresh (a reader
with their own comments' cookie is never served the shared copy, so that cookie gives the
uncached figure); the home page, the busiest tag and a search from the cache and afresh; and
searches for 200 different one- to three-word queries, afresh, at low concurrency for their
latency.
"""

import argparse
import contextlib
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
CEILING = "bench/ceiling-{size}.html"
# comments.cookie.COOKIE_NAME: a reader with comments of their own, never served the
# shared copy (this script runs outside Django, so the name is written out).
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


@contextlib.contextmanager
def own_redis(args):
    """A throwaway redis-server for the benchmark alone, stopped afterwards."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(50):
            ping = subprocess.run(
                ["redis-cli", "-p", str(args.redis_port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                break
            time.sleep(0.1)
        else:
            sys.exit(f"redis-server did not start on port {args.redis_port}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


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
            return response.read()


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


def targets(seed_path, queries, size, search_concurrency):
    query = f"/search/?q={quote_plus(queries[0])}"
    searches = [f"/search/?q={quote_plus(q)}" for q in queries]
    return {
        "static file (ceiling)": ([f"/static/{CEILING.format(size=size)}"], None, None),
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


def prepare_size(args, env, size, workdir):
    """Build the database for `size`, find the seed article and write the ceiling file."""
    figures = {"articles": size, "env": env}
    if not args.keep_database:
        figures["generate_seconds"] = build_database(env, size, args.seed)
    figures["queries"] = json.loads(
        manage(
            env, "shell", "-v0", "-c",
            "import json; from newsroom.demo import search_queries; "
            f"print(json.dumps(search_queries({args.seed})))",
            capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    figures["seed_path"] = urlsplit(
        manage(
            env, "shell", "-v0", "-c",
            "from newsroom.demo import seed_article; print(seed_article().get_absolute_url())",
            capture_output=True, text=True,
        ).stdout.strip()
    ).path  # fmt: skip
    with (
        open(Path(workdir) / f"serve-{size}.log", "a") as log,
        Server(env, args.port, log) as server,
    ):
        page = server.get(figures["seed_path"])
    figures["article_bytes"] = len(page)
    ceiling = ROOT / "staticfiles" / CEILING.format(size=size)
    ceiling.parent.mkdir(parents=True, exist_ok=True)
    ceiling.write_bytes(page)  # the same bytes, served as a file
    return figures


def measure(args, sizes, workdir):
    """Both sizes served at once, on two ports; each page is loaded at one size then the other,
    so whatever else the machine is doing weighs on both alike."""
    results = {figures["articles"]: {} for figures in sizes}
    with contextlib.ExitStack() as stack:
        servers = []
        for n, figures in enumerate(sizes):
            log = stack.enter_context(open(Path(workdir) / f"serve-{figures['articles']}.log", "a"))
            server = stack.enter_context(Server(figures["env"], args.port + n, log))
            pages = targets(
                figures["seed_path"], figures["queries"], figures["articles"],
                args.search_connections,
            )  # fmt: skip
            servers.append((figures["articles"], server, pages))
        for _size, server, pages in servers:
            for paths, cookie, connections in pages.values():
                # Every worker loads its templates, opens its connections, fills the caches.
                wrk(
                    server, paths, cookie=cookie, duration=2,
                    connections=connections or args.connections, threads=args.threads,
                    workdir=workdir,
                )  # fmt: skip
        names = list(servers[0][2])
        for round_number in range(args.rounds):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                order = servers if round_number % 2 == 0 else servers[::-1]
                for size, server, pages in order:
                    paths, cookie, connections = pages[name]
                    result = wrk(
                        server, paths, cookie=cookie, duration=args.duration,
                        connections=connections or args.connections, threads=args.threads,
                        workdir=workdir,
                    )  # fmt: skip
                    results[size].setdefault(name, []).append(result)
                    print(
                        f"  {size:>7,} round {round_number + 1} {name:30} "
                        f"{result['rps']:8.0f} req/s  p50 {result['p50'] / 1000:6.1f} ms"
                        f"  p99 {result['p99'] / 1000:6.1f} ms  non-2xx {result['non2xx']}",
                        flush=True,
                    )
    for figures in sizes:
        (ROOT / "staticfiles" / CEILING.format(size=figures["articles"])).unlink()
        rounds_by_page = results[figures["articles"]]
        ceiling_rounds = rounds_by_page["static file (ceiling)"]
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
            for name, rounds in rounds_by_page.items()
        }
        figures["rounds"] = rounds_by_page
    return sizes


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
        print(f"\np50 at {large['articles']:,} ÷ p50 at {small['articles']:,} articles, "
              "median of the rounds (each size loaded right after the other)\n")  # fmt: skip
        print("| Page | ratio |")
        print("| --- | ---: |")
        for name, rounds in large["rounds"].items():
            ratio = statistics.median(
                big["p50"] / little["p50"]
                for big, little in zip(rounds, small["rounds"][name], strict=True)
            )
            print(f"| {name} | {ratio:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="Article counts, comma-separated.")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench"
    )
    parser.add_argument(
        "--redis-port", type=int, default=6392, help="Port for the benchmark's own redis-server."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=6, help="Seconds per page per round.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--search-connections", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-database", action="store_true", help="Use the databases as they are."
    )
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    # Stopped from outside, still stop the server it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))

    if not urlsplit(args.database_url).path.endswith("_bench"):
        sys.exit("The benchmark drops its database: give one whose name ends in _bench.")
    for tool in ("wrk", "psql", "redis-server", "redis-cli", "make"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (wrk: apt-get install -y wrk).")
    if not PYTHON.exists():
        run(["make", ".venv/.requirements"], os.environ.copy())
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))},
        "DATABASE_URL": args.database_url,
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, whatever the production default.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    if not (ROOT / ".secret_key").exists():
        run(["make", ".secret_key"], os.environ.copy())
    env["DJANGO_SECRET_KEY"] = (ROOT / ".secret_key").read_text().strip()
    database = urlsplit(args.database_url)
    base_name = database.path.lstrip("/").removesuffix("_bench")
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as workdir, own_redis(args):
        sizes = []
        for n, size in enumerate(int(size) for size in args.sizes.split(",")):
            size_env = {
                **env,
                "DATABASE_URL": database._replace(path=f"/{base_name}_{size}_bench").geturl(),
                "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/{n}",
            }
            sizes.append(prepare_size(args, size_env, size, workdir))
        measure(args, sizes, workdir)
    report(sizes, args)
    if args.json:
        for figures in sizes:
            figures.pop("env")
        Path(args.json).write_text(json.dumps(sizes, indent=2))


if __name__ == "__main__":
    main()
