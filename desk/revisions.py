"""
Revisions of an article (django-reversion): what one holds, what changed between two, and
bringing one back.

A revision holds one article with its byline, FAQ items, related links and tag links, as
registered below. Related articles and tags themselves are not followed: bringing one article
back must never delete or change another article or a tag other articles share. Corrections are
not kept either: they are the public record of what changed, added to and never rolled back.
A bulk action saves every article it changes in one revision; `split_by_article` (connected in
DeskConfig.ready) makes that one revision per article. An importer creating many articles at
once saves their revisions together with `revisions_create`.
"""

import difflib
import json
import re
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import router, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from reversion.models import Revision, Version
from reversion.signals import post_revision_commit, pre_revision_commit
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleAuthor, Author, FaqItem, RelatedLink, Section
from images.models import Image

REVISION_FOLLOW = ["author_links", "faq_items", "related_links", "tagged_items"]
# Saves can be seconds apart (two people, or a save just after another): revisions show seconds.
REVISION_TIME_FORMAT = "j F Y, H:i:s T"
reversion.register(TaggedItem)
reversion.register(ArticleAuthor)
reversion.register(FaqItem)
reversion.register(RelatedLink)
# The comment count is the comments app's to keep: no revision holds or restores it.
ARTICLE_UNVERSIONED = ["comment_count"]
reversion.register(Article, follow=REVISION_FOLLOW, exclude=ARTICLE_UNVERSIONED)

ARTICLE_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "lead_image",
    "section",
    "status",
    "publish_at",
    "allow_comments",
    "seo_title",
    "seo_description",
    "kind",
    "dateline",
    "reporting_notes",
]
# What bringing a revision back restores: the words, the lead image and the filing. Never the
# publication state (status, schedule, publication and update times), which only the workflow
# moves.
RESTORED_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "lead_image",
    "section",
    "allow_comments",
    "seo_title",
    "seo_description",
    "kind",
    "dateline",
    "reporting_notes",
]
LONG_TEXT_FIELDS = {"standfirst", "body", "reporting_notes"}
# The rows a revision keeps with the article: {model: the article's accessor for them}.
FOLLOWED = {Article._meta.get_field(name).related_model: name for name in REVISION_FOLLOW}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    diff: str = ""  # word-level HTML diff for long texts


@dataclass
class InlineChange:
    label: str
    removed: list = field(default_factory=list)
    added: list = field(default_factory=list)
    kept: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.removed or self.added)


@dataclass
class Comparison:
    fields: list
    unchanged_fields: list
    inlines: list

    @property
    def changed(self):
        return bool(self.fields) or any(inline.changed for inline in self.inlines)


def _names(model, ids, attribute):
    return dict(model.objects.filter(pk__in=set(ids)).values_list("pk", attribute))


def article_owning(version, *, article_type_id, tagged_item_type_id):
    """The id of the article `version` (a Version, or a historical model's row) belongs to, or
    None. Read from the stored JSON, so that migrations can use it too."""
    if version.content_type_id == article_type_id:
        return int(version.object_id)
    fields = json.loads(version.serialized_data)[0]["fields"]
    if version.content_type_id == tagged_item_type_id:
        return int(fields["object_id"]) if fields["content_type"] == article_type_id else None
    return fields.get("article")


def _stored_fields(version):
    """The article's fields as `version` stored them (attnames). django-reversion fills a field
    the stored data lacks (a revision saved before the field existed, such as the lead image,
    the kind or the dateline) with its default; that default was never the article's, so it is
    left out: bringing the revision back keeps the article's value, and a comparison shows no
    change."""
    stored = json.loads(version.serialized_data)[0]["fields"]
    present = {"id"}
    for name in stored:
        try:
            present.add(Article._meta.get_field(name).attname)
        except FieldDoesNotExist:  # a field removed since
            continue
    return {name: value for name, value in version.field_dict.items() if name in present}


