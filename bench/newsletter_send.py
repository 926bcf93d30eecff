"""Benchmark: send one newsletter edition to N generated subscribers.

    python bench/newsletter_send.py --subscribers 100000
    python bench/newsletter_send.py --database-url postgres://postgres@127.0.0.1:5432/newsroom

Everything happens in a scratch database that the script creates and deletes: a temporary
SQLite file by default, or `<name>_bench` next to the database a --database-url names.
Mail goes through the in-memory backend (each message is built and validated as for SMTP, and
the outbox is emptied after every batch) or, with --backend dummy, nowhere at all.
Reports emails per second for the whole send (planning included) and peak memory.
"""

import argparse
import multiprocessing
import os
import platform
import resource
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BACKENDS = {
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--backend", choices=BACKENDS, default="locmem")
    parser.add_argument(
        "--database-url", help="Server to create the scratch database on (default: SQLite file)."
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Sending processes sharing the edition (PostgreSQL only, as in production).",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="Also trace Python allocations during the send (slower; reports their peak).",
    )
    return parser.parse_args()


def setup_django(args, scratch_dir):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_DEBUG"] = "0"  # debug mode would keep every query in memory
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch_dir}/bench.sqlite3"

    import django
    from django.conf import settings

    settings.MAILERS = {"default": {"BACKEND": BACKENDS[args.backend]}}
    django.setup()

    from django.db import connection

    test_name = (
        f"{scratch_dir}/scratch.sqlite3"
        if connection.vendor == "sqlite"
        else f"{connection.settings_dict['NAME']}_bench"
    )
    connection.settings_dict["TEST"]["NAME"] = test_name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection


def generate(count):
    from itertools import batched

    from django.utils import timezone

    from articles.models import Article
    from newsletter.models import Edition, Subscriber

    now = timezone.now()
    for chunk in batched(range(count), 5000):
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"reader{n}@example.com",
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=now,
                source=Subscriber.Source.HOME,
            )
            for n in chunk
        )
    edition = Edition.objects.create(
        subject="This week", intro="The stories that mattered.\n\nAnd one more thing."
    )
    for order in range(5):
        article = Article.objects.create(
            headline=f"Benchmark story {order}",
            standfirst="A sentence or two that sums the story up for a reader in a hurry.",
            body="Body.",
            status=Article.Status.PUBLISHED,
        )
        edition.items.create(article=article, order=order)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENDING, queued_at=now)
    return edition


def main():
    args = parse_args()
    if args.workers > 1 and not (args.database_url or "").startswith("postgres"):
        sys.exit(
            "--workers needs --database-url postgres://...: SQLite takes one writer at a time."
        )
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as scratch_dir:
        connection = setup_django(args, scratch_dir)
        try:
            run(args, connection)
        finally:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )


def send(edition_pk, batch_size):
    """Send the edition in this process; returns (sent, mailed, peak RSS in MB)."""
    from django.core import mail

    from newsletter.models import Edition
    from newsletter.sending import edition_send

    mailed = 0

    def on_batch(edition):
        nonlocal mailed
        # The in-memory outbox would otherwise hold every message: count and drop them.
        mailed += len(getattr(mail, "outbox", []))
        mail.outbox = []

    edition = Edition.objects.get(pk=edition_pk)
    counts = edition_send(edition=edition, batch_size=batch_size, on_batch=on_batch)
    return counts.sent, mailed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args, connection):
    from django.db import connections

    from newsletter.models import Delivery

    started = time.perf_counter()
    edition = generate(args.subscribers)
    print(f"Generated {args.subscribers:,} subscribers in {time.perf_counter() - started:.1f} s")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    if args.workers == 1:
        results = [send(edition.pk, args.batch_size)]
    else:
        # Several processes share the edition: each claims its own batches (SKIP LOCKED).
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.starmap(send, [(edition.pk, args.batch_size)] * args.workers)
    elapsed = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None

    sent = sum(result[0] for result in results)
    mailed = sum(result[1] for result in results)
    rss_peaks = [result[2] for result in results]
    sent_rows = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT).count()
    assert sent == sent_rows == args.subscribers, (sent, sent_rows)
    if args.backend == "locmem":
        assert mailed == args.subscribers, mailed

    print(
        f"Database: {connection.vendor}; mail backend: {args.backend}; "
        f"batch size: {args.batch_size}; sending processes: {args.workers}"
    )
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"Sent {sent:,} emails in {elapsed:.1f} s: {sent / elapsed:,.0f} emails/s")
    print(
        f"Peak memory (max RSS) per sending process: {max(rss_peaks):.0f} MB; "
        f"all together: {sum(rss_peaks):.0f} MB (this process before sending: {rss_before:.0f} MB)"
    )
    if traced_peak is not None:
        print(f"Peak Python allocations while sending (tracemalloc): {traced_peak:.1f} MB")


if __name__ == "__main__":
    main()
