"""Email moderators one digest of the comments that arrived since the last notice.

Run it from cron (e.g. every 15 minutes); re-runs never repeat a comment already notified.
"""

from django.core.management.base import BaseCommand

from comments.services import comment_notify_pending


class Command(BaseCommand):
    help = (
        "Email moderators (staff who may moderate comments, and NEWSROOM_EDITOR_EMAILS) one "
        "digest of the comments awaiting moderation that no notice has mentioned yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many comments and moderators a notice would cover; send nothing.",
        )

    def handle(self, **options):
        notice = comment_notify_pending(dry_run=options["dry_run"])
        if not notice.comments:
            if options["verbosity"] >= 1:
                self.stdout.write("No new comments awaiting moderation; nothing sent.")
        elif not notice.recipients:
            self.stderr.write(
                self.style.WARNING(
                    f"{notice.comments} comment(s) await moderation but no moderator has an "
                    "email address; set NEWSROOM_EDITOR_EMAILS or give editors one. Nothing sent."
                )
            )
        else:
            verb = "Notified" if notice.sent else "Would notify"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {notice.recipients} moderator(s) of {notice.comments} comment(s)."
                )
            )
