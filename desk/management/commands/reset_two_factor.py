"""Turn off someone's two-factor login, when they have lost both their phone and their recovery
codes: their authenticator and codes are removed, and they log in with their password alone,
then set up again (at once, if two-factor login is required of them)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from desk.twofactor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator app and recovery codes, so that they can log in "
        "with their password and set up two-factor login again. Check who is asking first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The login name of the account to reset.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; remove nothing."
        )

    def handle(self, *args, username, dry_run, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account has the username {username!r}.")
        with transaction.atomic():
            removed = two_factor_reset(user=user)
            if dry_run:
                transaction.set_rollback(True)
        devices = f"{removed} device{'s' if removed != 1 else ''}"
        if dry_run:
            self.stdout.write(f"Dry run: would remove {devices} of {username}.")
        elif options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"{devices} removed: {username} now logs in with the password.")
            )
