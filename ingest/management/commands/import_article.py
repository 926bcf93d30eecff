"""Import plain-text articles; re-running updates them in place, never over an editor's change."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.services import section_named
from ingest.importing import MAX_BYTES, DuplicateKeyError, article_files, import_article
from ingest.plaintext import ArticleFormatError
from ingest.reports import Summary, write_summary


class Command(BaseCommand):
    help = (
        "Import plain-text articles (files, or folders searched for .txt files in any case). "
        "Each file is imported in one transaction. A file's key is its path inside the folder "
        "named (or its ID: line), after --key-prefix: a file imported before updates its "
        "article, unless an editor changed it since (--force overwrites)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Article files or folders holding .txt files.")
        parser.add_argument(
            "--section", help="File the articles in this section (created if missing)."
        )
        parser.add_argument("--tags", help="Comma-separated tags to set on the articles.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each article that passes the pre-publish checklist; the others stay "
            "drafts, with the reasons.",
        )
        parser.add_argument(
            "--key-prefix",
            default="",
            help="Put before every key, e.g. “reuters/”, so that two sources' 001.txt stay apart.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite changes editors made in the CMS since the last import.",
        )
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="Leave out a new file whose text was imported before under another name "
            "(by default it is imported and reported).",
        )
        parser.add_argument(
            "--no-headings",
            action="store_true",
            help="Make no section headings: every line stays a paragraph.",
        )
        parser.add_argument(
            "--encoding", help="The files' encoding, e.g. latin-1, when it is not UTF-8."
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=MAX_BYTES,
            help=f"Refuse files larger than this (default {MAX_BYTES:,}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has articles (used by `make run`).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report, then roll back."
        )

    def handle(self, *args, **options):
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

        summary = Summary()
        for entry in files:
            try:
                with transaction.atomic():
                    section = section_named(options["section"]) if options["section"] else None
                    result = import_article(
                        entry.path,
                        key=entry.key,
                        key_prefix=options["key_prefix"],
                        section=section,
                        tags=tags,
                        publish=options["publish"],
                        skip_duplicates=options["skip_duplicates"],
                        force=options["force"],
                        headings=not options["no_headings"],
                        encoding=options["encoding"],
                        max_bytes=options["max_bytes"],
                    )
                    if options["dry_run"]:
                        transaction.set_rollback(True)
            except ArticleFormatError as exc:
                summary.fail(str(exc))
                continue
            except OSError as exc:
                summary.fail(f"{entry.path}: {exc.strerror}")
                continue
            summary.add(str(entry.path), result)
            if options["verbosity"] >= 2:
                headline = result.article.headline if result.article else ""
                self.stdout.write(f"{result.outcome}: {entry.path} → {headline}")

        self.verbosity = options["verbosity"]
        write_summary(self, summary, dry_run=options["dry_run"])
        if summary.errors:
            raise CommandError(f"{len(summary.errors)} file(s) could not be imported.")
