"""Send queued newsletter editions, resuming any that stopped part-way, and record the signups
waiting with their confirmation emails.

Run it by hand, or from cron every minute in production: editions queued in the admin go out,
and a run after a crash carries on where the last one stopped without sending anyone a second
copy (see newsletter/services.py). Without a task worker (the `dummy` task backend), this is
what sends readers their confirmation links (newsletter/signups.py).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsletter.models import Edition
from newsletter.sending import EditionSendInterrupted, edition_send
from newsletter.signups import signup_request_process_waiting

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Record waiting signups and email their confirmation links, then send newsletter "
        "editions that were queued from the admin (or the editions given by id) to every "
        "confirmed subscriber who has not had them yet. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "editions", nargs="*", type=int, metavar="EDITION_ID",
            help="Only these editions (default: every edition queued for sending).",
        )  # fmt: skip
        parser.add_argument(
            "--batch-size", type=int, default=500,
            help="Emails per batch: one mail connection and two transactions each (default 500).",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Report how many emails would go out; send and change nothing.",
        )  # fmt: skip

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.verbosity = options["verbosity"]
        self.record_signups(options["dry_run"])
        editions = Edition.objects.order_by("queued_at", "pk")
        if options["editions"]:
            editions = editions.filter(pk__in=options["editions"])
            missing = set(options["editions"]) - {edition.pk for edition in editions}
            if missing:
                raise CommandError(f"No edition with id {', '.join(map(str, sorted(missing)))}.")
        else:
            editions = editions.filter(status=Edition.Status.SENDING)
        if not editions and self.verbosity >= 1:
            self.stdout.write("No editions are waiting to be sent.")

        for edition in editions:
            self.send(edition, options)

    def record_signups(self, dry_run):
        count = signup_request_process_waiting(dry_run=dry_run)
        if count and self.verbosity >= 1:
            done = "would be recorded (dry run)" if dry_run else "recorded"
            self.stdout.write(f"{count} signup{'s' if count != 1 else ''} {done}.")

    def send(self, edition, options):
        try:
            counts = edition_send(
                edition=edition,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                on_batch=self.show_progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except EditionSendInterrupted as error:
            self.end_progress()
            raise CommandError(
                f"“{edition}”: {error} The mail server said: {error.__cause__!r}. "
                f"{error.counts.waiting} still to send; run the command again to resume."
            ) from error
        self.end_progress()
        if options["dry_run"]:
            if self.verbosity >= 1:
                self.stdout.write(
                    f"Dry run, nothing sent: “{edition}” would go to {counts.waiting} subscribers."
                )
            return
        if self.verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"“{edition}”: {counts.sent} sent, {counts.skipped} skipped "
                    "(unsubscribed or bounced meanwhile)."
                )
            )
        if counts.in_doubt:
            self.stderr.write(
                self.style.WARNING(
                    f"{counts.in_doubt} emails were claimed by a run that stopped before recording "
                    "them: they may or may not have gone out, and are not retried."
                )
            )

    def show_progress(self, edition):
        if self.verbosity < 1:
            return
        done = edition.sent_count + edition.skipped_count
        total = max(edition.recipient_count, done, 1)
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        line = f"[{bar}] {done}/{edition.recipient_count} ({edition.sent_count} sent)"
        if self.stdout.isatty():
            self.stdout.write(f"\r{line}", ending="")
            self._bar_open = True
        elif self.verbosity >= 2:
            self.stdout.write(line)

    def end_progress(self):
        if getattr(self, "_bar_open", False):
            self.stdout.write("")
            self._bar_open = False
