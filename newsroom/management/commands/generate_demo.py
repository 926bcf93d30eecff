"""Fill the database with synthetic demo articles, for benchmarks (see bench/)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsroom.demo import DemoDataExists, generate_demo


class Command(BaseCommand):
    help = (
        "Create N synthetic, neutral “Demo:” articles with bylines, tags, FAQ, related links and "
        "comments, in bulk. Refuses to add the same seed's demo twice unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many (default 1000).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same demo."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete this seed's demo articles first, then generate them again.",
        )

    def handle(self, *args, **options):
        if options["articles"] < 1:
            raise CommandError("--articles must be at least 1.")
        started = time.monotonic()
        show = self.progress_bar(started) if options["verbosity"] >= 1 else None
        try:
            counts = generate_demo(
                articles=options["articles"],
                seed=options["seed"],
                replace=options["replace"],
                progress=show,
            )
        except DemoDataExists as exc:
            raise CommandError(f"{exc} Use --replace to generate them again.") from None
        if show:
            self.stderr.write("")
        # Give the planner the new numbers now (PostgreSQL: rather than at autovacuum's next
        # visit; SQLite keeps none unless asked).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts.articles:,} demo articles, {counts.tags:,} new tags, "
                f"{counts.faq_items:,} FAQ items, {counts.related_links:,} related links, "
                f"{counts.corrections:,} corrections, {counts.comments:,} comments "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def progress_bar(self, started, width=30):
        def show(done, total):
            filled = width * done // total
            line = (
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} articles "
                f"{time.monotonic() - started:.0f} s"
            )
            self.stderr.write(line, ending="")
            sys.stderr.flush()

        return show
