"""
The one write every importer ends in: an article created or updated from its source, with a
revision, its import record, and the editors' changes protected.

A re-import compares three states of each field the source sets: what the import wrote last time
(kept on the ImportRecord), the article as it stands, and what the source says now. A field an
editor changed since is a conflict when the source changed it too: the article is left alone
(and the conflict listed) unless `force`. A field only the editor changed keeps the editor's
version; a field only the source changed is updated.

`articles_import` does the same for many sources at once (a WordPress export), creating the new
articles together in a few queries rather than a few dozen each.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Upper
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Author, FaqItem
from articles.services import article_touch, articles_create, section_named, tag_named
from articles.slugs import unique_slug, unique_slugs
from desk import checklist
from desk.revisions import revisions_create

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
    lead_image: int | None = None  # a library image's id
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
        "lead_image": article.lead_image_id,
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
    if incoming.lead_image is not None:
        wanted["lead_image"] = incoming.lead_image
    return wanted


def duplicate_record(incoming):
    if not incoming.fingerprint:
        return None
    return (
        ImportRecord.objects.filter(fingerprint=incoming.fingerprint)
        .exclude(key=incoming.key)
        .first()
    )


def paragraphs_of(*texts):
    """The paragraphs of five words or more in `texts`, whatever their spacing and case."""
    return {
        " ".join(paragraph.split()).casefold()
        for text in texts
        for paragraph in (text or "").split("\n\n")
        if len(paragraph.split()) >= 5
    }


def another_story(last, incoming):
    """Whether a file brings a different story under a key imported before (two agencies'
    001.txt, imported in two runs without --key-prefix): another headline, and not one
    paragraph in common with what the import last wrote."""
    if not last.get("headline") or last["headline"].casefold() == incoming.headline.casefold():
        return False
    before = paragraphs_of(last.get("standfirst"), last.get("body"))
    now = paragraphs_of(incoming.standfirst, incoming.body)
    return bool(before and now) and not before & now


def describe_replacements(current, changes):
    replaced = []
    for name in ("headline", "section"):
        if name in changes and current.get(name) and current[name] != changes[name]:
            replaced.append(f"{name} “{current[name]}” → “{changes[name]}”")
    return replaced


def set_fields(article, incoming, changes):
    """Set the article's own fields in `changes` (bylines, FAQ and tags are rows of their own)."""
    for name in ("headline", "standfirst", "body", "status", "allow_comments"):
        if name in changes:
            setattr(article, name, changes[name])
    if "section" in changes:
        article.section = incoming.section
    if "publish_at" in changes:
        article.publish_at = incoming.publish_at
    if "lead_image" in changes:
        article.lead_image_id = changes["lead_image"]
    published = incoming.published_at and changes.get("status") == Article.Status.PUBLISHED
    if article.pk is None and published:
        # A migrated article keeps the date it was first published.
        article.published_at = incoming.published_at


def byline_names(incoming, changes):
    """The names on the byline `changes` asks for, each as the source first wrote it."""
    by_name = {name.casefold(): name for name in reversed(incoming.bylines)}
    return [by_name[name] for name in changes["authors"]]


def apply_changes(article, incoming, changes):
    created = article.pk is None
    set_fields(article, incoming, changes)
    if created and incoming.slug:
        others = Article.objects.all()
        article.slug = unique_slug(incoming.slug[:SLUG_MAX], queryset=others, fallback="article")
    article.save()
    if "authors" in changes:
        authors = [author_for(name) for name in byline_names(incoming, changes)]
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
    record = (
        ImportRecord.objects.select_related("article__section").filter(key=incoming.key).first()
    )
    duplicate_of = ""
    if record is None and (other := duplicate_record(incoming)):
        if skip_duplicates:
            return ImportResult(other.article, "duplicate", duplicate_of=other.key, record=other)
        duplicate_of = other.key

    article = record.article if record else Article()
    # File names are a weak identity: a different story under one is refused, not written over.
    last = record.imported if record else {}
    if not force and incoming.format == "text" and another_story(last, incoming):
        old = last["headline"]
        return ImportResult(article, "collision", record=record,
                            replaced=[f"headline “{old}” → “{incoming.headline}”"])  # fmt: skip
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
    record = record_fill(record or ImportRecord(article=article), incoming, imported, now)
    record.save()
    result.record = record
    return result


def record_fill(record, incoming, imported, now):
    record.key = incoming.key
    record.format = incoming.format
    record.source = incoming.source[:1000]
    record.fingerprint = incoming.fingerprint
    record.credit = incoming.credit[:200]
    record.details = incoming.details
    record.imported = imported
    record.imported_at = now
    return record


