"""What an import run did, counted and explained: the commands print it, the admin shows it."""

from collections import Counter
from dataclasses import dataclass, field

OUTCOMES = (
    "created", "updated", "unchanged", "conflict", "collision", "duplicate", "skipped", "failed",
)  # fmt: skip
OUTCOME_LABELS = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged",
    "conflict": "left alone (edited in the CMS)",
    "collision": "left alone (another story under the same key)",
    "duplicate": "duplicates of earlier text",
    "skipped": "skipped",
    "failed": "failed",
}


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # why items were skipped
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # worth an editor's look, not failures
    details: list = field(default_factory=list)  # how the copy was read, for verbose runs
    extra: Counter = field(default_factory=Counter)  # comments, redirects, attachments…

    def add(self, label, result):
        """Count one ImportResult for the item called `label`, noting what an editor should
        know about it."""
        self.counts[result.outcome] += 1
        if result.outcome == "conflict":
            self.notes.append(
                f"{label}: changed in the CMS since it was imported ({', '.join(result.conflicts)}"
                "); left alone, --force overwrites it"
            )
        elif result.outcome == "collision":
            self.notes.append(
                f"{label}: a different story from the one imported under its key before (no "
                f"paragraph in common); left alone rather than replace its {result.replaced[0]}. "
                "Give each source its own keys (--key-prefix, or import their common folder), or "
                "--force to replace it"
            )
        elif result.outcome == "duplicate":
            self.notes.append(f"{label}: the same text as {result.duplicate_of}; not imported")
        elif result.duplicate_of:
            self.extra["of them the same text as an earlier import"] += 1
            self.notes.append(
                f"{label}: the same text as {result.duplicate_of}; imported as its own "
                "article all the same (--skip-duplicates leaves such files out)"
            )
        for replacement in result.replaced:
            if result.outcome == "updated":
                self.notes.append(f"{label}: replaces the {replacement}")
        if result.not_published:
            self.notes.append(
                f"{label}: imported as a draft, not published: " + " ".join(result.not_published)
            )
        for note in getattr(result.parsed, "notes", ()):
            self.details.append(f"{label}: {note}")

    def skip(self, label, reason):
        self.counts["skipped"] += 1
        self.reasons[reason] += 1

    def fail(self, message):
        self.counts["failed"] += 1
        self.errors.append(message)

    def headline(self):
        parts = [f"{self.counts[o]} {OUTCOME_LABELS[o]}" for o in OUTCOMES if self.counts[o]]
        parts += [f"{n} {what}" for what, n in self.extra.items()]
        return ", ".join(parts) or "nothing to import"

    def lines(self):
        """The summary as lines: the counts first, then why items were skipped."""
        lines = [self.headline() + "."]
        for reason, n in self.reasons.most_common():
            lines.append(f"skipped {n}: {reason}")
        return lines


def write_summary(command, summary, *, dry_run=False, prefix=""):
    """Print `summary` the way every ingest command does: errors to stderr, what is worth an
    editor's look as warnings, then the counts (with -v 2, how the copy was read too)."""
    for error in summary.errors:
        command.stderr.write(command.style.ERROR(error))
    if command.verbosity >= 1:
        for note in summary.notes:
            command.stdout.write(command.style.WARNING(prefix + note))
    if command.verbosity >= 2:
        for detail in summary.details:
            command.stdout.write(prefix + detail)
    saved = "Dry run, nothing saved: " if dry_run else ""
    command.stdout.write(command.style.SUCCESS(saved + prefix + "\n".join(summary.lines())))
