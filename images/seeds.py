"""Pictures the project makes itself for the seed and demo articles: abstract gradients and
shapes drawn with Pillow, so no photograph of unclear origin (or of real events) ships with it.
They are 2400 × 1600, so that every crop (16:9, 4:3 and 1:1) has a rendition at least 1200 px
wide for search engines. A plain logo (a letter N) stands in for the publisher's own."""

import io
from dataclasses import dataclass
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter

from .models import Image
from .services import image_create

CREDIT = "Newsroom (generated illustration)"


@dataclass(frozen=True)
class SeedPicture:
    slug: str
    title: str
    alt_text: str
    top: tuple
    bottom: tuple
    shapes: tuple  # (kind, box as fractions, colour with alpha)
    focal: tuple = (0.5, 0.5)


SEED_PICTURES = (
    SeedPicture(
        "amber-dusk", "Illustration: amber dusk",
        "Abstract illustration: a large amber circle rising over bands of deep blue.",
        (18, 32, 72), (230, 140, 60),
        (("ellipse", (0.55, 0.25, 0.85, 0.75), (255, 190, 90, 220)),
         ("rectangle", (0.0, 0.7, 1.0, 0.78), (20, 40, 90, 160)),
         ("rectangle", (0.0, 0.84, 1.0, 0.9), (20, 40, 90, 200))),
        (0.7, 0.5),
    ),
    SeedPicture(
        "teal-grid", "Illustration: teal grid",
        "Abstract illustration: overlapping teal and white squares on a dark green gradient.",
        (8, 48, 44), (40, 160, 150),
        (("rectangle", (0.1, 0.15, 0.4, 0.65), (180, 240, 230, 150)),
         ("rectangle", (0.3, 0.35, 0.6, 0.85), (255, 255, 255, 90)),
         ("rectangle", (0.65, 0.1, 0.9, 0.5), (20, 120, 110, 200))),
        (0.35, 0.5),
    ),
    SeedPicture(
        "red-arcs", "Illustration: red arcs",
        "Abstract illustration: three red and pink circles crossing on a pale grey background.",
        (235, 232, 228), (190, 186, 180),
        (("ellipse", (0.15, 0.2, 0.45, 0.8), (200, 40, 50, 170)),
         ("ellipse", (0.35, 0.1, 0.65, 0.7), (240, 120, 140, 150)),
         ("ellipse", (0.55, 0.3, 0.85, 0.9), (150, 20, 40, 170))),
    ),
    SeedPicture(
        "violet-bands", "Illustration: violet bands",
        "Abstract illustration: diagonal violet and gold bands across a dark background.",
        (30, 14, 48), (90, 40, 120),
        (("polygon", (0.0, 0.6, 0.6, 0.0, 0.75, 0.0, 0.0, 0.75), (220, 180, 60, 200)),
         ("polygon", (0.3, 1.0, 1.0, 0.3, 1.0, 0.45, 0.45, 1.0), (170, 110, 230, 200))),
        (0.5, 0.4),
    ),
)  # fmt: skip


def draw(seed, width=2400, height=1600):
    """The picture for a SeedPicture: a vertical gradient with soft translucent shapes."""
    mask = PillowImage.linear_gradient("L").resize((width, height))
    picture = PillowImage.composite(
        PillowImage.new("RGB", (width, height), seed.bottom),
        PillowImage.new("RGB", (width, height), seed.top),
        mask,
    ).convert("RGBA")
    for kind, box, colour in seed.shapes:
        layer = PillowImage.new("RGBA", (width, height), (0, 0, 0, 0))
        points = [v * (width if i % 2 == 0 else height) for i, v in enumerate(box)]
        pen = ImageDraw.Draw(layer)
        if kind == "polygon":
            pen.polygon(list(zip(points[::2], points[1::2], strict=True)), fill=colour)
        else:
            getattr(pen, kind)(points, fill=colour)
        picture = PillowImage.alpha_composite(picture, layer.filter(ImageFilter.GaussianBlur(3)))
    return picture.convert("RGB")


@cache  # the same bytes every time; drawing one takes a while
def jpeg_bytes(seed, **size):
    out = io.BytesIO()
    draw(seed, **size).save(out, "JPEG", quality=88)
    return out.getvalue()


LOGO_TITLE = "Logo (generated)"
LOGO_ALT_TEXT = "Logo: a white letter N on a dark red square."


def draw_logo(size=600):
    """A white N on a dark red square, drawn from three bars (no font needed)."""
    logo = PillowImage.new("RGB", (size, size), (139, 26, 26))
    pen = ImageDraw.Draw(logo)
    unit = size / 10
    left, right, top, bottom = 2.5 * unit, 7.5 * unit, 2 * unit, 8 * unit
    pen.rectangle((left, top, left + 1.2 * unit, bottom), fill="white")
    pen.rectangle((right - 1.2 * unit, top, right, bottom), fill="white")
    pen.polygon(
        [(left, top), (left + 1.4 * unit, top), (right, bottom), (right - 1.4 * unit, bottom)],
        fill="white",
    )
    return logo


def logo_png_bytes(size=600):
    out = io.BytesIO()
    draw_logo(size).save(out, "PNG")
    return out.getvalue()


def seed_images(*, dry_run=False, created_by=None):
    """Add the seed pictures missing from the library (found by title); returns
    {"created": n, "skipped": n}."""
    counts = {"created": 0, "skipped": 0}
    with transaction.atomic():
        for seed in SEED_PICTURES:
            if Image.objects.filter(title=seed.title).exists():
                counts["skipped"] += 1
                continue
            counts["created"] += 1
            if dry_run:
                continue
            image_create(
                upload=SimpleUploadedFile(f"{seed.slug}.jpg", jpeg_bytes(seed)),
                created_by=created_by, title=seed.title, alt_text=seed.alt_text,
                credit=CREDIT, focal_x=seed.focal[0], focal_y=seed.focal[1],
            )  # fmt: skip
        if Image.objects.filter(title=LOGO_TITLE).exists():
            counts["skipped"] += 1
        else:
            counts["created"] += 1
            if not dry_run:
                image_create(
                    upload=SimpleUploadedFile("logo.png", logo_png_bytes()),
                    created_by=created_by, title=LOGO_TITLE, alt_text=LOGO_ALT_TEXT, credit=CREDIT,
                )  # fmt: skip
    return counts


def seed_picture(slug):
    """The library image of the seed picture `slug` (or the logo, "logo"), or None."""
    title = LOGO_TITLE if slug == "logo" else next(s.title for s in SEED_PICTURES if s.slug == slug)
    return Image.objects.filter(title=title).order_by("pk").first()