class Names:
    """Sections, authors and tags by name for one import run: each looked up, or made, once
    (while fewer than KEPT are kept: a site with more tags costs a few more queries, not
    memory growing with the export)."""

    KEPT = 10_000

    def __init__(self):
        self.found = {}

    def _get(self, kind, name):
        if (kind, name) not in self.found:
            if len(self.found) >= self.KEPT:
                self.found.clear()
            self.found[kind, name] = kind(name)
        return self.found[kind, name]

    def section(self, name):
        return self._get(section_named, name)

    def author(self, name):
        return self._get(author_for, name)

    def tag(self, name):
        return self._get(tag_named, name)

    def find_tags(self, names):
        """Look up, or make, the tags of `names` not known yet, together: two or three queries
        for any number, where tag_named takes one each and taggit's save three more to make
        one. A name taggit might match differently (not ASCII), or whose slug is taken, is
        left to tag_named."""
        wanted = {}
        for name in names:
            if (tag_named, name) not in self.found and name.isascii() and name.strip():
                wanted.setdefault(name.upper(), []).append(name)
        if not wanted:
            return
        if len(self.found) + len(names) >= self.KEPT:
            self.found.clear()
        found = {}
        existing = Tag.objects.annotate(upper=Upper("name")).filter(upper__in=list(wanted))
        for tag in existing.order_by("pk"):
            found.setdefault(tag.upper, tag)
        new = {}
        for upper, spellings in wanted.items():
            if upper not in found:
                tag = Tag(name=spellings[0])
                tag.slug = tag.slugify(tag.name)
                if tag.slug:
                    new.setdefault(tag.slug, tag)  # two names, one slug: the second waits
        taken = set(Tag.objects.filter(slug__in=list(new)).values_list("slug", flat=True))
        made = Tag.objects.bulk_create(tag for slug, tag in new.items() if slug not in taken)
        found.update((tag.name.upper(), tag) for tag in made)
        for upper, tag in found.items():
            for name in wanted.get(upper, ()):
                self.found[tag_named, name] = tag


@transaction.atomic
def articles_import(*, incomings, force=False, names=None, now=None):
    """
    article_import for each of `incomings`, in order (without its `publish` and
    `skip_duplicates`); returns their ImportResults. Sources imported before go through
    article_import one by one; the new ones are created together, each with its revision, in
    a few queries for any number. `names` (a Names) keeps the authors and tags it finds for the
    next call.
    """
    now = now or timezone.now()
    names = names or Names()
    known = set(
        ImportRecord.objects.filter(key__in=[i.key for i in incomings]).values_list(
            "key", flat=True
        )
    )
    new, again = {}, []
    for incoming in incomings:
        if incoming.key in known or incoming.key in new:
            again.append(incoming)  # a key twice in one call: the second updates the first
        else:
            new[incoming.key] = incoming
    results = {}
    for incoming in (i for i in again if i.key in known):
        results[id(incoming)] = article_import(incoming=incoming, force=force, now=now)
    created = articles_create_imported(incomings=list(new.values()), names=names, now=now)
    results.update(zip(map(id, new.values()), created, strict=True))
    for incoming in (i for i in again if i.key not in known):
        results[id(incoming)] = article_import(incoming=incoming, force=force, now=now)
    return [results[id(incoming)] for incoming in incomings]


def latest_with_fingerprints(fingerprints):
    """{fingerprint: key of the record imported last with it}, for duplicate_record."""
    latest = Window(
        RowNumber(), partition_by=F("fingerprint"), order_by=ImportRecord._meta.ordering
    )
    return dict(
        ImportRecord.objects.filter(fingerprint__in=fingerprints)
        .annotate(latest=latest)
        .filter(latest=1)
        .values_list("fingerprint", "key")
    )


def articles_create_imported(*, incomings, names, now):
    """What article_import does for sources never imported, for all of `incomings` at once."""
    if not incomings:
        return []
    earlier = latest_with_fingerprints({i.fingerprint for i in incomings if i.fingerprint})
    slugs = unique_slugs(
        [incoming.slug[:SLUG_MAX] or incoming.headline for incoming in incomings],
        queryset=Article.objects.all(),
        fallback="article",
    )
    names.find_tags([name for incoming in incomings for name in incoming.tags or ()])
    articles, authors, tags, faqs, results = [], [], [], [], []
    for incoming, slug in zip(incomings, slugs, strict=True):
        wanted = wanted_state(incoming)
        changes = {"status": Article.Status.DRAFT, **wanted}
        article = Article(slug=slug)
        set_fields(article, incoming, changes)
        articles.append(article)
        authors.append(
            [names.author(name) for name in byline_names(incoming, changes)]
            if "authors" in changes else []
        )  # fmt: skip
        tags.append([names.tag(name) for name in changes.get("tags", [])])
        faqs.append(changes.get("faq", []))
        record = record_fill(ImportRecord(article=article), incoming, wanted, now)
        duplicate_of = earlier.get(incoming.fingerprint, "") if incoming.fingerprint else ""
        results.append(ImportResult(article, "created", duplicate_of=duplicate_of, record=record))
        if incoming.fingerprint:
            earlier[incoming.fingerprint] = incoming.key
    articles_create(articles=articles, authors=authors, tags=tags, faqs=faqs)
    revisions_create(
        articles=articles,
        comments=[f"Imported from {incoming.source}" for incoming in incomings],
        date_created=now,
    )
    ImportRecord.objects.bulk_create(result.record for result in results)
    return results


def detected_links(body):
    """(address, text) of each link the body's Markdown makes, as the checklist reads them."""
    return [(href, text) for href, text in checklist.body_links(body) if href]


def legacy_addresses_add(*, claims):
    """Send readers of addresses on the old site to the articles they lead to now: `claims` is
    a list of (paths, article), an earlier claim to a path winning. Returns for each claim
    {path: "created", "kept" (it did already) or "taken" (it leads to another article, which
    keeps it)}."""
    owners = dict(
        LegacyAddress.objects.filter(path__in={path for paths, _ in claims for path in paths})
        .values_list("path", "article_id")
    )  # fmt: skip
    new, outcomes = [], []
    for paths, article in claims:
        outcome = {}
        for path in paths:
            if path not in owners:
                owners[path] = article.pk
                new.append(LegacyAddress(path=path, article=article))
                outcome[path] = "created"
            else:
                outcome[path] = "kept" if owners[path] == article.pk else "taken"
        outcomes.append(outcome)
    LegacyAddress.objects.bulk_create(new)
    return outcomes
