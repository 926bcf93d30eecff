"""Fault drills: PostgreSQL restarted, and Redis stopped and started, under a load of reads and
comment posts against the site served by gunicorn.

    python bench/faults.py                    # both drills, then a report
    python bench/faults.py --drill postgres --down 5

Everything runs on this machine's loopback against throwaway servers the script starts and then
removes: its own PostgreSQL cluster (initdb, run as the postgres OS user when run as root) and
its own redis-server, on free ports; the shared servers on 5432 and 6379 are never touched. It
needs the PostgreSQL server binaries, redis-server and gunicorn (requirements.txt).

A drill reports each response status seen before, during and after the outage, when the site
answered again after the server came back, and the comments whose post got a success response
but are missing from the database (there must be none). tests/faults/ runs both drills.
"""

import argparse
import contextlib
import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.varnish import Varnish, free_port  # noqa: E402
from bench.varnish import missing as varnish_missing  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not happen within {timeout} s")


def port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def postgres_bindir():
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bindir / "initdb").exists():
            return bindir
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def running_as_root():
    return os.geteuid() == 0


def missing_tools(*, edge=False):
    """What the drills need and this machine lacks, in one sentence; None when all is there.
    `edge`: the drill through Varnish, which needs varnishd too."""
    if edge and (reason := varnish_missing()):
        return reason
    missing = []
    if postgres_bindir() is None:
        missing.append("the PostgreSQL server (initdb, pg_ctl: apt-get install postgresql)")
    if not shutil.which("redis-server"):
        missing.append("redis-server (apt-get install redis-server)")
    if running_as_root() and not shutil.which("runuser"):
        missing.append("runuser, to run PostgreSQL as the postgres user")
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        missing.append("gunicorn (pip install -r requirements.txt)")
    return "Missing " + " and ".join(missing) + "." if missing else None


class Postgres:
    """A throwaway PostgreSQL cluster on a free port, its socket and data in a temporary folder."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.datadir = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        # PostgreSQL refuses to run as root.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if running_as_root() else []
        if running_as_root():
            shutil.chown(self.datadir, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def run(self, program, *args):
        command = [*self.as_owner, str(self.bindir / program), *map(str, args)]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)

    def create(self):
        self.run("initdb", "-D", self.datadir, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "newsroom")

    def start(self):
        options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", self.datadir, "-l", self.datadir / "server.log", "-w", "-o",
                 options, "start")  # fmt: skip

    def stop(self):
        # Fast shutdown: open transactions are rolled back and connections cut, as in a restart.
        self.run("pg_ctl", "-D", self.datadir, "-m", "fast", "-w", "stop")

    def query(self, sql):
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as connection:
            return connection.execute(sql).fetchall()

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


class Redis:
    """A throwaway redis-server on a free port, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: port_open(self.port), 10, "redis-server starting")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Site:
    """The site in production mode under gunicorn, on the given database and cache."""

    def __init__(self, database_url, redis_url, workdir, extra_env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(workdir) / "gunicorn.log"
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL", "PORT"))
        }
        self.env = {
            **inherited,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            # Persistent connections: recovering from the restart is then the health checks' job.
            "DJANGO_CONN_MAX_AGE": "60",
            # Plain HTTP on the loopback (README.md: local production-like runs).
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "NEWSROOM_SITE_URL": self.base,
            # The drill posts fast and often from one address; the spam checks are not under test.
            "NEWSROOM_COMMENTS_MIN_FILL_SECONDS": "0",
            "NEWSROOM_COMMENTS_RATE_LIMIT": "1000000",
            **(extra_env or {}),
        }
        self.process = None

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def prepare(self):
        """Tables, static files and the seed article, with comments open."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        # As `make run` does: the pre-publish checklist wants a section and tags.
        self.manage("import_article", "--publish", "--section", "World",
                    "--tags", "Venezuela, United States, Energy, Diplomacy", "seeds/")  # fmt: skip

    def start(self, *, shipped=False, app="newsroom.wsgi", options=()):
        """gunicorn serving `app`: with two threaded workers (the drills), or `shipped` as
        `make serve` runs it (newsroom/gunicorn.conf.py: 2 x cores + 1 sync workers), with
        any further `options`."""
        if shipped:
            extra = ["--config", str(ROOT / "newsroom" / "gunicorn.conf.py")]
        else:
            extra = ["--workers", "2", "--worker-class", "gthread", "--threads", "4",
                     "--timeout", "30"]  # fmt: skip
        command = [sys.executable, "-m", "gunicorn", app, *extra, *options,
                   "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5"]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(lambda: port_open(self.port), 30, "gunicorn listening")
        if app.startswith("newsroom."):
            wait_until(lambda: fetch(self.base + "/healthz")[0] == 200, 30, "gunicorn serving")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client():
    return urllib.request.build_opener(
        NoRedirects, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def fetch(url, data=None, opener=None, headers=None):
    """(status, body) of one request; status is the error's name when there was no answer."""
    opener = opener or client()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, body, headers=headers or {})
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return type(reason).__name__, ""