class ArticleState:
    """An article and its inline rows as plain values (field attnames), ready to compare and
    show: as one revision holds them, or as they stand now."""

    def __init__(self, article_id, fields, rows, versions=()):
        self.article_id = article_id
        self.fields = fields
        self.row_lists = rows  # {model: [row dict]}
        self.versions = list(versions)  # the Versions it was read from, if any

    @classmethod
    def of_version(cls, version):
        article_id = int(version.object_id)
        owner_types = {
            "article_type_id": ContentType.objects.get_for_model(Article).pk,
            "tagged_item_type_id": ContentType.objects.get_for_model(TaggedItem).pk,
        }
        versions = [
            v
            for v in version.revision.version_set.select_related("content_type")
            if v.content_type.model_class() in (Article, *FOLLOWED)
            and article_owning(v, **owner_types) == article_id
        ]
        rows = {model: [] for model in FOLLOWED}
        for v in versions:
            if (model := v.content_type.model_class()) in rows:
                rows[model].append(v.field_dict)
        return cls(article_id, _stored_fields(version), rows, versions)

    @classmethod
    def of_article(cls, article):
        fields = {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}
        rows = {
            model: list(getattr(article, accessor).values()) for model, accessor in FOLLOWED.items()
        }
        return cls(article.pk, fields, rows)

    def rows(self, model):
        rows = self.row_lists.get(model, [])
        return sorted(rows, key=lambda row: (row.get("order", 0), row.get("id") or 0))

    def field_value(self, name):
        value = self.fields.get(Article._meta.get_field(name).attname)
        if name == "section":
            return _names(Section, [value], "name").get(value, "—") if value else "—"
        if name == "lead_image":
            if not value:
                return "—"
            image = Image.objects.filter(pk=value).only("title", "file").first()
            return str(image) if image else f"image #{value}"
        if name == "status":
            return Article.Status(value).label if value else "—"
        if name == "publish_at":
            return value.strftime("%Y-%m-%d %H:%M %Z") if value else "—"
        if name == "allow_comments":
            return "Yes" if value else "No"
        return value or ""

    def inline_items(self):
        authors = self.rows(ArticleAuthor)
        author_names = _names(Author, [row["author_id"] for row in authors], "name")
        related = self.rows(RelatedLink)
        headlines = _names(Article, [row["target_id"] for row in related], "headline")
        tags = self.rows(TaggedItem)
        tag_names = _names(Tag, [row["tag_id"] for row in tags], "name")
        return {
            "Byline": [
                author_names.get(r["author_id"], f"author #{r['author_id']}") for r in authors
            ],
            "FAQ": [f"{r['question']} — {r['answer']}" for r in self.rows(FaqItem)],
            "Related articles": [
                headlines.get(r["target_id"], f"article #{r['target_id']}") for r in related
            ],
            "Tags": sorted(tag_names.get(r["tag_id"], f"tag #{r['tag_id']}") for r in tags),
        }


def word_diff(before, after):
    """HTML marking removed words with <del> and added ones with <ins>; everything escaped."""
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("{}", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("<ins>{}</ins>", "".join(new[j1:j2])))
    return format_html_join("", "{}", ((format_html(fmt, text),) for fmt, text in parts))


def compare(before, after, *, fields=ARTICLE_FIELDS):
    """The Comparison of two ArticleStates of the same article."""
    changes, unchanged = [], []
    for name in fields:
        field = Article._meta.get_field(name)
        label = field.verbose_name.capitalize()
        if field.attname not in before.fields or field.attname not in after.fields:  # not stored
            unchanged.append(label)
            continue
        old, new = str(before.field_value(name)), str(after.field_value(name))
        if old == new:
            unchanged.append(label)
            continue
        diff = word_diff(old, new) if name in LONG_TEXT_FIELDS else ""
        changes.append(FieldChange(label=label, before=old, after=new, diff=diff))
    old_items, new_items = before.inline_items(), after.inline_items()
    inlines = []
    for label, old_list in old_items.items():
        new_list = new_items[label]
        inlines.append(
            InlineChange(
                label=label,
                removed=[item for item in old_list if item not in new_list],
                added=[item for item in new_list if item not in old_list],
                kept=[item for item in new_list if item in old_list],
            )
        )
    return Comparison(fields=changes, unchanged_fields=unchanged, inlines=inlines)


def _missing_targets(model, row):
    """What a stored row points at that no longer exists (an author, a related article, a tag)."""
    missing = []
    for fk in model._meta.concrete_fields:
        if not fk.many_to_one or fk.related_model is ContentType:
            continue
        value = row.get(fk.attname)
        if value is not None and not fk.related_model._default_manager.filter(pk=value).exists():
            missing.append(f"{fk.related_model._meta.verbose_name} #{value}")
    return missing


