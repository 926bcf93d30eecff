"""
What reader pages show beside an article's own row, read with SQL written once: bylines and tags
as plain values, one query for any number of articles, and the article page's FAQ and
corrections as model instances. A prefetch filters a queryset for every article it fills
(taggit's builds a Tag query for each), and the ORM builds each query's SQL afresh, which cost
more than running it: three to seven times the CPU of these (docs/benchmarks.md).

`with_bylines()` fills each article's `ordered_authors`, `with_tags()` its `shown_tags`; both
read as the model's own would (Article.ordered_authors, tags.all()) on pages and in templates.
`with_page_parts()` fills the article page's `faq_list` and `correction_list`.
"""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import Tag, TaggedItem

from .models import Article, ArticleAuthor, Author, Correction, FaqItem
from .paths import path_to


class Byline(NamedTuple):
    """An author as a byline shows them."""

    pk: int
    name: str
    slug: str
    title: str

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("articles:author", self.slug)


class ShownTag(NamedTuple):
    """A tag as an article's page and feeds show it."""

    pk: int
    name: str
    slug: str

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("articles:tag", self.slug)


# Plain columns of one table or one join, the same SQL on SQLite and PostgreSQL; the ids are
# bound parameters. tests/articles/test_plain.py compares each read with its ORM form.
BYLINES_SQL = """
    SELECT link.article_id, author.id, author.name, author.slug, author.title
    FROM {links} link INNER JOIN {authors} author ON link.author_id = author.id
    WHERE link.article_id IN ({ids})
    ORDER BY link."order", link.id
"""
TAGS_SQL = """
    SELECT item.object_id, tag.id, tag.name, tag.slug
    FROM {items} item INNER JOIN {tags} tag ON item.tag_id = tag.id
    WHERE item.content_type_id = %s AND item.object_id IN ({ids})
    ORDER BY item.tag_id
"""

# The article page's FAQ and corrections, as model instances (Model.objects.raw()).
FAQ_SQL = """
    SELECT id, article_id, question, answer, "order" FROM {faq}
    WHERE article_id = %s ORDER BY "order", id
"""
CORRECTIONS_SQL = """
    SELECT id, article_id, kind, note, created_at FROM {corrections}
    WHERE article_id = %s ORDER BY created_at DESC, id DESC
"""


def _table(model):
    return f'"{model._meta.db_table}"'


def _rows(sql, article_ids, *params, **tables):
    """The rows of `sql` for the articles `article_ids` (none asked for: no query)."""
    ids = [int(pk) for pk in article_ids]
    if not ids:
        return []
    names = {name: _table(model) for name, model in tables.items()}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids)), **names), [*params, *ids])
        return cursor.fetchall()


def bylines(article_ids):
    """{article id: [Byline]}, each byline in its order (ArticleAuthor's)."""
    found = {}
    rows = _rows(BYLINES_SQL, article_ids, links=ArticleAuthor, authors=Author)
    for article_id, pk, name, slug, title in rows:
        found.setdefault(article_id, []).append(Byline(pk, name, slug, title))
    return found


def tags(article_ids):
    """{article id: [ShownTag]}, each article's tags in the order of their ids: the order the
    article page and the feeds have always listed them in."""
    found = {}
    article_type = ContentType.objects.get_for_model(Article).pk
    rows = _rows(TAGS_SQL, article_ids, article_type, items=TaggedItem, tags=Tag)
    for article_id, pk, name, slug in rows:
        found.setdefault(article_id, []).append(ShownTag(pk, name, slug))
    return found


def with_bylines(articles):
    """`articles` (a list), each with its byline filled in (Article.ordered_authors)."""
    found = bylines([article.pk for article in articles])
    for article in articles:
        article.byline = found.get(article.pk, [])
    return articles


def with_tags(articles):
    """`articles` (a list), each with `shown_tags` filled in."""
    found = tags([article.pk for article in articles])
    for article in articles:
        article.shown_tags = found.get(article.pk, [])
    return articles


def with_page_parts(article):
    """`article` with what only its own page shows filled in: `faq_list`, its FAQ in order
    (FaqItem's), and `correction_list`, its corrections newest first (Correction's)."""
    faq = FAQ_SQL.format(faq=_table(FaqItem))
    article.faq_list = list(FaqItem.objects.raw(faq, [article.pk]))
    corrections = CORRECTIONS_SQL.format(corrections=_table(Correction))
    article.correction_list = list(Correction.objects.raw(corrections, [article.pk]))
    return article