@dataclass
class Outcome:
    at: float
    kind: str  # "read", "comment" or "healthz"
    status: object  # an HTTP status, or the name of the error when nothing answered


@dataclass
class Load:
    """Readers and commenters hitting the site from threads until stopped."""

    base: str
    article_path: str
    read_paths: tuple = ("/", "{article}", "/newsletter/", "/search/?q=oil")
    readers: int = 4
    commenters: int = 2
    outcomes: list = field(default_factory=list)
    posted: dict = field(default_factory=dict)  # comment marker -> status of its post
    refusals: set = field(default_factory=set)  # the pages of posts answered 503
    stopping: threading.Event = field(default_factory=threading.Event)

    def record(self, kind, status):
        self.outcomes.append(Outcome(time.monotonic(), kind, status))

    @property
    def paths(self):
        return [path.format(article=self.article_path) for path in self.read_paths]

    def warm(self, timeout=60):
        """Each page read once, as readers had before the drill (and Varnish keeps)."""
        for path in self.paths:
            wait_until(lambda p=path: fetch(self.base + p)[0] == 200, timeout, f"{path} answering")

    def read(self):
        paths = self.paths
        n = 0
        while not self.stopping.is_set():
            status, _ = fetch(self.base + paths[n % len(paths)])
            self.record("read", status)
            n += 1

    def comment(self, worker):
        """Post comments as a reader of the cached page does: its script asks for a start
        token, and the browser sends the form with Sec-Fetch-Site and Origin
        (pagecache.same_site_post). A post is tried even when the token could not be had (the
        site is down), to see how the site answers it."""
        n = 0
        same_site = {"Sec-Fetch-Site": "same-origin", "Origin": self.base}
        while not self.stopping.is_set():
            status, token = fetch(self.base + self.article_path + "comments/start/")
            self.record("start", status)
            marker = f"drill-{worker}-{n}-{secrets.token_hex(4)}"
            n += 1
            form = {
                "started": token.strip() if status == 200 else "",
                "name": f"Drill reader {worker}",
                "email": f"drill{worker}@example.com",
                "body": f"A comment from the fault drill, {marker}.",
                "website": "",
            }
            status, page = fetch(
                self.base + self.article_path + "comments/", form, headers=same_site
            )
            self.posted[marker] = status
            self.record("comment", status)
            if status == 503:
                self.refusals.add(page)
            if status != 302:
                time.sleep(0.05)

    def watch_health(self):
        while not self.stopping.is_set():
            self.record("healthz", fetch(self.base + "/healthz")[0])
            time.sleep(0.1)

    def __enter__(self):
        targets = [self.read] * self.readers + [self.watch_health]
        targets += [lambda w=w: self.comment(w) for w in range(self.commenters)]
        self.threads = [threading.Thread(target=target, daemon=True) for target in targets]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=20)


@dataclass
class DrillReport:
    name: str
    before: Counter
    during: Counter
    after: Counter
    health_during: Counter  # /healthz answers while the server was down
    recovered_after: float | None  # seconds from the server's return to the site answering 200
    comments_posted: int  # posts that got a success response
    comments_lost: list  # markers of those missing from the database
    reads_during: Counter = field(default_factory=Counter)  # page reads while it was down
    posts_during: Counter = field(default_factory=Counter)  # comment posts while it was down
    refusals: set = field(default_factory=set)  # the pages answering a post with 503

    @property
    def server_errors(self):
        """Answers no reader should get: 500s, and requests nobody answered."""
        return {
            status: count
            for status, count in (self.before + self.during + self.after).items()
            if not isinstance(status, int) or status == 500
        }

    def lines(self):
        recovered = (
            "never" if self.recovered_after is None else f"{self.recovered_after:.1f} s after"
        )
        return [
            f"{self.name}:",
            f"  before the outage: {dict(self.before)}",
            f"  during the outage: {dict(self.during)}",
            f"  after the outage:  {dict(self.after)}",
            f"  reads during the outage: {dict(self.reads_during)}, "
            f"comment posts: {dict(self.posts_during)}",
            f"  /healthz during the outage: {dict(self.health_during)}",
            f"  site answered 200 again {recovered} the server came back",
            f"  comments posted with a success response: {self.comments_posted}, "
            f"missing from the database: {len(self.comments_lost)}",
        ]


def split(outcomes, down_at, up_at, kinds=("read", "start", "comment")):
    before, during, after = Counter(), Counter(), Counter()
    for outcome in outcomes:
        if outcome.kind not in kinds:
            continue
        if outcome.at < down_at:
            before[outcome.status] += 1
        elif outcome.at < up_at:
            during[outcome.status] += 1
        else:
            after[outcome.status] += 1
    return before, during, after


def recovery_time(outcomes, up_at):
    """Seconds from `up_at` to the first read after which every read answered 200."""
    reads = [o for o in outcomes if o.kind == "read" and o.at >= up_at]
    for index, outcome in enumerate(reads):
        if all(later.status == 200 for later in reads[index:]):
            return outcome.at - up_at
    return None