def restore(article, version):
    """
    Bring `version` of `article` back: its words, lead image and filing (RESTORED_FIELDS),
    byline, FAQ, related links and tags. Publication state and corrections stay as they are. What
    cannot come back (a picture, section, author or related article deleted since, a slug another
    article took) is left as it is now and returned as a list of sentences for the editor. The
    caller saves the revision.
    """
    state = ArticleState.of_version(version)
    left_out = []
    for model, accessor in FOLLOWED.items():
        kept = [v for v in state.versions if v.content_type.model_class() is model]
        getattr(article, accessor).exclude(pk__in=[v.object_id for v in kept]).delete()
        for row_version in kept:
            if missing := _missing_targets(model, row_version.field_dict):
                left_out.append(f"A {model._meta.verbose_name} pointing at {', '.join(missing)}.")
                continue
            row_version.revert()
    for name in RESTORED_FIELDS:
        field = Article._meta.get_field(name)
        if field.attname in state.fields:
            setattr(article, field.attname, state.fields[field.attname])
        else:
            left_out.append(
                f"{capfirst(field.verbose_name)}: this revision predates it, so the article "
                "keeps its current one."
            )
    if article.lead_image_id and not Image.objects.filter(pk=article.lead_image_id).exists():
        left_out.append(
            "The lead image, deleted from the library since: the article keeps its current one."
        )
        article.lead_image_id = _stored(article, "lead_image")
    if article.section_id and not Section.objects.filter(pk=article.section_id).exists():
        left_out.append("The section, deleted since: the article stays in its current one.")
        article.section_id = _stored(article, "section")
    if Article.objects.exclude(pk=article.pk).filter(slug=article.slug).exists():
        left_out.append(f"The address “{article.slug}”, now another article's.")
        article.slug = _stored(article, "slug")
    # Saved last, so that the new revision holds the rows as restored.
    article.save()
    return left_out


def _stored(article, name):
    """The value of field `name` that `article` has in the database now."""
    return Article.objects.values_list(name, flat=True).get(pk=article.pk)


def split_revision(revision, versions, *, revisions, article_type_id, tagged_item_type_id):
    """Give each article in `revision` beyond the first a revision of its own (same date, person
    and comment) holding its versions. `revisions` is the Revision model to create them with."""
    by_article = {}
    for version in versions:
        owner = article_owning(
            version, article_type_id=article_type_id, tagged_item_type_id=tagged_item_type_id
        )
        if owner is not None:
            by_article.setdefault(owner, []).append(version.pk)
    for pks in list(by_article.values())[1:]:
        own = revisions.objects.create(
            date_created=revision.date_created, user_id=revision.user_id, comment=revision.comment
        )
        type(versions[0]).objects.filter(pk__in=pks).update(revision=own)
    return len(by_article)


def split_by_article(sender, revision, versions, **kwargs):
    """post_revision_commit: one revision per article, so that each one's history stands alone."""
    if sum(v.content_type_id == _article_type_id() for v in versions) < 2:
        return
    split_revision(
        revision,
        list(Version.objects.filter(revision=revision)),
        revisions=Revision,
        article_type_id=_article_type_id(),
        tagged_item_type_id=ContentType.objects.get_for_model(TaggedItem).pk,
    )


def _article_type_id():
    return ContentType.objects.get_for_model(Article).pk


def _version(obj):
    """The Version reversion.add_to_revision() makes of `obj` (registered as above)."""
    fields = None  # all
    if isinstance(obj, Article):
        fields = [f.name for f in Article._meta.get_fields() if f.name not in ARTICLE_UNVERSIONED]
    return Version(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        db=router.db_for_write(type(obj), instance=obj),
        format="json",
        serialized_data=serializers.serialize("json", (obj,), fields=fields),
        object_repr=str(obj),
    )


@transaction.atomic
def revisions_create(*, articles, comments, date_created=None):
    """
    A revision for each of the saved `articles`, with the comment at the same place in
    `comments`, holding what reversion.create_revision() would save for it alone (the article
    and its rows in REVISION_FOLLOW): a few queries for any number of articles, where a
    revision each costs a dozen. Reversion's pre- and post-commit signals are sent for each.
    """
    prefetch_related_objects(
        articles, "author_links__author", "faq_items", "related_links__target",
        "tagged_items__tag",
    )  # fmt: skip
    date_created = date_created or timezone.now()
    revisions, versions = [], []
    for article, comment in zip(articles, comments, strict=True):
        rows = [article]
        for accessor in REVISION_FOLLOW:
            for row in getattr(article, accessor).all():
                if accessor == "tagged_items":
                    row.content_object = article  # its name shows the article: no query for it
                rows.append(row)
        revisions.append(Revision(date_created=date_created, comment=comment))
        versions.append([_version(row) for row in rows])
    for revision, own in zip(revisions, versions, strict=True):
        pre_revision_commit.send(sender=reversion.create_revision, revision=revision, versions=own)
    Revision.objects.bulk_create(revisions)
    for revision, own in zip(revisions, versions, strict=True):
        for version in own:
            version.revision = revision
    Version.objects.bulk_create(version for own in versions for version in own)
    for revision, own in zip(revisions, versions, strict=True):
        post_revision_commit.send(sender=reversion.create_revision, revision=revision, versions=own)
    return revisions


def revision_time(revision):
    """When `revision` was saved, in the site's time zone, to the second, with the zone named."""
    return date_format(timezone.localtime(revision.date_created), REVISION_TIME_FORMAT)
