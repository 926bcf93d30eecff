"""The one rule for the slugs in web addresses: articles, sections, authors and tags."""

from django.utils.text import slugify


def unique_slug(text, *, queryset, fallback):
    """
    A slug for `text` that no row of `queryset` has: its words in any script, in lower case and
    joined by hyphens ("Économie" → "économie", "Иван Петров" → "иван-петров"), `fallback` when
    nothing is left of it ("!!!"), then "-2", "-3"… until it is free. It fits the model's field.
    """
    max_length = queryset.model._meta.get_field("slug").max_length
    base = _base(text, max_length, fallback)
    return _numbered(base, max_length, lambda slug: queryset.filter(slug=slug).exists())


def unique_slugs(texts, *, queryset, fallback):
    """unique_slug for each of `texts`, in order, each also unlike the ones before it: one
    query for all of them, and one more for each slug taken, which fetches its numbered ones."""
    max_length = queryset.model._meta.get_field("slug").max_length
    bases = [_base(text, max_length, fallback) for text in texts]
    taken = set(queryset.filter(slug__in=set(bases)).values_list("slug", flat=True))
    numbered = set()
    slugs = []
    for base in bases:
        if base in taken and base not in numbered:
            numbered.add(base)
            # What every "-2"… "-9999999999" of it starts with, however it is cut to fit.
            stem = base[: max_length - 11].rstrip("-_")
            taken.update(queryset.filter(slug__startswith=stem).values_list("slug", flat=True))
        slugs.append(_numbered(base, max_length, taken.__contains__))
        taken.add(slugs[-1])
    return slugs


def _base(text, max_length, fallback):
    return slugify(text, allow_unicode=True)[:max_length].strip("-_") or fallback


def _numbered(base, max_length, is_taken):
    slug, n = base, 2
    while is_taken(slug):
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)].rstrip("-_") + suffix, n + 1
    return slug


def fill_empty_tag_slug(sender, instance, **kwargs):
    """pre_save for taggit's Tag, whose own slugify leaves "!!!" without a slug, and so without an
    address: give it the fallback "tag", kept unique."""
    if not instance.slug:
        others = sender.objects.exclude(pk=instance.pk)
        instance.slug = unique_slug(instance.name, queryset=others, fallback="tag")