def run_drill(name, load, stop, start, database, *, warmup=2, down=3, settle=5):
    """Put `load` (a Load) on the site, take a server down with `stop()` for `down` seconds,
    bring it back with `start()`, keep loading for `settle` seconds; returns the DrillReport."""
    load.warm()
    with load:
        time.sleep(warmup)
        down_at = time.monotonic()
        stop()
        time.sleep(down)
        start()
        up_at = time.monotonic()
        time.sleep(settle)
    succeeded = [marker for marker, status in load.posted.items() if status == 302]
    stored = {body for (body,) in database.query("SELECT body FROM comments_comment")}
    lost = [m for m in succeeded if f"A comment from the fault drill, {m}." not in stored]
    before, during, after = split(load.outcomes, down_at, up_at)
    _, health_during, _ = split(load.outcomes, down_at, up_at, kinds=("healthz",))
    _, reads_during, _ = split(load.outcomes, down_at, up_at, kinds=("read",))
    _, posts_during, _ = split(load.outcomes, down_at, up_at, kinds=("comment",))
    recovered_after = recovery_time(load.outcomes, up_at)
    return DrillReport(
        name, before, during, after, health_during, recovered_after, len(succeeded), lost,
        reads_during, posts_during, load.refusals,
    )  # fmt: skip


class Servers:
    """Throwaway PostgreSQL and Redis, and the site on them; a context manager. With
    `edge=True` a throwaway Varnish (bench/varnish.py, the shipped VCL) stands in front and
    the load goes through it; `edge_seconds` is then the pages' s-maxage, short so that an
    outage outlasts it and readers are served from grace. `shipped`: gunicorn as `make serve`
    runs it; `articles`: that many generated articles beside the seed; `editor`: (username,
    password) of an admin account."""

    def __init__(self, *, edge=False, edge_seconds=2, shipped=False, articles=0, editor=None):
        self.edge = edge
        self.edge_seconds = edge_seconds
        self.shipped = shipped
        self.articles = articles
        self.editor = editor
        self.varnish = None

    def __enter__(self):
        self.workdir = tempfile.mkdtemp(prefix="newsroom-faults-")
        self.postgres = Postgres()
        self.redis = Redis()
        try:
            self.postgres.create()
            self.redis.start()
            self.site = Site(self.postgres.url, self.redis.url, self.workdir)
            if self.edge:
                self.varnish = Varnish(self.site.port)
                self.site.env.update({
                    "NEWSROOM_EDGE_PURGE": "varnish",
                    "NEWSROOM_VARNISH_URLS": self.varnish.url,
                    "NEWSROOM_EDGE_SECONDS": str(self.edge_seconds),
                })  # fmt: skip
            self.site.prepare()
            if self.articles:
                self.site.manage("generate_demo", "--articles", str(self.articles))
            if self.editor:
                self.site.env["DJANGO_SUPERUSER_USERNAME"] = self.editor[0]
                self.site.env["DJANGO_SUPERUSER_PASSWORD"] = self.editor[1]
                self.site.manage("ensure_superuser")
            self.site.start(shipped=self.shipped)
            if self.varnish:
                self.varnish.start()
            self.article_id, slug = self.postgres.query(
                "SELECT id, slug FROM articles_article ORDER BY id LIMIT 1"
            )[0]
            self.article_path = f"/articles/{slug}/"
        except BaseException:
            self.__exit__()
            raise
        return self

    @property
    def base(self):
        """Where readers send their requests: Varnish, or gunicorn itself."""
        return self.varnish.url if self.varnish else self.site.base

    def __exit__(self, *exc_info):
        if self.varnish:
            self.varnish.stop()
        if getattr(self, "site", None):
            self.site.stop()
        self.redis.stop()
        self.postgres.remove()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def load(self):
        if self.varnish:
            # Pages for everyone, which Varnish keeps (the signup page carries a CSRF token).
            return Load(self.base, self.article_path, ("/", "{article}", "/search/?q=oil"))
        return Load(self.base, self.article_path)

    def postgres_drill(self, down=3):
        name = "PostgreSQL stopped" + (", through Varnish" if self.varnish else " and started")
        return run_drill(
            name, self.load(), self.postgres.stop, self.postgres.start, self.postgres, down=down
        )

    def redis_drill(self, down=3):
        return run_drill(
            "Redis stopped and started", self.load(), self.redis.stop, self.redis.start,
            self.postgres, down=down,
        )  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drill", choices=["postgres", "redis", "both"], default="both")
    parser.add_argument("--down", type=float, default=3, help="Seconds the server stays down.")
    parser.add_argument(
        "--edge", action="store_true", help="Through Varnish (the shipped VCL) in front."
    )
    args = parser.parse_args()
    if reason := missing_tools(edge=args.edge):
        sys.exit(reason)
    with Servers(edge=args.edge) as servers:
        drills = {"postgres": servers.postgres_drill, "redis": servers.redis_drill}
        names = list(drills) if args.drill == "both" else [args.drill]
        failed = False
        for name in names:
            report = drills[name](down=args.down)
            print("\n".join(report.lines()))
            failed |= bool(report.server_errors or report.comments_lost)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
