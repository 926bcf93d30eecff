"""Give the seed and demo articles their generated lead images and the publisher its generated
logo (newsroom/seed_pictures.py); `make run` runs it after importing the seeds."""

from django.core.management.base import BaseCommand

from newsroom.seed_pictures import illustrate_seeds


class Command(BaseCommand):
    help = (
        "Add the generated seed pictures to the picture library and, the first time, make them "
        "the seed and demo articles' lead images and the logo the publisher's (safe to re-run: "
        "once the pictures are there, nothing is changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done.")

    def handle(self, *args, dry_run=False, **options):
        counts = illustrate_seeds(dry_run=dry_run)
        if options["verbosity"]:
            verb = "Would add" if dry_run else "Added"
            self.stdout.write(self.style.SUCCESS(
                f"{verb} {counts.pictures} pictures; {counts.articles} articles given a lead "
                f"image; publisher logo {'set' if counts.logo else 'unchanged'}."
            ))  # fmt: skip
