"""Writes about articles that span rows: old addresses, corrections, marking an article
updated, sections made on the fly, and the publisher's logo."""

from django.db import transaction
from django.utils import timezone

from images.services import renditions_make

from .models import Correction, OldSlug, Publisher, Section
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


def section_named(name):
    """The section of that name (in any case), created if there is none."""
    section = Section.objects.filter(name__iexact=name).first()
    if section is None:
        slug = unique_slug(name, queryset=Section.objects.all(), fallback="section")
        section = Section.objects.create(name=name, slug=slug)
    return section


def publisher_logo_set(*, logo):
    """Make `logo` (a library Image) the publisher's, with the rendition search engines are
    given made now: no page shows the logo, so none would make it on first show."""
    publisher, _ = Publisher.objects.update_or_create(pk=PUBLISHER_ID, defaults={"logo": logo})
    renditions_make(image=logo, ratios=["original"], formats=["jpeg"])
    return publisher
