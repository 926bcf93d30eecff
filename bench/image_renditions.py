"""
Renditions per second and peak memory for one 24-megapixel upload.

A synthetic 6000 x 4000 photograph-like picture (gradients, soft shapes and fine grain, not
flat colour and not pure noise) is saved as a JPEG as a camera would, checked as an upload
(images/uploads.py), and turned into every rendition the library makes of it (images/
renditions.py): four ratios, six widths, AVIF, WebP and JPEG, 72 in all. No database and no
storage: the figures are Pillow's work and ours.

    DJANGO_SECRET_KEY=x python bench/image_renditions.py [--runs 3]

Peak memory is the process's maximum resident set size (Pillow's pixel buffers are allocated
outside Python, so tracemalloc sees only Python's own objects; both are printed).
"""

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image as PillowImage  # noqa: E402
from PIL import ImageDraw, ImageFilter  # noqa: E402

from images.models import Image  # noqa: E402
from images.renditions import render  # noqa: E402
from images.uploads import inspect_upload  # noqa: E402

WIDTH, HEIGHT = 6000, 4000


def photo_like():
    """Sky-to-ground gradient, blurred shapes at several scales and a fine sensor-like grain."""
    sky = PillowImage.linear_gradient("L").resize((WIDTH, HEIGHT))
    picture = PillowImage.merge(
        "RGB", (sky.point(lambda v: 60 + v // 2), sky.point(lambda v: 90 + v // 3),
                sky.point(lambda v: 200 - v // 2))
    )  # fmt: skip
    pen = ImageDraw.Draw(picture)
    for i in range(40):
        x, y, r = (i * 977) % WIDTH, (i * 613) % HEIGHT, 80 + (i * 131) % 600
        pen.ellipse((x - r, y - r, x + r, y + r), fill=((i * 53) % 255, (i * 97) % 255, 120))
    picture = picture.filter(ImageFilter.GaussianBlur(6))
    grain = PillowImage.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    return PillowImage.blend(picture, grain, 0.12)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        photo_like().save(args.make, "JPEG", quality=90)
        return

    # Drawn by another process, so that its buffers do not count in this one's peak.
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "photo.jpg"
        subprocess.run([sys.executable, __file__, "--make", str(path)], check=True)
        data = path.read_bytes()
    print(f"Upload: {WIDTH} x {HEIGHT} JPEG, {len(data) / 1e6:.1f} MB")

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    info = inspect_upload(SimpleUploadedFile("photo.jpg", data))
    print(f"Upload checks (scan, verify, full decode): {time.perf_counter() - started:.2f} s")

    image = Image(width=info.width, height=info.height, file_hash=info.sha256)
    specs = image.rendition_specs()
    rates, per_format = [], {}
    for _ in range(args.runs):
        started = time.perf_counter()
        last = started
        for spec, _encoded in render(io.BytesIO(data), specs):  # noqa: B007 -- timed, not kept
            now = time.perf_counter()
            per_format.setdefault(spec.format, []).append(now - last)
            last = now
        rates.append(len(specs) / (time.perf_counter() - started))
    _, python_peak = tracemalloc.get_traced_memory()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    print(f"Renditions per run: {len(specs)} (4 ratios x widths x AVIF, WebP, JPEG)")
    print(f"Renditions per second: median {statistics.median(rates):.1f} "
          f"(runs: {', '.join(f'{r:.1f}' for r in rates)}); "
          f"{len(specs) / statistics.median(rates):.1f} s for the whole set")  # fmt: skip
    for format, times in sorted(per_format.items()):
        print(f"  {format}: {1000 * statistics.mean(times):.0f} ms per rendition on average "
              "(the first of each crop includes cropping and resizing)")  # fmt: skip
    print(f"Peak memory: {peak_rss:.0f} MB resident ({baseline:.0f} MB before the upload: "
          f"Python, Django, Pillow); Python objects {python_peak / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
