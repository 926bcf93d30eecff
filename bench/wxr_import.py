"""Benchmark: import a generated WordPress export of N items (posts with comments, and their
attachments) and report the time and peak memory, at two sizes or more to show memory stays flat.

    python bench/wxr_import.py --items 10000 --database-url postgres://postgres@127.0.0.1:5432/newsroom
    python bench/wxr_import.py --items 1000 10000 --database-url …   (the sizes named)

With --uploads, every attachment's picture is in an uploads folder made for the run, and joins
the image library (stored in the scratch folder; renditions are left to their task).

Everything happens in a scratch database the script creates and deletes: a temporary SQLite
file by default, or `<name>_bench` next to the database a --database-url names. Each size is
imported into an empty database; peak memory is the process's peak resident set size, read
in a fresh process per size so one size's peak cannot hide the other's. Beside the time it
took, the CPU time the import used: the script's own, and the database server's for its
connection (PostgreSQL on this machine only; "?" otherwise), and how long each waited, ready to
run, for a CPU (Linux's schedstat). On a shared machine the time follows the load; the CPU time
hardly does, and the wait for a CPU is most of the difference.
"""

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "<p>The council met on Tuesday to discuss the harbour plan, which has divided the town "
    "for a decade. <strong>Supporters</strong> say it will bring jobs; "
    '<a href="https://example.com/opponents">opponents</a> fear for the bay.</p>\n'
)


