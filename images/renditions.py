"""Making renditions with Pillow: upright, in sRGB, cropped, resized and re-encoded with no
metadata (EXIF, GPS, XMP and comments never reach readers)."""

import io
import logging
import math

from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps

logger = logging.getLogger(__name__)

# Encoder settings: quality chosen for photographs at ~1x-2x display density; AVIF at speed 8
# trades a few percent of size for making a 24-megapixel upload's renditions in seconds
# (docs/benchmarks.md). Changing these calls for RENDITION_VERSION += 1 in models.py.
ENCODERS = {
    "avif": ("AVIF", {"quality": 60, "speed": 8}),
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
SRGB = ImageCms.createProfile("sRGB")


def upright_rgb(source):
    """The first frame of an opened picture as an RGB(A) image in sRGB, turned the way its EXIF
    orientation says, with every piece of metadata left behind."""
    source.seek(0)
    picture = ImageOps.exif_transpose(source)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    icc = picture.info.get("icc_profile")
    if icc:
        source_mode = picture.mode if picture.mode in ("RGB", "RGBA", "CMYK", "L") else mode
        try:
            picture = ImageCms.profileToProfile(
                picture.convert(source_mode),
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                SRGB,
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            logger.warning("Ignoring an unusable colour profile; converting without it.")
    if picture.mode != mode:
        picture = picture.convert(mode)
    picture.info = {}
    return picture


def encode(picture, format):
    """The bytes of `picture` in one of ENCODERS' formats (JPEG has no alpha: white behind)."""
    pillow_format, options = ENCODERS[format]
    if format == "jpeg" and picture.mode == "RGBA":
        flat = PillowImage.new("RGB", picture.size, (255, 255, 255))
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    out = io.BytesIO()
    picture.save(out, pillow_format, **options)
    return out.getvalue()


def render(source_file, specs):
    """Yield (spec, bytes) for each RenditionSpec, decoding the source once.

    A JPEG is decoded at the smallest scale (1/2, 1/4 or 1/8) that still covers the largest
    rendition asked of it, which saves most of the time and memory a 24-megapixel source costs.
    Widths of one crop are made largest first, each from the one before: much less work than
    resizing the full crop every time, with no visible difference at these steps.
    """
    with PillowImage.open(source_file) as source:
        full_width = source.size[0]
        needed = max(spec.width / (spec.box[2] - spec.box[0]) for spec in specs)
        if needed < 1:
            source.draft(source.mode, tuple(math.ceil(side * needed) for side in source.size))
        scale = source.size[0] / full_width
        upright = upright_rgb(source)
    by_box = {}
    for spec in specs:
        box = tuple(round(side * scale) for side in spec.box)
        by_box.setdefault(box, []).append(spec)
    for box, box_specs in by_box.items():
        picture = upright.crop(box)
        sizes = sorted({(s.width, s.height) for s in box_specs}, reverse=True)
        for size in sizes:
            if picture.size != size:
                picture = picture.resize(size, PillowImage.Resampling.LANCZOS, reducing_gap=3.0)
            for spec in box_specs:
                if (spec.width, spec.height) == size:
                    yield spec, encode(picture, spec.format)
