"""Draw the site's PNG and ICO icons from the favicon's shapes (newsroom/icons.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.icons import write_icons


class Command(BaseCommand):
    help = "Write the favicon.ico, Apple touch icon and web manifest icons (commit them)."

    def handle(self, *args, **options):
        for path in write_icons():
            if options["verbosity"] >= 1:
                self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")
