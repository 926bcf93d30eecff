"""Import IPTC NINJS 2.x/3.x items from JSON files or folders of them."""

from django.core.management.base import BaseCommand, CommandError

from ingest.ninjs import import_ninjs
from ingest.reports import write_summary


class Command(BaseCommand):
    help = (
        "Import NINJS news items (a .json file holding an item or a list, or folders of them). "
        "An item's uri is its identity: a newer versioncreated updates its article. Items come "
        "in as drafts; embargoed ones are held until the embargo."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="NINJS .json files or folders.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish items that pass the pre-publish checklist; schedule embargoed ones "
            "for their embargo time.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite changes editors made in the CMS."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and report, then roll back."
        )

    def handle(self, *args, **options):
        summary = import_ninjs(
            options["paths"],
            publish=options["publish"],
            force=options["force"],
            dry_run=options["dry_run"],
        )
        self.verbosity = options["verbosity"]
        write_summary(self, summary, dry_run=options["dry_run"])
        if summary.errors:
            raise CommandError(f"{len(summary.errors)} item(s) could not be imported.")
