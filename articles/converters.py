from django.urls.converters import SlugConverter


class UnicodeSlugConverter(SlugConverter):
    """Django's `slug`, for slugs in any script: SlugField(allow_unicode=True) and taggit's tags."""

    regex = r"[-\w]+"
