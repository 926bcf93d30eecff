"""Import plain-text articles in the seed format; re-running updates them in place."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.services import section_named
from ingest.importing import (
    ArticleFormatError,
    DuplicateKeyError,
    article_files,
    import_article,
)


class Command(BaseCommand):
    help = (
        "Import plain-text articles (files, or folders of .txt files). Each file is imported in "
        "one transaction. A file's name without .txt is its article's key: a file already "
        "imported is updated, not duplicated, and two files of the same name in different "
        "folders are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Article files or folders holding .txt files.")
        parser.add_argument(
            "--section", help="File the articles in this section (created if missing)."
        )
        parser.add_argument("--tags", help="Comma-separated tags to set on the articles.")
        parser.add_argument("--publish", action="store_true", help="Publish the articles now.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has articles (used by `make run`).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report, then roll back."
        )

    def handle(self, *paths, **options):
        paths = options["paths"]
        if options["if_empty"] and Article.objects.exists():
            self.stdout.write("Articles exist already; nothing imported.")
            return
        try:
            files = article_files(paths)
        except DuplicateKeyError as exc:
            raise CommandError(str(exc)) from None
        if not files:
            raise CommandError(f"No .txt files found in {', '.join(paths)}.")
        tags = None
        if options["tags"] is not None:
            tags = [tag.strip() for tag in options["tags"].split(",") if tag.strip()]

        counts = {"created": 0, "updated": 0, "unchanged": 0}
        errors = []
        for path in files:
            try:
                with transaction.atomic():
                    section = section_named(options["section"]) if options["section"] else None
                    result = import_article(
                        path, section=section, tags=tags, publish=options["publish"]
                    )
                    if options["dry_run"]:
                        transaction.set_rollback(True)
            except ArticleFormatError as exc:
                errors.append(str(exc))
                self.stderr.write(self.style.ERROR(str(exc)))
                continue
            except OSError as exc:
                errors.append(f"{path}: {exc.strerror}")
                self.stderr.write(self.style.ERROR(f"{path}: {exc.strerror}"))
                continue
            outcome = "created" if result.created else "updated" if result.changed else "unchanged"
            counts[outcome] += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"{outcome}: {path} → {result.article.headline}")

        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{summary}."))
        if errors:
            raise CommandError(f"{len(errors)} file(s) could not be imported.")
