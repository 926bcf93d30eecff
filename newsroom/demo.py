"""
Synthetic, neutral demo content in bulk, for benchmarks and for trying the site at scale.

Every article is headed "Demo: …" and built from a made-up vocabulary, so nothing reads as news.
Rows are written with bulk_create in batches; bodies are rendered once per variant, not once
per article. Demo articles are marked by an `import_ref` of "demo:<seed>:<n>".
"""

import itertools
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles import cache_keys
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    FaqItem,
    RelatedLink,
)
from articles.rendering import count_words, reading_time_minutes, render_markdown
from articles.services import section_named
from comments.models import Comment, body_fingerprint, count_comments
from images.seeds import SEED_PICTURES, seed_picture
from pagecache import pages_changed

REF_PREFIX = "demo:"
BATCH = 2_000
PARAGRAPHS = 3_000
HEADINGS = 400
SECTIONS = ["World", "Business", "Science", "Culture", "Climate", "Sport"]
# Tags the seed article has, so that its related list ranks real candidates.
SEED_TAGS = ["Energy", "Diplomacy", "United States", "Venezuela"]
SYLLABLES = tuple(consonant + vowel for consonant in "bdfklmnrstv" for vowel in "aeiou")
VOCABULARY_SIZE = 20_000
TAG_COUNT = 600


class DemoDataExists(Exception):
    """Demo articles from this seed are already in the database."""


@dataclass
class DemoCounts:
    articles: int = 0
    tags: int = 0
    faq_items: int = 0
    related_links: int = 0
    comments: int = 0
    corrections: int = 0


def vocabulary(rng, size=VOCABULARY_SIZE):
    """Made-up words, each two to five syllables long."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    return sorted(words)


class Words:
    """Picks words with a Zipf-like skew: a few are common, most are rare, as in real text."""

    def __init__(self, rng, words):
        self.rng = rng
        self.words = words
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def take(self, n):
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def sentence(self, n):
        text = " ".join(self.take(n))
        return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class Piece:
    """A paragraph or heading of Markdown with its HTML, rendered once and reused."""

    markdown: str
    html: str
    words: int
    heading: dict | None = None


def render_piece(text):
    rendered = render_markdown(text)
    heading = rendered.headings[0] if rendered.headings else None
    return Piece(text, rendered.html, count_words(rendered.html), heading)


class Bodies:
    """Article bodies assembled from pre-rendered pieces, so each article has its own text
    (and search finds a word in a realistic share of articles) without rendering each one."""

    def __init__(self, rng, words):
        self.rng = rng
        self.paragraphs = [
            render_piece(" ".join(words.sentence(rng.randint(8, 16)) for _ in range(3)))
            for _ in range(PARAGRAPHS)
        ]
        self.facts = [render_piece(f"Did you know? {words.sentence(12)}") for _ in range(50)]
        self.headings = [render_piece(f"## {words.sentence(3)[:-1]}") for _ in range(HEADINGS)]

    def body(self):
        rng, pieces = self.rng, []
        for n, heading in enumerate(rng.sample(self.headings, rng.randint(2, 4))):
            pieces.append(heading)
            pieces.extend(rng.sample(self.paragraphs, rng.randint(2, 4)))
            if n == 1:
                pieces.append(rng.choice(self.facts))
        word_count = sum(piece.words for piece in pieces)
        return {
            "body": "\n\n".join(piece.markdown for piece in pieces),
            "body_html": "\n".join(piece.html for piece in pieces),
            "headings": [piece.heading for piece in pieces if piece.heading],
            "word_count": word_count,
            "reading_time": reading_time_minutes(word_count),
        }


def search_queries(seed=1, count=200):
    """One- to three-word queries for the demo of `seed`: words of middling frequency (ranks 200
    to 5,000 of 20,000), as readers search for names and topics rather than for "the"."""
    words = vocabulary(random.Random(seed))  # noqa: S311 (the same first draw as generate_demo)
    pick = random.Random(seed + 1)  # noqa: S311
    return [" ".join(pick.sample(words[200:5000], pick.randint(1, 3))) for _ in range(count)]


def demo_exists(seed):
    return Article.objects.filter(import_ref__startswith=f"{REF_PREFIX}{seed}:").exists()


def seed_article():
    """The first published article that generate_demo did not make (the seed, in the
    benchmarks), or else any published one; None in an empty archive."""
    published = Article.objects.published()
    return published.exclude(import_ref__startswith=REF_PREFIX).first() or published.first()


def demo_delete(seed):
    """Remove the demo articles of `seed` (with their FAQ, links, tags and comments)."""
    articles = Article.objects.filter(import_ref__startswith=f"{REF_PREFIX}{seed}:")
    ids = list(articles.values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
    return articles.delete()[0]


@transaction.atomic
def generate_demo(*, articles, seed=1, replace=False, progress=None, now=None):
    """Create `articles` demo articles with bylines, tags, FAQ, related links, corrections and
    comments.
    Refuses (DemoDataExists) when this seed's demo is there already, unless `replace`."""
    if demo_exists(seed):
        if not replace:
            raise DemoDataExists(f"Demo articles from seed {seed} exist already.")
        demo_delete(seed)
    rng = random.Random(seed)  # noqa: S311 (made-up text, not secrets)
    now = now or timezone.now()
    words = Words(rng, vocabulary(rng))
    counts = DemoCounts()

    sections = [section_named(name) for name in SECTIONS]
    # Demo articles lead with the project's own generated pictures when the library has them
    # (make run adds them), as the seed articles do.
    pictures = [seed_picture(picture.slug) for picture in SEED_PICTURES]
    pictures = [picture for picture in pictures if picture] or [None]
    authors = []
    for n in range(40):
        author, _ = Author.objects.get_or_create(
            slug=f"demo-writer-{seed}-{n}",
            defaults={"name": f"Demo Writer {n + 1}", "title": "Demo correspondent"},
        )
        authors.append(author)
    tag_names = (
        SEED_TAGS
        + [name.title() for name in dict.fromkeys(words.take(TAG_COUNT * 4)) if name][
            : TAG_COUNT - len(SEED_TAGS)
        ]
    )
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=tag_names)}
    new_tags = [Tag(name=name, slug=slugify(name)) for name in tag_names if name not in existing]
    Tag.objects.bulk_create(new_tags)
    tags = list(Tag.objects.filter(name__in=tag_names))
    counts.tags = len(new_tags)
    tags.sort(key=lambda tag: tag_names.index(tag.name))
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
    bodies = Bodies(rng, words)
    content_type = ContentType.objects.get_for_model(Article)

    spacing = timedelta(minutes=15)
    done = 0
    while done < articles:
        size = min(BATCH, articles - done)
        batch = []
        for n in range(done, done + size):
            headline = "Demo: " + words.sentence(rng.randint(5, 9))[:-1]
            published_at = now - spacing * (n + 1)
            batch.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)[:80]}-{seed}-{n}",
                    standfirst=words.sentence(rng.randint(14, 24)),
                    **bodies.body(),
                    section=rng.choice(sections),
                    lead_image=pictures[n % len(pictures)],
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    updated_at=published_at,
                    import_ref=f"{REF_PREFIX}{seed}:{n}",
                )
            )
        Article.objects.bulk_create(batch)  # sets the ids (PostgreSQL, SQLite 3.35+)
        add_relations(counts, batch, rng, authors, (tags, tag_weights), content_type, words)
        done += size
        counts.articles = done
        if progress:
            progress(done, articles)
    # bulk_create sends no signal for the page cache to hear: every listing may have changed.
    listings = {cache_keys.LATEST, cache_keys.SITEMAP, cache_keys.SEARCH, cache_keys.NAV}
    sections = Article.objects.values_list("section_id", flat=True).distinct()
    listings.update(cache_keys.section_key(pk, listing=True) for pk in sections if pk)
    listings.update(cache_keys.author_key(a.pk, listing=True) for a in authors)
    pages_changed(listings)
    return counts


