"""Create a writer's or an editor's account for a named person, with their byline profile."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from desk.services import ROLE_GROUPS, staff_account_create


class Command(BaseCommand):
    help = (
        "Create a staff account in the Writers or Editors group for a named person, and link "
        "it to their author profile (created if missing). Without --password a random one is "
        "generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The person's name as it appears in bylines.")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_GROUPS))
        parser.add_argument(
            "--username",
            help="Login name; when omitted, the name and six random characters (ana.silva.k7m2qx), "
            "so that it cannot be guessed from a byline.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--title", default="", help="Job title for the byline.")
        parser.add_argument("--password", help="Initial password; generated when omitted.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, then save nothing."
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                account = staff_account_create(
                    name=options["name"],
                    role=options["role"],
                    username=options["username"],
                    email=options["email"],
                    password=options["password"],
                    title=options["title"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("The password is too weak: " + " ".join(exc.messages)) from None

        user = account.user
        prefix = "Dry run, nothing saved: would create" if options["dry_run"] else "Created"
        profile = "new author profile" if account.author_created else "existing author profile"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {options['role']} account '{user.username}' for {account.author.name} "
                f"({profile} “{account.author.slug}”)."
            )
        )
        if not options["password"] and not options["dry_run"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Password: {account.password}\n"
                    "It is shown only this once; they can change it at "
                    f"{reverse('admin:password_change')}."
                )
            )
