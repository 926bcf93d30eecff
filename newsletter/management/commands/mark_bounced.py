"""Mark subscribers as bounced from a list of addresses, one per line (files or stdin)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from newsletter.services import subscriber_mark_bounced_by_email


class Command(BaseCommand):
    help = (
        "Mark as bounced the subscribers whose addresses are listed, one per line, in the given "
        "files or on standard input. Bounced addresses are never mailed again."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", metavar="FILE",
            help="Files of addresses, one per line; '-' or nothing reads standard input.",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, **options):
        emails = []
        for name in options["files"] or ["-"]:
            if name == "-":
                emails.extend(self.addresses(options.get("stdin", sys.stdin)))
                continue
            try:
                with open(name, encoding="utf-8") as lines:
                    emails.extend(self.addresses(lines))
            except OSError as error:
                raise CommandError(f"{name}: {error.strerror}") from None
        counts = subscriber_mark_bounced_by_email(emails=emails, dry_run=options["dry_run"])
        if options["verbosity"] >= 1:
            prefix = "Dry run, nothing changed: " if options["dry_run"] else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}{counts['bounced']} marked bounced, {counts['already']} already "
                    f"bounced, {counts['unknown']} not subscribers."
                )
            )

    @staticmethod
    def addresses(lines):
        # Bounce reports often come as "address,reason" or with comments; keep the address.
        for line in lines:
            address = line.split("#", 1)[0].split(",", 1)[0].strip()
            if address:
                yield address