def add_relations(counts, batch, rng, authors, weighted_tags, content_type, words):
    tags, tag_weights = weighted_tags
    bylines, tagged, faq, related, comments, corrections = [], [], [], [], [], []
    for article in batch:
        for order, author in enumerate(rng.sample(authors, rng.choice((1, 1, 1, 2)))):
            bylines.append(ArticleAuthor(article=article, author=author, order=order))
        chosen = {tag.pk: tag for tag in rng.choices(tags, weights=tag_weights, k=4)}
        for tag in chosen.values():
            tagged.append(TaggedItem(content_type=content_type, object_id=article.pk, tag=tag))
        if rng.random() < 0.2:
            for order in range(2):
                faq.append(
                    FaqItem(
                        article=article,
                        question=words.sentence(6)[:-1] + "?",
                        answer=words.sentence(18),
                        order=order,
                    )
                )
        if rng.random() < 0.03:
            corrections.append(
                Correction(
                    article=article,
                    note="An earlier version of this demo article " + words.sentence(8).lower(),
                    created_at=article.published_at + timedelta(hours=3),
                )
            )
        if rng.random() < 0.25 and len(batch) > 10:
            for order, target in enumerate(rng.sample(batch, 2)):
                if target.pk != article.pk:
                    related.append(RelatedLink(article=article, target=target, order=order))
        if rng.random() < 0.3:
            parents = []
            for n in range(rng.randint(1, 6)):
                text = words.sentence(rng.randint(8, 30))
                comment = Comment(
                    article=article,
                    parent=rng.choice(parents) if parents and rng.random() < 0.3 else None,
                    name=f"Demo Reader {rng.randint(1, 500)}",
                    email=f"demo-reader-{rng.randint(1, 500)}@example.com",
                    body=text,
                    body_fingerprint=body_fingerprint(text),
                    status=Comment.Status.APPROVED if n % 5 else Comment.Status.PENDING,
                    created_at=article.published_at + timedelta(minutes=10 * (n + 1)),
                )
                if comment.parent is None:
                    parents.append(comment)
                comments.append(comment)
    ArticleAuthor.objects.bulk_create(bylines)
    TaggedItem.objects.bulk_create(tagged)
    FaqItem.objects.bulk_create(faq)
    RelatedLink.objects.bulk_create(related)
    Correction.objects.bulk_create(corrections)
    # Replies need their parent's id: parents first.
    Comment.objects.bulk_create([comment for comment in comments if comment.parent is None])
    for comment in comments:
        if comment.parent is not None:
            comment.parent_id = comment.parent.pk
    Comment.objects.bulk_create([comment for comment in comments if comment.parent is not None])
    count_comments({comment.article_id for comment in comments})  # bulk writes send no signal
    counts.faq_items += len(faq)
    counts.related_links += len(related)
    counts.comments += len(comments)
    counts.corrections += len(corrections)
