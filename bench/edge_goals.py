"""The goals of issue 17 (edge caching), measured side by side in one run on this machine.

    python bench/edge_goals.py                       # about 12 minutes
    python bench/edge_goals.py --rounds 3 --duration 4 --hit-minutes 1 --down 10   # a look
    python bench/edge_goals.py --throughput-only     # goal 1 alone, a few minutes

Everything runs against throwaway servers the script starts on free loopback ports and removes:
a PostgreSQL cluster and a redis-server (as bench/faults.py starts them), the site as `make
serve` runs it (newsroom/gunicorn.conf.py: 2 x cores + 1 sync workers, DEBUG off) on the seed
article and --articles generated ones, Varnish with deploy/varnish/default.vcl in front
(bench/varnish.py), and, for comparison, a bare WSGI app serving one static file with
WhiteNoise under the same gunicorn settings. Needs wrk (Debian: apt-get install wrk), varnish
and varnish-modules, the PostgreSQL server binaries and redis-server.

1. Throughput (wrk -t2 -c16, --rounds rounds of --duration s, the four taking turns in a
   different order each round): the seed article through Varnish, the same article from
   Django's page cache (straight to gunicorn), a static file as large as the article from the
   bare WhiteNoise app, and the article made by Django for a reader who bypasses the caches
   (comments awaiting moderation). Goals: Varnish >= 10 x Django; Django's page cache >= 0.6
   x the static file.
   Beside the rates: the CPU time the gunicorn processes spent per request (which hardly
   follows the load of a shared machine, as rates do), and the Redis commands per request of
   Django's page cache.
2. Purge speed: an editor logged in to the admin changes the seed article's headline through
   its change form (as a browser posts it); the time from sending the form until Varnish
   serves the new headline. Goal: under 1 s, every time.
3. Hit ratio: --hit-minutes of reads through Varnish (wrk -t1 -c4 taking turns over the home
   page, the pages of the --read-articles newest articles and every section and tag archive,
   each read once first) while one comment on one of those articles is approved each second
   and one of them edited each minute; hits and misses counted by Varnish. Goal: >= 95 %.
4. Database down: PostgreSQL stopped for --down seconds under reads and comment posts through
   Varnish (bench/faults.py's drill). Goal: reads 200, posts a clear 503, none acknowledged lost.
"""

import argparse
import html.parser
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import faults  # noqa: E402
from bench.faults import ROOT, Servers, client, fetch  # noqa: E402

EDITOR = ("bench-editor", "bench-Editor-password-9")
READER_COOKIE = "newsroom_comments"  # NEWSROOM_COMMENTS_COOKIE: pages made for the reader


