from django.db import transaction

from .models import OldSlug


@transaction.atomic
def old_slug_record(*, article, slug):
    """Keep `slug`, an address `article` was published under, redirecting to its current one."""
    if slug == article.slug:
        return None
    # The article may be getting back an address it had before; that one no longer redirects.
    OldSlug.objects.filter(slug=article.slug).delete()
    old_slug, _ = OldSlug.objects.update_or_create(slug=slug, defaults={"article": article})
    return old_slug
