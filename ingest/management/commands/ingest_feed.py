"""Poll RSS or Atom feeds and file their new items as articles in review."""

from django.core.management.base import BaseCommand, CommandError

from ingest.polling import FeedError, poll_feed
from ingest.reports import write_summary


class Command(BaseCommand):
    help = (
        "Poll RSS or Atom feeds once (run it from cron). New items, told apart by their guid, "
        "are filed as articles in review; an unchanged feed costs one conditional request."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL", help="Feed addresses.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Fetch and report, then roll back."
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        failed = 0
        for url in options["urls"]:
            try:
                summary = poll_feed(url, dry_run=options["dry_run"])
            except FeedError as error:
                failed += 1
                self.stderr.write(self.style.ERROR(str(error)))
                continue
            write_summary(self, summary, dry_run=options["dry_run"], prefix=f"{url}: ")
        if failed:
            raise CommandError(f"{failed} feed(s) could not be polled.")
