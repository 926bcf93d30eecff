"""Import a WordPress export (WXR 1.1/1.2): posts, authors, categories, tags, comments, old
addresses and, from a copy of the uploads folder, pictures; a second run changes nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.reports import write_summary
from ingest.wordpress import WxrOptions, import_wxr


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (Tools › Export in WordPress). Posts become articles "
        "(publish → published, future → scheduled, pending → in review, draft and private → "
        "draft), comments keep their moderation status, and the posts' old addresses answer "
        "301. Posts are written 200 at a time, each batch in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--categories",
            choices=["sections", "tags"],
            default="sections",
            help="Make a post's first category its section and the rest tags (default), or "
            "make every category a tag.",
        )
        parser.add_argument(
            "--post-types",
            default="post",
            help="Comma-separated WordPress post types to import (default: post; add page).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite changes editors made in the CMS since the last import.",
        )
        parser.add_argument(
            "--uploads",
            metavar="DIR",
            help="A copy of the site's wp-content/uploads folder: the pictures posts show join "
            "the image library (featured images become lead images). Nothing is downloaded; "
            "without it, attachments are only recorded and reported.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and report, then roll back."
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        wxr_options = WxrOptions(
            post_types=tuple(t.strip() for t in options["post_types"].split(",") if t.strip()),
            categories_as=options["categories"],
            force=options["force"],
            dry_run=options["dry_run"],
            uploads=options["uploads"],
        )
        if options["uploads"] and not Path(options["uploads"]).is_dir():
            raise CommandError(f"--uploads {options['uploads']}: no such folder.")
        show_progress = options["verbosity"] >= 2 or (
            options["verbosity"] >= 1 and self.stdout.isatty()
        )
        try:
            summary = import_wxr(
                options["file"],
                options=wxr_options,
                progress=self.progress if show_progress else None,
            )
        except (OSError, SyntaxError) as exc:
            # ElementTree's ParseError is a SyntaxError: it names the line and column.
            raise CommandError(f"{options['file']}: {exc}") from None
        if show_progress:
            self.stdout.write("")
        write_summary(self, summary, dry_run=options["dry_run"])
        if summary.errors:
            raise CommandError(f"{len(summary.errors)} post(s) could not be imported.")

    def progress(self, done, total):
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush() if hasattr(self.stdout, "flush") else sys.stdout.flush()
