"""
The site's icons as PNG and ICO files, drawn with Pillow from the shapes of
newsroom/static/favicon.svg (browsers that take SVG use that one): the favicon, the Apple touch
icon and the web manifest's icons. `manage.py make_icons` writes them; they are committed.
"""

from pathlib import Path

from PIL import Image, ImageDraw

# favicon.svg: a 10 by 10 square of BACKGROUND with a white N of two stems and a diagonal.
BACKGROUND = "#9b1c1c"
SHAPES = (
    ((2.5, 2), (3.7, 2), (3.7, 8), (2.5, 8)),
    ((6.3, 2), (7.5, 2), (7.5, 8), (6.3, 8)),
    ((2.5, 2), (3.9, 2), (7.5, 8), (6.1, 8)),
)
# Drawn this many times larger, then scaled down, for smooth edges.
SUPERSAMPLE = 8

STATIC = Path(__file__).resolve().parent / "static" / "icons"
ROOT = Path(__file__).resolve().parent / "root"
# (file, sizes): PNGs of one size; the ICO holds several, for old browsers and Windows.
ICONS = (
    (STATIC / "apple-touch-icon.png", (180,)),
    (STATIC / "icon-192.png", (192,)),
    (STATIC / "icon-512.png", (512,)),
    (ROOT / "favicon.ico", (16, 32, 48)),
)


def draw(size):
    """The icon as a `size` by `size` RGB image."""
    big = size * SUPERSAMPLE
    scale = big / 10
    image = Image.new("RGB", (big, big), BACKGROUND)
    pen = ImageDraw.Draw(image)
    for shape in SHAPES:
        pen.polygon([(x * scale, y * scale) for x, y in shape], fill="white")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons():
    """Write every icon file; returns their paths."""
    for path, sizes in ICONS:
        path.parent.mkdir(parents=True, exist_ok=True)
        largest = draw(max(sizes))
        if path.suffix == ".ico":
            largest.save(path, sizes=[(size, size) for size in sizes])
        else:
            largest.save(path, optimize=True)
    return [path for path, _ in ICONS]
