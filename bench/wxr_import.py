"""Benchmark: import a generated WordPress export of N items (posts with comments, and their
attachments) and report the time and peak memory, at two sizes to show memory stays flat.

    python bench/wxr_import.py --items 10000 --database-url postgres://postgres@127.0.0.1:5432/newsroom

Everything happens in a scratch database the script creates and deletes: a temporary SQLite
file by default, or `<name>_bench` next to the database a --database-url names. Each size is
imported into an empty database; peak memory is the process's peak resident set size, read
in a fresh process per size so one size's peak cannot hide the other's.
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
                    f"https://bench.example/uploads/{n}.jpg</wp:attachment_url></item>\n"
                )
                continue
            day = 1 + n % 28
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
                f'<img src="https://bench.example/uploads/{n}.jpg" alt="x"> A caption[/caption]'
                f"]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[Summary of story {n}.]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>2024-03-{day:02d} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2024-03-{day:02d} 08:00:00</wp:post_date_gmt>"
                f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="s{n % 12}"><![CDATA[Section {n % 12}]]>'
                f'</category><category domain="post_tag" nicename="t{n % 300}">'
                f"<![CDATA[Topic {n % 300}]]></category>{comments}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def run_one(args):
    """In this process: import the file into a scratch database, print seconds and peak MB."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_DEBUG"] = "0"
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
        from ingest.wordpress import import_wxr

        started = time.perf_counter()
        summary = import_wxr(args.file)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{seconds:.1f} {peak_mb:.0f} {summary.headline()}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--database-url", help="Server for the scratch database (default SQLite).")
    parser.add_argument("--file", help=argparse.SUPPRESS)  # set for the child process
    args = parser.parse_args()
    if args.file:
        run_one(args)
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-wxr-") as scratch:
        for items in (args.items // 4, args.items):
            path = Path(scratch) / f"export-{items}.xml"
            write_wxr(path, items)
            command = [sys.executable, __file__, "--items", str(items), "--file", str(path)]
            if args.database_url:
                command += ["--database-url", args.database_url]
            output = subprocess.run(command, capture_output=True, text=True, check=True)
            seconds, peak, summary = output.stdout.strip().splitlines()[-1].split(" ", 2)
            size_mb = path.stat().st_size / 1e6
            print(
                f"{items:>6} items, {size_mb:5.1f} MB file: {seconds:>6} s, peak RSS {peak} MB"
                f" ({summary})"
            )


if __name__ == "__main__":
    main()
