"""Make every rendition the library is missing: for production without a task worker (the
`dummy` task backend), run from cron; pages also make missing ones on first show."""

from django.core.management.base import BaseCommand

from images.models import Image
from images.services import renditions_make


class Command(BaseCommand):
    help = "Make the renditions that library images are missing (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, make nothing.")

    def handle(self, *args, dry_run=False, **options):
        made = images = 0
        for image in Image.objects.with_renditions().iterator(chunk_size=100):
            have = {r.fingerprint for r in image.renditions.all()}
            missing = [s for s in image.rendition_specs() if s.fingerprint not in have]
            if not missing:
                continue
            images += 1
            made += len(missing) if dry_run else len(renditions_make(image=image))
        if options["verbosity"]:
            verb = "Would make" if dry_run else "Made"
            self.stdout.write(self.style.SUCCESS(f"{verb} {made} renditions for {images} images."))
