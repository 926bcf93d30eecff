"""The content: sections and authors (taxonomy.py), articles (article.py) and what they tell
readers about themselves (trust.py), what hangs off an article: bylines, FAQ items, related
links, corrections, old addresses (parts.py), and the publisher's identity for search engines
and its policy pages (publisher.py)."""

from .article import Article, ArticleQuerySet, next_scheduled_time
from .parts import ArticleAuthor, Correction, CorrectionQuerySet, FaqItem, OldSlug, RelatedLink
from .publisher import PolicyPage, Publisher
from .taxonomy import Author, Section

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleQuerySet",
    "Author",
    "Correction",
    "CorrectionQuerySet",
    "FaqItem",
    "OldSlug",
    "PolicyPage",
    "Publisher",
    "RelatedLink",
    "Section",
    "next_scheduled_time",
]
