"""The geometry of renditions: which part of a picture each ratio keeps, and at which widths.

Pure functions of numbers, so the rules can be tested without files or a database.
"""

from dataclasses import dataclass
from fractions import Fraction

# Widths a rendition may have; a picture is never made wider than its source (or crop).
WIDTHS = (320, 640, 960, 1280, 1600, 2000)


@dataclass(frozen=True)
class Ratio:
    key: str  # as stored and as written in templates: "16:9"
    label: str
    value: Fraction | None  # None keeps the source's own shape

    @property
    def slug(self):
        """The ratio in a file name or CSS class: 16x9, original."""
        return self.key.replace(":", "x")


RATIOS = {
    ratio.key: ratio
    for ratio in (
        Ratio("original", "Original shape", None),
        Ratio("16:9", "16:9 (wide)", Fraction(16, 9)),
        Ratio("4:3", "4:3", Fraction(4, 3)),
        Ratio("1:1", "1:1 (square)", Fraction(1, 1)),
    )
}


def get_ratio(key):
    """The Ratio for "16:9", "16x9" or "original"; ValueError for any other."""
    try:
        return RATIOS[str(key).replace("x", ":") if key != "original" else key]
    except KeyError:
        raise ValueError(
            f"Unknown image ratio {key!r}; use one of {', '.join(RATIOS)}."
        ) from None


def crop_box(width, height, ratio, focal_x=0.5, focal_y=0.5):
    """The largest box of `ratio` inside a width x height picture, as near to centred on the
    focal point (fractions of the width and height) as the picture's edges allow.

    Returns (left, top, right, bottom) in pixels, as Pillow's Image.crop takes it.
    """
    if width < 1 or height < 1:
        raise ValueError(f"A picture must be at least 1x1 pixels; got {width}x{height}.")
    if not (0 <= focal_x <= 1 and 0 <= focal_y <= 1):
        raise ValueError(f"The focal point must lie within the picture; got {focal_x}, {focal_y}.")
    value = get_ratio(ratio).value if isinstance(ratio, str) else ratio.value
    if value is None or Fraction(width, height) == value:
        return (0, 0, width, height)
    if Fraction(width, height) > value:  # wider than wanted: keep the full height
        crop_w, crop_h = max(1, round(height * value)), height
    else:
        crop_w, crop_h = width, max(1, round(width / value))
    left = _centred(focal_x * width, crop_w, width)
    top = _centred(focal_y * height, crop_h, height)
    return (left, top, left + crop_w, top + crop_h)


def _centred(centre, size, limit):
    """The start of a span of `size` centred on `centre`, moved back inside 0..limit."""
    return min(max(0, round(centre - size / 2)), limit - size)


def widths_for(crop_width):
    """The rendition widths for a crop `crop_width` pixels wide: every standard width it can
    fill without upscaling, or its own width alone when it is narrower than all of them."""
    fitting = [width for width in WIDTHS if width <= crop_width]
    return fitting or [crop_width]


def scaled_height(crop_width, crop_height, width):
    """The height of a `width`-pixel rendition of a crop_width x crop_height box."""
    return max(1, round(crop_height * width / crop_width))
