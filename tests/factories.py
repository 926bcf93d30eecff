"""Small factories: explicit defaults, any field overridable."""

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section
from newsletter.models import Edition, Subscriber

_sequence = itertools.count(1)


def make_section(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(**fields)


def make_author(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Writer {n}")
    fields.setdefault("slug", f"writer-{n}")
    return Author.objects.create(**fields)


def make_article(*, authors=(), tags=(), **fields):
    """A published article unless `status` says otherwise."""
    n = next(_sequence)
    fields.setdefault("headline", f"Synthetic headline {n}")
    fields.setdefault("standfirst", f"Synthetic standfirst {n}.")
    fields.setdefault("body", f"Synthetic body paragraph {n}.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.SCHEDULED:
        fields.setdefault("publish_at", timezone.now() + timedelta(days=1))
    article = Article.objects.create(**fields)
    for order, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, order=order)
    if tags:
        article.tags.set(list(tags))
    return article


def make_subscriber(**fields):
    """A confirmed subscriber unless `status` says otherwise."""
    n = next(_sequence)
    fields.setdefault("email", f"reader{n}@example.com")
    fields.setdefault("status", Subscriber.Status.CONFIRMED)
    return Subscriber.objects.create(**fields)


def make_edition(*, articles=(), **fields):
    """A draft edition holding `articles` in the order given."""
    n = next(_sequence)
    fields.setdefault("subject", f"Synthetic edition {n}")
    fields.setdefault("intro", "This week's stories.")
    edition = Edition.objects.create(**fields)
    for order, article in enumerate(articles):
        edition.items.create(article=article, order=order)
    return edition
