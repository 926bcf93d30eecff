"""{% load images %}: library pictures in pages, and library images and embeds in bodies.

    {% picture image ratio="16:9" sizes="(min-width: 60rem) 60rem, 100vw" lead=True %}
    {% figure image ratio="4:3" caption="Replaces the library caption" %}
    {{ article.body_html|with_media }}

`image` may be None (nothing is shown). A page showing many images should fetch them with
Image.objects.with_renditions(), prefetch_renditions("lead_image") through a relation, or
loading.load_media(), so that their renditions cost one query in all.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..body import expand_media
from ..pictures import render_figure, render_picture

register = template.Library()


@register.simple_tag
def picture(image, ratio="original", sizes="100vw", lead=False):
    """<picture> for a library image; `lead=True` for the page's main picture (loaded at once,
    with high priority); every other picture loads lazily."""
    if image is None:
        return ""
    return render_picture(image, ratio=ratio, sizes=sizes, lead=lead)


@register.simple_tag
def figure(image, ratio="original", sizes="100vw", lead=False, caption=None):
    """The picture in a <figure> with its caption (or `caption`) and credit."""
    if image is None:
        return ""
    return render_figure(image, ratio=ratio, sizes=sizes, lead=lead, caption=caption)


@register.filter(needs_autoescape=True)
def with_media(html, images=None, autoescape=True):
    """Body HTML with its image and embed placeholders (body.py, embeds.py) made into pictures
    and click-to-load embeds. Text that is not already marked safe is escaped first.
    `{{ body|with_media:images }}` takes the images from a page's loading.load_media()."""
    html = conditional_escape(html) if autoescape else html
    return mark_safe(expand_media(html, images))  # noqa: S308 -- escaped or already safe; the expansion escapes what it adds
