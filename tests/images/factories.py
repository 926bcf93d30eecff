"""Pictures made with Pillow for tests: photo-like content, EXIF when asked, any format."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from PIL import ImageDraw

from images.services import image_create

_sequence = itertools.count(1)

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}


def picture(width=640, height=480, mode="RGB"):
    """A gradient with shapes: compresses like a photo, not like flat colour or noise."""
    image = PillowImage.linear_gradient("L").resize((width, height))
    image = PillowImage.merge("RGB", (image, image.rotate(90).resize((width, height)), image))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 60, 40))
    draw.rectangle((width // 2, height // 2, width - 10, height - 10), outline=(20, 20, 90))
    return image.convert(mode)


def image_bytes(format="JPEG", width=640, height=480, mode="RGB", **save_options):
    out = io.BytesIO()
    picture(width, height, mode).save(out, format, **save_options)
    return out.getvalue()


def exif_with_gps(orientation=1):
    exif = PillowImage.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "Test Camera Maker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "W", (0.0, 7.0, 0.0)
    return exif


def upload(data=None, name=None, format="JPEG", **options):
    data = image_bytes(format, **options) if data is None else data
    name = name or f"picture-{next(_sequence)}.{EXTENSIONS.get(format, 'bin')}"
    return SimpleUploadedFile(name, data)


def make_image(*, upload_file=None, **fields):
    fields.setdefault("alt_text", "A red circle over a grey gradient")
    return image_create(upload=upload_file or upload(), **fields)
