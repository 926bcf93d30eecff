"""
What changed between two revisions of an article, field by field and inline by inline.

A revision (django-reversion) holds the article with its byline, FAQ items, related links and
tag links, as registered in models.py. Revisions saved by bulk actions before each
article got its own hold several articles, so rows are picked by the article they belong to, both
to compare and to roll back.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join
from taggit.models import Tag, TaggedItem

from .models import (
    REVISION_FOLLOW,
    Article,
    ArticleAuthor,
    Author,
    FaqItem,
    RelatedLink,
    Section,
)

ARTICLE_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "section",
    "status",
    "publish_at",
    "allow_comments",
    "seo_title",
    "seo_description",
]
LONG_TEXT_FIELDS = {"standfirst", "body"}
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


class ArticleState:
    """One revision's article and its inlines, as plain values ready to compare and show."""

    def __init__(self, version):
        self.article_id = int(version.object_id)
        self.fields = version.field_dict
        versions = version.revision.version_set.select_related("content_type")
        # The article first, then the rows that point to it.
        self.versions = sorted(
            (v for v in versions if self.owns(v)),
            key=lambda v: v.content_type.model_class() is not Article,
        )

    def owns(self, version):
        """Whether `version` is of this article or of one of its own inline rows."""
        model = version.content_type.model_class()
        if model is Article:
            return int(version.object_id) == self.article_id
        if model not in FOLLOWED:
            return False
        row = version.field_dict
        if model is TaggedItem:
            owner = (row.get("content_type_id"), str(row.get("object_id")))
            return owner == (ContentType.objects.get_for_model(Article).pk, str(self.article_id))
        return row.get("article_id") == self.article_id

    def rows(self, model):
        rows = [v.field_dict for v in self.versions if v.content_type.model_class() is model]
        return sorted(rows, key=lambda row: (row.get("order", 0), row.get("id") or 0))

    def field_value(self, name):
        value = self.fields.get(name) if name != "section" else self.fields.get("section_id")
        if name == "section":
            return _names(Section, [value], "name").get(value, "—") if value else "—"
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


def compare(older, newer):
    """The Comparison of two Versions of the same article."""
    before, after = ArticleState(older), ArticleState(newer)
    changes, unchanged = [], []
    for name in ARTICLE_FIELDS:
        label = Article._meta.get_field(name).verbose_name.capitalize()
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


def revert_article(version, *, delete=False):
    """
    Roll the article back to `version` with its own byline, FAQ, related links and tag links,
    leaving alone any other article the revision holds. With `delete`, the rows the article has
    gained since are deleted, as django-reversion's Revision.revert(delete=True) does.
    """
    state = ArticleState(version)
    article = Article.objects.filter(pk=state.article_id).first()
    if delete and article is not None:
        for model, accessor in FOLLOWED.items():
            kept = [v.object_id for v in state.versions if v.content_type.model_class() is model]
            getattr(article, accessor).exclude(pk__in=kept).delete()
    for own in state.versions:
        own.revert()
