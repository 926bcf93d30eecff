"""Add the project's own generated pictures (images/seeds.py) to the picture library.

Re-runs add only what is missing, found by title. `--out DIR` also writes the JPEG files.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from images.seeds import SEED_PICTURES, jpeg_bytes, seed_images


class Command(BaseCommand):
    help = "Add the generated seed pictures to the picture library (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be added.")
        parser.add_argument("--out", type=Path, help="Also write the pictures to this folder.")

    def handle(self, *args, dry_run=False, out=None, **options):
        if out and not dry_run:
            out.mkdir(parents=True, exist_ok=True)
            for seed in SEED_PICTURES:
                (out / f"{seed.slug}.jpg").write_bytes(jpeg_bytes(seed))
        counts = seed_images(dry_run=dry_run)
        if options["verbosity"]:
            verb = "Would add" if dry_run else "Added"
            self.stdout.write(self.style.SUCCESS(
                f"{verb} {counts['created']} seed pictures; {counts['skipped']} already there."
            ))  # fmt: skip
