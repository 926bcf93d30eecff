"""The one rule for the slugs in web addresses: articles, sections, authors and tags."""

from django.utils.text import slugify


def unique_slug(text, *, queryset, fallback):
    """
    A slug for `text` that no row of `queryset` has: its words in any script, in lower case and
    joined by hyphens ("Économie" → "économie", "Иван Петров" → "иван-петров"), `fallback` when
    nothing is left of it ("!!!"), then "-2", "-3"… until it is free. It fits the model's field.
    """
    max_length = queryset.model._meta.get_field("slug").max_length
    base = slugify(text, allow_unicode=True)[:max_length].strip("-_") or fallback
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)].rstrip("-_") + suffix, n + 1
    return slug


def fill_empty_tag_slug(sender, instance, **kwargs):
    """pre_save for taggit's Tag, whose own slugify leaves "!!!" without a slug, and so without an
    address: give it the fallback "tag", kept unique."""
    if not instance.slug:
        others = sender.objects.exclude(pk=instance.pk)
        instance.slug = unique_slug(instance.name, queryset=others, fallback="tag")
