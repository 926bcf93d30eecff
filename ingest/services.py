"""
The one write every importer ends in: an article created or updated from its source, with a
revision, its import record, and the editors' changes protected.

A re-import compares three states of each field the source sets: what the import wrote last time
(kept on the ImportRecord), the article as it stands, and what the source says now. A field an
editor changed since is a conflict when the source changed it too: the article is left alone
(and the conflict listed) unless `force`. A field only the editor changed keeps the editor's
version; a field only the source changed is updated.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, FaqItem
from articles.services import article_touch
from articles.slugs import unique_slug
from desk import checklist

from .models import ImportRecord, LegacyAddress

SLUG_MAX = Article._meta.get_field("slug").max_length


def text_fingerprint(text):
    """The same text whatever its spacing and line endings."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


@dataclass
class Incoming:
    """What a source says of one article. None means "the source does not say": the article's
    value is left as it is (a file without a byline keeps the article's authors)."""

    key: str
    format: str
    source: str
    headline: str
    body: str
    standfirst: str = ""
    bylines: list | None = None
    credit: str = ""
    faq: list | None = None
    section: object = None
    tags: list | None = None
    status: str | None = None
    publish_at: datetime | None = None
    published_at: datetime | None = None
    slug: str = ""
    allow_comments: bool | None = None
    fingerprint: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    article: Article | None
    outcome: str  # created, updated, unchanged, conflict or duplicate
    conflicts: list = field(default_factory=list)  # fields an editor changed
    replaced: list = field(default_factory=list)  # "headline “A” → “B”", for the dry run
    not_published: list = field(default_factory=list)  # checklist failures of --publish
    duplicate_of: str = ""
    record: ImportRecord | None = None
    parsed: object = None  # what the importer read, for its notes

    @property
    def changed(self):
        return self.outcome in ("created", "updated")


def author_for(name):
    """The author of that name (in any case), created if there is none."""
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        slug = unique_slug(name, queryset=Author.objects.all(), fallback="author")
        author = Author.objects.create(name=name, slug=slug)
    return author


def article_state(article):
    """Each field an import may set, as plain values that compare and store as JSON."""
    if article.pk is None:
        return {}
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "authors": [
            link.author.name.casefold() for link in article.author_links.select_related("author")
        ],
        "faq": [[item.question, item.answer] for item in article.faq_items.all()],
        "section": article.section.name if article.section_id else None,
        "tags": sorted(article.tags.names(), key=str.lower),
        "status": article.status,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "allow_comments": article.allow_comments,
    }


def wanted_state(incoming):
    wanted = {"headline": incoming.headline, "standfirst": incoming.standfirst}
    wanted["body"] = incoming.body
    if incoming.bylines:
        # One byline entry per person: "Ana Silva, ANA SILVA" is one author.
        wanted["authors"] = list(dict.fromkeys(name.casefold() for name in incoming.bylines))
    if incoming.faq is not None:
        wanted["faq"] = [list(pair) for pair in incoming.faq]
    if incoming.section is not None:
        wanted["section"] = incoming.section.name
    if incoming.tags is not None:
        wanted["tags"] = sorted(dict.fromkeys(incoming.tags), key=str.lower)
    if incoming.status is not None:
        wanted["status"] = incoming.status
        wanted["publish_at"] = incoming.publish_at.isoformat() if incoming.publish_at else None
    if incoming.allow_comments is not None:
        wanted["allow_comments"] = incoming.allow_comments
    return wanted


def duplicate_record(incoming):
    if not incoming.fingerprint:
        return None
    return (
        ImportRecord.objects.filter(fingerprint=incoming.fingerprint)
        .exclude(key=incoming.key)
        .first()
    )


def describe_replacements(current, changes):
    replaced = []
    for name in ("headline", "section"):
        if name in changes and current.get(name) and current[name] != changes[name]:
            replaced.append(f"{name} “{current[name]}” → “{changes[name]}”")
    return replaced