def write_wxr(path, items):
    """A WXR 1.2 file of `items` items: one attachment for every ten posts, two comments each."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n"
        )
        for author in range(20):
            out.write(
                f"<wp:author><wp:author_login>writer{author}</wp:author_login>"
                f"<wp:author_display_name><![CDATA[Writer Number{author}]]>"
                "</wp:author_display_name></wp:author>\n"
            )
        for n in range(1, items + 1):
            if n % 11 == 0:
                out.write(
                    f"<item><title>Photo {n}</title><wp:post_id>{n}</wp:post_id>"
                    f"<wp:post_parent>{n - 1}</wp:post_parent><wp:post_type>attachment"
                    "</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>"
                    f"https://bench.example/wp-content/uploads/2024/03/{n}.jpg"
                    "</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt"
                    f"</wp:meta_key><wp:meta_value>Harbour, picture {n}</wp:meta_value>"
                    "</wp:postmeta></item>\n"
                )
                continue
            day = 1 + n % 28
            picture = 11 * max(1, n // 11)  # an attachment's id: each shown by eleven posts
            comments = "".join(
                f"<wp:comment><wp:comment_id>{n * 10 + c}</wp:comment_id>"
                f"<wp:comment_author>Reader {c}</wp:comment_author>"
                f"<wp:comment_author_email>reader{c}@example.com</wp:comment_author_email>"
                f"<wp:comment_date_gmt>2024-03-{day:02d} 10:0{c}:00</wp:comment_date_gmt>"
                f"<wp:comment_content><![CDATA[Comment {c} on post {n}.]]></wp:comment_content>"
                f"<wp:comment_approved>1</wp:comment_approved>"
                f"<wp:comment_parent>{n * 10 if c else 0}</wp:comment_parent></wp:comment>"
                for c in range(2)
            )
            out.write(
                f"<item><title>Story number {n} about the harbour</title>"
                f"<link>https://bench.example/2024/03/{day:02d}/story-{n}/</link>"
                f"<dc:creator>writer{n % 20}</dc:creator>"
                f"<content:encoded><![CDATA[{PARAGRAPH * 8}[caption]"
                f'<img src="https://bench.example/wp-content/uploads/2024/03/{picture}.jpg" '
                f'alt="x"> A caption for story {n}[/caption]'
                f"]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[Summary of story {n}.]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>2024-03-{day:02d} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2024-03-{day:02d} 08:00:00</wp:post_date_gmt>"
                f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="s{n % 12}"><![CDATA[Section {n % 12}]]>'
                f'</category><category domain="post_tag" nicename="t{n % 300}">'
                f"<![CDATA[Topic {n % 300}]]></category>{comments}<wp:postmeta><wp:meta_key>"
                f"_thumbnail_id</wp:meta_key><wp:meta_value>{picture}"
                "</wp:meta_value></wp:postmeta></item>\n"
            )
        out.write("</channel>\n</rss>\n")


def write_uploads(folder, items):
    """The uploads folder the export's attachments name: a 1200 x 800 JPEG each."""
    from PIL import Image

    (folder / "2024" / "03").mkdir(parents=True, exist_ok=True)
    for n in range(11, items + 1, 11):
        colour = (n * 37 % 256, n * 91 % 256, n * 13 % 256)
        Image.new("RGB", (1200, 800), colour).save(folder / "2024" / "03" / f"{n}.jpg", "JPEG")


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def runqueue_seconds(pid="self"):
    """How long the process waited, ready to run, for a CPU (Linux schedstat), or None."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def server_pid(connection):
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def server_cpu_seconds(connection):
    """The CPU time of this connection's PostgreSQL backend, when it runs on this machine."""
    pid = server_pid(connection)
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_one(args):
    """In this process: import the file into a scratch database, print seconds and peak MB."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_DEBUG"] = "0"
    # Pictures are stored in the scratch folder; renditions are left to the task (not run here).
    os.environ["NEWSROOM_MEDIA_ROOT"] = str(Path(args.file).parent / "media")
    os.environ["NEWSROOM_TASKS_BACKEND"] = "dummy"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.file).parent}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    name = (
        f"{Path(args.file).parent}/scratch.sqlite3"
        if connection.vendor == "sqlite"
        else f"{connection.settings_dict['NAME']}_bench"
    )
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from ingest.wordpress import WxrOptions, import_wxr

        options = WxrOptions(uploads=args.uploads_folder) if args.uploads_folder else None
        pid = server_pid(connection)
        waits_before = [runqueue_seconds(), runqueue_seconds(pid) if pid else None]
        server_before, cpu_before = server_cpu_seconds(connection), cpu_seconds()
        started = time.perf_counter()
        summary = import_wxr(args.file, options=options)
        seconds = time.perf_counter() - started
        cpu, server_after = cpu_seconds() - cpu_before, server_cpu_seconds(connection)
        waits = [runqueue_seconds(), runqueue_seconds(pid) if pid else None]
        server = f"{server_after - server_before:.1f}" if server_after is not None else "?"
        waited = "+".join(
            f"{after - before:.1f}" if None not in (before, after) else "?"
            for before, after in zip(waits_before, waits, strict=True)
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{seconds:.1f} {peak_mb:.0f} {cpu:.1f} {server} {waited} {summary.headline()}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--items",
        type=int,
        nargs="+",
        default=[10_000],
        help="Sizes to import, each into an empty database (one size N: N/4, then N).",
    )
    parser.add_argument("--database-url", help="Server for the scratch database (default SQLite).")
    parser.add_argument(
        "--uploads",
        action="store_true",
        help="Give the import an uploads folder: the attachments' pictures (1200 x 800 JPEGs) "
        "join the image library, as lead images and in bodies.",
    )
    parser.add_argument("--file", help=argparse.SUPPRESS)  # set for the child process
    parser.add_argument("--uploads-folder", help=argparse.SUPPRESS)  # and this
    args = parser.parse_args()
    if args.file:
        run_one(args)
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-wxr-") as scratch:
        sizes = args.items if len(args.items) > 1 else [args.items[0] // 4, args.items[0]]
        for items in sizes:
            path = Path(scratch) / f"export-{items}.xml"
            write_wxr(path, items)
            command = [sys.executable, __file__, "--items", str(items), "--file", str(path)]
            if args.uploads:
                uploads = Path(scratch) / f"uploads-{items}"
                write_uploads(uploads, items)
                command += ["--uploads-folder", str(uploads)]
            load = os.getloadavg()[0]
            if args.database_url:
                command += ["--database-url", args.database_url]
            output = subprocess.run(command, capture_output=True, text=True, check=True)
            last_line = output.stdout.strip().splitlines()[-1]
            seconds, peak, cpu, server, waited, summary = last_line.split(" ", 5)
            size_mb = path.stat().st_size / 1e6
            print(
                f"{items:>6} items, {size_mb:5.1f} MB file: {seconds:>6} s (CPU {cpu} s, "
                f"database server CPU {server} s; waiting for a CPU: script + server {waited} s), "
                f"peak RSS {peak} MB, load average "
                f"{load:.1f} to {os.getloadavg()[0]:.1f} ({summary})"
            )


if __name__ == "__main__":
    main()
