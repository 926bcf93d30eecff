"""The <picture> markup pages show for a library image, shared by the template tags and the
Markdown body syntax (body.py), so both render one way."""

from django.template.loader import render_to_string

import pagecache

from .cache_keys import image_key
from .cropping import get_ratio
from .services import renditions_make

SOURCE_ORDER = (("avif", "image/avif"), ("webp", "image/webp"))
# The <img src> for browsers without srcset: wide enough for a phone at 2x or a laptop at 1x.
FALLBACK_WIDTH = 960


def _current(image, ratio, renditions):
    """The image's up-to-date renditions for `ratio`, narrowest first; makes any missing now.

    `renditions` are the image's renditions when the caller loaded them; otherwise they come
    from `image.known_renditions()`: given by loading.load_media(), or prefetched by
    Image.objects.with_renditions().
    """
    current = image.current_renditions(ratio, renditions)
    wanted = {(s.format, s.width) for s in image.rendition_specs([ratio])}
    if not wanted <= {(r.format, r.width) for r in current}:
        current += renditions_make(image=image, ratios=[ratio])
    return sorted(current, key=lambda r: r.width)


def picture_context(image, current, *, ratio, sizes="100vw", lead=False, caption=None):
    """What the picture templates need, from the image's `current` renditions for `ratio`."""
    by_format = {}
    for rendition in current:
        by_format.setdefault(rendition.format, []).append(rendition)
    jpegs = by_format["jpeg"]
    fallback = next((r for r in jpegs if r.width >= FALLBACK_WIDTH), jpegs[-1])
    return {
        "sources": [
            {"type": content_type, "srcset": _srcset(by_format[format])}
            for format, content_type in SOURCE_ORDER
        ],
        "src": fallback.url,
        "srcset": _srcset(jpegs),
        "sizes": sizes,
        # The widest rendition's size gives the browser the shape before any byte arrives.
        "width": jpegs[-1].width,
        "height": jpegs[-1].height,
        "alt": image.alt,
        "lead": lead,
        "caption": image.caption if caption is None else caption,
        "credit": image.credit,
        "ratio_slug": get_ratio(ratio).slug,
    }


def render_picture(image, **options):
    """<picture> with AVIF and WebP sources and a JPEG <img>."""
    return _render("images/picture.html", image, **options)


def render_figure(image, **options):
    """The picture in a <figure>, with its caption and credit when it has them."""
    return _render("images/figure.html", image, **options)


def _render(template_name, image, *, ratio="original", renditions=None, caption=None,
            **options):  # fmt: skip
    pagecache.shows(image_key(image.pk))
    ratio = get_ratio(ratio).key
    current = _current(image, ratio, renditions)
    caption = image.caption if caption is None else caption
    # The same renditions (their files name their sizes and fingerprints), text and shape give
    # the same HTML on every page: rendered once, and its addresses worked out only then.
    key = (
        template_name,
        ratio,
        tuple((r.file.name, r.format, r.width, r.height) for r in current),
        image.alt,
        caption,
        image.credit,
        *sorted(options.items()),
    )
    return pagecache.rendered_once(
        key,
        lambda: render_to_string(
            template_name,
            picture_context(image, current, ratio=ratio, caption=caption, **options),
        ),
    )


def _srcset(renditions):
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)