def apply_changes(article, incoming, changes):
    for name in ("headline", "standfirst", "body", "status", "allow_comments"):
        if name in changes:
            setattr(article, name, changes[name])
    if "section" in changes:
        article.section = incoming.section
    if "publish_at" in changes:
        article.publish_at = incoming.publish_at
    created = article.pk is None
    if created:
        if incoming.slug:
            others = Article.objects.all()
            article.slug = unique_slug(
                incoming.slug[:SLUG_MAX], queryset=others, fallback="article"
            )
        if incoming.published_at and changes.get("status") == Article.Status.PUBLISHED:
            # A migrated article keeps the date it was first published.
            article.published_at = incoming.published_at
    article.save()
    if "authors" in changes:
        by_name = {name.casefold(): name for name in reversed(incoming.bylines)}
        authors = [author_for(by_name[name]) for name in changes["authors"]]
        if not created:
            ArticleAuthor.objects.filter(article=article).delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author=author, order=order)
            for order, author in enumerate(dict.fromkeys(authors))
        )
    if "faq" in changes:
        if not created:
            article.faq_items.all().delete()
        FaqItem.objects.bulk_create(
            FaqItem(article=article, question=q, answer=a, order=order)
            for order, (q, a) in enumerate(changes["faq"])
        )
    if "tags" in changes:
        article.tags.set(changes["tags"])


def publish_if_ready(article, *, now=None):
    """Publish a saved draft if it passes the pre-publish checklist; else the failures."""
    if article.status in Article.PUBLIC_STATUSES:
        return []
    report = checklist.run(checklist.Draft.of_article(article, goes_live=now))
    if not report.passed:
        return report.failures
    article.status = Article.Status.PUBLISHED
    article.save()
    return []


@transaction.atomic
def article_import(*, incoming, force=False, publish=False, skip_duplicates=False, now=None):
    """Create or update the article `incoming` describes; see the module docstring. A new key
    whose text was imported before under another key is reported as a duplicate, and imported
    all the same unless `skip_duplicates` (two agencies may send the same story)."""
    now = now or timezone.now()
    record = ImportRecord.objects.select_related("article").filter(key=incoming.key).first()
    duplicate_of = ""
    if record is None and (other := duplicate_record(incoming)):
        if skip_duplicates:
            return ImportResult(other.article, "duplicate", duplicate_of=other.key, record=other)
        duplicate_of = other.key

    article = record.article if record else Article()
    wanted = wanted_state(incoming)
    current = article_state(article)
    if record is not None:
        last = {name: record.imported.get(name, current[name]) for name in wanted}
        edited = [name for name in wanted if current[name] != last[name]]
        # Changed by an editor and by the source since, to different values.
        conflicts = [n for n in edited if wanted[n] != last[n] and wanted[n] != current[n]]
        if conflicts and not force:
            return ImportResult(article, "conflict", conflicts=conflicts, record=record)
        if force:
            changes = {n: v for n, v in wanted.items() if v != current[n]}
        else:
            changes = {n: v for n, v in wanted.items() if v != last[n] and v != current[n]}
    else:
        last, changes = {}, dict(wanted)
        changes.setdefault("status", Article.Status.DRAFT)

    result = ImportResult(
        article, "created" if record is None else "updated", record=record,
        duplicate_of=duplicate_of,
    )  # fmt: skip
    result.replaced = describe_replacements(current, changes)
    publishing = publish and article.status not in Article.PUBLIC_STATUSES
    if not changes and not publishing:
        result.outcome = "unchanged"
        return result

    with reversion.create_revision(atomic=False):
        reversion.set_comment(f"Imported from {incoming.source}")
        since = article.reader_view() if article.pk else None
        apply_changes(article, incoming, changes)
        if publishing:
            result.not_published = publish_if_ready(article, now=now)
        if since is not None:
            article_touch(article=article, since=since, now=now)

    # What the import stands for now: the source's value where it was applied (or already
    # agreed), the last import's where an editor's change was kept.
    imported = {
        name: value if name in changes or force or value == current.get(name) else last[name]
        for name, value in wanted.items()
    }
    if record is None:
        record = ImportRecord(key=incoming.key, article=article)
    record.format = incoming.format
    record.source = incoming.source[:1000]
    record.fingerprint = incoming.fingerprint
    record.credit = incoming.credit[:200]
    record.details = incoming.details
    record.imported = imported
    record.imported_at = now
    record.save()
    result.record = record
    return result


def detected_links(body):
    """(address, text) of each link the body's Markdown makes, as the checklist reads them."""
    return [(href, text) for href, text in checklist.body_links(body) if href]


def legacy_addresses_add(*, paths, article):
    """Send readers of each of `paths`, addresses on the old site, to `article`. Returns
    {path: "created", "kept" (it did already) or "taken" (it leads to another article, which
    keeps it)}."""
    existing = dict(LegacyAddress.objects.filter(path__in=paths).values_list("path", "article_id"))
    LegacyAddress.objects.bulk_create(
        LegacyAddress(path=path, article=article) for path in paths if path not in existing
    )
    return {
        path: "created" if path not in existing
        else "kept" if existing[path] == article.pk else "taken"
        for path in paths
    }  # fmt: skip