def wrk(url, *, duration, connections=16, threads=2, script=None, header=None):
    """Requests per second wrk reached, its error lines, and the requests it made."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    if header:
        command += ["-H", header]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    lines = output.splitlines()
    rps = float(next(line for line in lines if "Requests/sec" in line).split()[1])
    made = int(next(line for line in lines if " requests in " in line).split()[0])
    non_2xx = [line for line in lines if "Non-2xx" in line]
    return rps, non_2xx, made


def cpu_seconds(pid):
    """CPU time (user and system) the process `pid` and its children alive have used: the
    gunicorn master and its workers. It hardly follows the load of a shared machine, as
    requests per second do."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def redis_commands(servers):
    """Commands the bench's redis-server has processed so far."""
    info = subprocess.run(
        ["redis-cli", "-p", str(servers.redis.port), "info", "stats"],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout  # fmt: skip
    return int(next(line for line in info.splitlines() if line.startswith("total_commands_"))
               .split(":")[1])  # fmt: skip


ROTATE = """
paths = {%s}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


class FormFields(html.parser.HTMLParser):
    """The fields a browser would send for the form with id `form_id` (inputs, checked boxes,
    selected options, textareas), as (name, value) pairs."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.selected = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                default = "on" if kind == "checkbox" else ""
                self.fields.append([attrs["name"], attrs.get("value", default)])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select, self.selected = attrs["name"], []
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


class Editor:
    """An editor's browser: logs in to the admin and saves an article's change form."""

    def __init__(self, base):
        self.base = base
        self.opener = client()

    def _fields(self, path, form_id):
        status, page = fetch(self.base + path, opener=self.opener)
        if status != 200:
            sys.exit(f"{path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(page)
        return parser.fields

    def post(self, path, fields):
        headers = {"Referer": self.base + path, "Origin": self.base}
        body = urllib.parse.urlencode([tuple(field) for field in fields]).encode()
        request = urllib.request.Request(self.base + path, body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self):
        fields = dict(self._fields("/admin/login/", "login-form"))
        fields.update(username=EDITOR[0], password=EDITOR[1])
        if self.post("/admin/login/", list(fields.items())) != 302:
            sys.exit("The bench editor could not log in to the admin.")

    def change_headline(self, change_path, headline):
        fields = self._fields(change_path, "article_form")
        fields = [[name, headline if name == "headline" else value] for name, value in fields]
        fields.append(["_continue", "Save and continue editing"])
        status = self.post(change_path, fields)
        if status != 302:
            sys.exit(f"Saving {change_path} answered {status}, not a redirect.")


def throughput(servers, bare, article_path, rounds, duration):
    """{name: [requests/s of each round]}, and {name: [CPU µs per request of each round]} of
    the gunicorn serving it, with "Redis commands per request" for Django's page cache."""
    site = servers.site
    targets = {
        "article through Varnish": (servers.varnish.url + article_path, None, None),
        "article from Django's page cache": (site.base + article_path, site.process.pid, None),
        "static file, bare WhiteNoise app": (
            bare.base + "/static/article-sized.html",
            bare.process.pid,
            None,
        ),
        # A reader with comments awaiting moderation: the page made for them, no page cache.
        "article made by Django for one reader": (
            site.base + article_path,
            site.process.pid,
            f"Cookie: {READER_COOKIE}=bench",
        ),
    }
    for url, _, header in targets.values():  # warm up: the page made and kept everywhere
        wrk(url, duration=2, header=header)
    results = {name: [] for name in targets}
    costs = {name: [] for name, (_, pid, _) in targets.items() if pid}
    costs["Redis commands per request"] = []
    names = list(targets)
    for n in range(rounds):
        # Each takes its turn first, so that other work on the machine weighs on all alike.
        for name in names[n % len(names) :] + names[: n % len(names)]:
            url, pid, header = targets[name]
            cpu, commands = cpu_seconds(pid) if pid else 0, redis_commands(servers)
            rps, errors, made = wrk(url, duration=duration, header=header)
            if errors:
                sys.exit(f"{name}: {errors}")
            results[name].append(rps)
            if pid:
                costs[name].append((cpu_seconds(pid) - cpu) / made * 1e6)
            if name == "article from Django's page cache":
                costs["Redis commands per request"].append(
                    (redis_commands(servers) - commands - 1) / made
                )
    return results, costs


def purge_speed(servers, article_path, change_path, times):
    """[(seconds the admin took to save, seconds from its answer until Varnish served the
    edit)] for `times` edits of the headline."""
    editor = Editor(servers.site.base)
    editor.log_in()
    seen = []
    for n in range(times):
        headline = f"Edge bench edit {n} {secrets.token_hex(4)}"
        sent = time.monotonic()
        editor.change_headline(change_path, headline)
        saved = time.monotonic()
        while headline not in fetch(servers.varnish.url + article_path)[1]:
            if time.monotonic() - saved > 30:
                sys.exit("The edit did not show through Varnish within 30 s.")
            time.sleep(0.01)
        seen.append((saved - sent, time.monotonic() - saved))
        time.sleep(1)
    return seen


WRITER = """
import random, time
from articles.models import Article
from comments.models import Comment
from comments.services import comment_moderate

ids = {ids}
approved = edited = 0
start = time.monotonic()
while time.monotonic() - start < {seconds}:
    tick = time.monotonic()
    comment = Comment.objects.create(
        article_id=random.choice(ids), name="Bench reader", email="bench@example.com",
        body="A comment approved by the edge bench.", status=Comment.Status.PENDING,
    )
    comment_moderate(comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED)
    approved += 1
    if approved % 60 == 1:
        article = Article.objects.get(pk=random.choice(ids))
        article.standfirst = article.standfirst.rstrip(".") + " (updated)."
        article.save()
        edited += 1
    time.sleep(max(0.0, 1 - (time.monotonic() - tick)))
print(approved, edited)
"""


def hit_ratio(servers, read, minutes, workdir):
    """Varnish's hit ratio over `minutes` of reads of `read` (ids of the articles read and
    commented on, paths of the pages read), each page read once before."""
    ids, paths = read
    for path in paths:
        fetch(servers.varnish.url + path)
    script = Path(workdir) / "rotate.lua"
    script.write_text(ROTATE % ", ".join(json.dumps(path) for path in paths))
    before = servers.varnish.stats()
    seconds = int(minutes * 60)
    code = WRITER.format(seconds=seconds, ids=ids)
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env=servers.site.env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    rps, errors, _ = wrk(
        servers.varnish.url + paths[0], duration=seconds, connections=4, threads=1, script=script
    )
    approved, edited = (int(n) for n in writer.communicate(timeout=120)[0].split()[-2:])
    after = servers.varnish.stats()
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    return {"hits": hits, "misses": misses, "ratio": hits / (hits + misses), "rps": rps,
            "approved": approved, "edited": edited, "errors": errors}  # fmt: skip


def reader_paths(servers, articles):
    """(ids, paths): the `articles` newest articles, their pages, the home page and every
    section and tag archive."""
    rows = servers.postgres.query(
        "SELECT id, slug FROM articles_article WHERE status = 'published' "
        "ORDER BY published_at DESC"
    )[:articles]
    paths = ["/", *(f"/articles/{slug}/" for _, slug in rows)]
    sections = servers.postgres.query("SELECT slug FROM articles_section")
    tags = servers.postgres.query("SELECT slug FROM taggit_tag")
    paths += [f"/sections/{slug}/" for (slug,) in sections]
    paths += [f"/tags/{slug}/" for (slug,) in tags]
    return [pk for pk, _ in rows], paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=6, help="Seconds of each wrk run.")
    parser.add_argument("--edits", type=int, default=10, help="Admin edits timed.")
    parser.add_argument("--hit-minutes", type=float, default=5)
    parser.add_argument("--read-articles", type=int, default=100,
                        help="Articles read (and commented on) during the hit ratio.")  # fmt: skip
    parser.add_argument("--down", type=float, default=60, help="Seconds PostgreSQL is down.")
    parser.add_argument("--throughput-only", action="store_true",
                        help="Measure goal 1 only (Varnish, Django, the static file).")  # fmt: skip
    args = parser.parse_args()
    if reason := faults.missing_tools(edge=True):
        sys.exit(reason)
    workdir = tempfile.mkdtemp(prefix="newsroom-edge-bench-")
    print(f"Load average at the start: {os.getloadavg()}", flush=True)
    with Servers(edge=True, edge_seconds=86400, shipped=True, articles=args.articles,
                 editor=EDITOR) as servers:  # fmt: skip
        article_path = servers.article_path
        page = fetch(servers.site.base + article_path)[1].encode()
        static_root = Path(workdir) / "static"
        static_root.mkdir()
        (static_root / "article-sized.html").write_bytes(page)
        bare = faults.Site(servers.postgres.url, servers.redis.url, workdir,
                           extra_env={"BENCH_STATIC_ROOT": str(static_root)})  # fmt: skip
        bare.start(shipped=True, app="bench.bare_static")
        try:
            rates, costs = throughput(servers, bare, article_path, args.rounds, args.duration)
        finally:
            bare.stop()
        print_throughput(rates, costs, len(page))
        if args.throughput_only:
            print(f"Load average at the end: {os.getloadavg()}")
            return
        change_path = f"/admin/articles/article/{servers.article_id}/change/"
        print_purges(purge_speed(servers, article_path, change_path, args.edits))
        read = reader_paths(servers, args.read_articles)
        print_hits(hit_ratio(servers, read, args.hit_minutes, workdir), args, len(read[1]))
        print("\n".join(servers.postgres_drill(down=args.down).lines()), flush=True)
    print(f"Load average at the end: {os.getloadavg()}")


def print_throughput(rates, costs, page_bytes):
    varnish, django, static, made = rates.values()
    edge_ratio = statistics.median(v / d for v, d in zip(varnish, django, strict=True))
    edge_made = statistics.median(v / d for v, d in zip(varnish, made, strict=True))
    edge_static = statistics.median(v / d for v, d in zip(varnish, static, strict=True))
    ratios = [d / s for d, s in zip(django, static, strict=True)]
    print(f"Article page: {page_bytes:,} bytes")
    for name, measured in rates.items():
        each = ", ".join(f"{rate:,.0f}" for rate in measured)
        print(f"  {name}: {statistics.median(measured):,.0f} requests/s (rounds: {each})")
    print(f"  Varnish / Django's page cache: {edge_ratio:.1f} (goal >= 10)")
    print(f"  Varnish / the page made by Django: {edge_made:.1f}; Varnish / the static file: "
          f"{edge_static:.1f}")  # fmt: skip
    each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    print(f"  Django page cache / static file: {statistics.median(ratios):.2f} (goal >= 0.6; "
          f"rounds: {each})")  # fmt: skip
    for name, measured in costs.items():
        unit, places = (("", 4) if name.startswith("Redis") else
                        (" µs of CPU per request in gunicorn", 0))  # fmt: skip
        each = ", ".join(f"{cost:,.{places}f}" for cost in measured)
        print(f"  {name}: {statistics.median(measured):,.{places}f}{unit} (rounds: {each})")
    print(f"  Load average now: {os.getloadavg()}", flush=True)


def print_purges(timings):
    saves = [save for save, _ in timings]
    seen = [after for _, after in timings]
    median, save = statistics.median(seen), statistics.median(saves)
    print(f"Admin edit visible through Varnish after the save: median {median:.3f} s, max "
          f"{max(seen):.3f} s over {len(seen)} edits (goal < 1 s); the save itself: median "
          f"{save:.3f} s, max {max(saves):.3f} s", flush=True)  # fmt: skip


def print_hits(hit, args, pages):
    print(f"Hit ratio over {args.hit_minutes:g} min of {pages} pages (the {args.read_articles} "
          f"newest articles, home, archives): {hit['ratio']:.2%} ({hit['hits']:,} hits, "
          f"{hit['misses']:,} misses, {hit['rps']:,.0f} reads/s; {hit['approved']} comments "
          f"approved, {hit['edited']} articles edited) (goal >= 95 %)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
