"""Writes about articles that span rows: old addresses, corrections, marking an article
updated or reviewed, sections and tags made on the fly, many new articles at once, and the
publisher's logo."""

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from images.services import renditions_make
from pagecache import pages_changed

from . import cache_keys
from .models import Article, ArticleAuthor, Correction, FaqItem, OldSlug, Publisher, Section
from .models.publisher import PUBLISHER_ID
from .slugs import unique_slug


@transaction.atomic
def old_slug_record(*, article, slug):
    """Keep `slug`, an address `article` was published under, redirecting to its current one."""
    if slug == article.slug:
        return None
    # The article may be getting back an address it had before; that one no longer redirects.
    OldSlug.objects.filter(slug=article.slug).delete()
    old_slug, _ = OldSlug.objects.update_or_create(slug=slug, defaults={"article": article})
    return old_slug


@transaction.atomic
def correction_add(*, article, note, kind=Correction.Kind.CORRECTION, created_at=None):
    """Record a correction or update; a published article shows it was updated."""
    correction = Correction.objects.create(
        article=article, note=note, kind=kind, created_at=created_at or timezone.now()
    )
    article_touch(article=article)
    return correction


def article_touch(*, article, since=None, now=None):
    """
    Mark an article readers have seen as updated now, without re-saving what editors did not
    change. With `since`, what readers saw before a save (Article.reader_view()), only if the
    save changed it; corrections always count.
    """
    now = now or timezone.now()
    if not (article.published_at and article.published_at <= now):
        return
    if since is not None and article.reader_view() == since:
        return
    article.updated_at = now
    article.save(update_fields=["updated_at"])


def articles_mark_reviewed(*, articles, today=None):
    """An editor checked these evergreen articles and found them still right: each shows “Last
    reviewed on” today (search engines are told, as lastReviewed). Not an update: their dates
    stay. Saved one by one, so their pages are purged. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    for article in articles:
        article.last_reviewed = today
        article.save(update_fields=["last_reviewed"])
        count += 1
    return count


def section_named(name):
    """The section of that name (in any case), created if there is none."""
    section = Section.objects.filter(name__iexact=name).first()
    if section is None:
        slug = unique_slug(name, queryset=Section.objects.all(), fallback="section")
        section = Section.objects.create(name=name, slug=slug)
    return section


def tag_named(name):
    """The tag of that name (in any case, as taggit matches names with
    TAGGIT_CASE_INSENSITIVE), created if there is none."""
    tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
    if tag is None:
        tag = Tag.objects.create(name=name)
    return tag


@transaction.atomic
def articles_create(*, articles, authors, tags, faqs):
    """
    Save new `articles`, each with its slug set (slugs.unique_slugs), with the byline, tags and
    FAQ at the same place in `authors`, `tags` (lists of Authors, of Tags) and `faqs` (lists of
    (question, answer)), in four queries for any number. Each body is rendered and publication
    time set as save() does; bulk writes send no model signals, so the page cache is told here.
    """
    for article in articles:
        article.render_body()
        article.set_publication_time()
    Article.objects.bulk_create(articles)
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, order=order)
        for article, byline in zip(articles, authors, strict=True)
        for order, author in enumerate(dict.fromkeys(byline))
    )
    TaggedItem.objects.bulk_create(
        TaggedItem(content_object=article, tag=tag)
        for article, article_tags in zip(articles, tags, strict=True)
        for tag in dict.fromkeys(article_tags)
    )
    FaqItem.objects.bulk_create(
        FaqItem(article=article, question=question, answer=answer, order=order)
        for article, faq in zip(articles, faqs, strict=True)
        for order, (question, answer) in enumerate(faq)
    )
    pages_changed(
        {
            key
            for article, byline, article_tags in zip(articles, authors, tags, strict=True)
            if article.is_published()
            for key in {
                cache_keys.article_key(article.pk),
                *cache_keys.listings_of(
                    article,
                    tag_ids=[tag.pk for tag in article_tags],
                    author_ids=[author.pk for author in byline],
                ),
            }
        }
    )
    return articles


def publisher_logo_set(*, logo):
    """Make `logo` (a library Image) the publisher's, with the rendition search engines are
    given made now: no page shows the logo, so none would make it on first show."""
    publisher, _ = Publisher.objects.update_or_create(pk=PUBLISHER_ID, defaults={"logo": logo})
    renditions_make(image=logo, ratios=["original"], formats=["jpeg"])
    return publisher
