"""
Which reader pages show what, as surrogate keys (the pagecache app), and which of them a change
to the articles app's rows affects.

Pages name what they show: `article-<id>` for an article page and for every card of it on a
listing, `author-<id>`, `section-<id>` and `tag-<id>` where a name is printed, and for a
listing what it lists: `list-latest`, `list-section-<id>`, `list-tag-<id>`,
`list-author-<id>`, `search`, `sitemap`, `corrections`; `nav` on every page with the section
navigation, `publisher` on every page with the footer (its policy pages) or the publisher's
structured data. A change names the keys it affects: an edit of a live article its own key (its
page and every card of it) and the listings it belongs to; a draft's edit nothing anyone sees.
NEWSROOM_PAGE_CACHE_WATCH connects these functions to the models' signals.
"""

import functools

import pagecache
from pagecache.schedule import SCHEDULE_KEY

LATEST = "list-latest"
SITEMAP = "sitemap"
SEARCH = "search"
NAV = "nav"
CORRECTIONS = "corrections"
PUBLISHER = "publisher"
UPCOMING_LIMIT = 20


def article_key(pk):
    return f"article-{pk}"


def section_key(pk, *, listing=False):
    return f"list-section-{pk}" if listing else f"section-{pk}"


def author_key(pk, *, listing=False):
    return f"list-author-{pk}" if listing else f"author-{pk}"


def tag_key(pk, *, listing=False):
    return f"list-tag-{pk}" if listing else f"tag-{pk}"


# What pages show.


def show_cards(articles):
    """The page being rendered shows these articles' cards (headline, byline, count)."""
    show_card_ids(
        (article.pk, [author.pk for author in article.ordered_authors]) for article in articles
    )


def show_card_ids(cards):
    """show_cards() for cards given as (article id, [its byline's author ids]): the feeds read
    bylines as plain values."""
    keys = set()
    for article_id, author_ids in cards:
        keys.add(article_key(article_id))
        keys.update(author_key(pk) for pk in author_ids)
    pagecache.shows(*keys)


def show_article(article):
    """The page being rendered is `article`'s own page."""
    show_cards([article, *getattr(article, "related", ())])
    keys = {tag_key(tag.pk) for tag in article.shown_tags}
    if article.section_id:
        keys.add(section_key(article.section_id))
    pagecache.shows(*keys)


# What changes affect.


def listings_of(article, *, tag_ids=None, author_ids=None):
    """The listings a public `article` appears on (corrections: it may bring some with it)."""
    keys = {LATEST, SITEMAP, SEARCH, CORRECTIONS}
    if article.section_id:
        keys.add(section_key(article.section_id, listing=True))
    if tag_ids is None:
        tag_ids = [tag.pk for tag in article.tags.all()]
    keys.update(tag_key(pk, listing=True) for pk in tag_ids)
    if author_ids is None:
        author_ids = [link.author_id for link in article.author_links.all()]
    keys.update(author_key(pk, listing=True) for pk in author_ids)
    return keys


def article_changed(article, event, model=None, pk_set=None):
    keys = {article_key(article.pk), SCHEDULE_KEY}
    if article.is_published() or getattr(article, "loaded_public", False):
        keys |= listings_of(article)
        if event == "linked" and pk_set:
            keys.update(tag_key(pk, listing=True) for pk in pk_set)  # tags just taken off
    return keys


def byline_changed(link, event, **details):
    keys = {article_key(link.article_id), author_key(link.author_id, listing=True), SCHEDULE_KEY}
    return keys


def part_changed(part, event, **details):
    """An FAQ item, related link or old address: shown on its article's page only."""
    return {article_key(part.article_id)}


def correction_changed(correction, event, **details):
    return {article_key(correction.article_id), CORRECTIONS}


def section_changed(section, event, **details):
    return {section_key(section.pk), section_key(section.pk, listing=True), NAV, SITEMAP}


def author_changed(author, event, **details):
    return {author_key(author.pk), author_key(author.pk, listing=True), SITEMAP}


def tag_changed(tag, event, **details):
    return {tag_key(tag.pk), tag_key(tag.pk, listing=True), SITEMAP}


def show_publisher():
    """The page being rendered shows the publisher (its name and logo, in structured data)."""
    pagecache.shows(PUBLISHER)


def publisher_changed(publisher, event, **details):
    return {PUBLISHER}


def policy_changed(page, event, **details):
    """A policy page: its own page, and every page's footer and the publisher's structured data,
    which link to it."""
    return {PUBLISHER}


def sitemap_page(view):
    """`view` (Django's sitemap views) shows the sitemaps: every public article, section,
    author and tag."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        pagecache.shows(SITEMAP)
        return view(request, *args, **kwargs)

    return wrapper


def tagged_item_changed(item, event, **details):
    return {article_key(item.object_id), tag_key(item.tag_id, listing=True), SCHEDULE_KEY}


def upcoming_changes(now):
    """[(when, keys)]: scheduled articles going live, with the pages each joins
    (NEWSROOM_PAGE_CACHE_CHANGES_AT)."""
    from .models import Article

    upcoming = Article.objects.upcoming(now).prefetch_related("tags", "author_links")
    changes = [
        (article.published_at, {article_key(article.pk), *listings_of(article)})
        for article in upcoming[:UPCOMING_LIMIT]
    ]
    if len(changes) == UPCOMING_LIMIT:
        # Beyond the last one listed, nothing is known: every page ends then (no keys).
        changes.append((changes[-1][0], set()))
    return changes
