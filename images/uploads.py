"""Deciding whether an uploaded file is an image we accept, from its content alone.

What is refused, each with a message an editor can act on:
- anything over NEWSROOM_IMAGES_MAX_BYTES, before a byte of it is decoded;
- markup: SVG, HTML and XML documents (SVG can carry scripts that run on our origin);
- files Pillow does not recognise as JPEG, PNG, WebP, AVIF or GIF, whatever their name says;
- decompression bombs: more than NEWSROOM_IMAGES_MAX_PIXELS pixels, judged from the header
  before the pixels are decoded;
- damaged files, which fail Pillow's verify() or a full decode;
- polyglots: a valid image that is also a web page or script, with markup hidden in a comment,
  a metadata chunk or after the image's end (see ACTIVE_CONTENT).
"""

import hashlib
import os
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

# Pillow's names for the formats we accept, with the MIME type and the extension we store under.
# MPO is how Pillow names a JPEG carrying a second picture (phones add depth maps that way).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "AVIF": ("image/avif", "avif"),
    "GIF": ("image/gif", "gif"),
}
STORED_FORMAT = {"MPO": "JPEG"}
OPENERS = ["JPEG", "PNG", "WEBP", "AVIF", "GIF"]  # Pillow opens MPO through JPEG's opener

MAX_NAME_LENGTH = 80
ORIENTATION = 0x0112  # the EXIF tag
TURNED = {5, 6, 7, 8}  # orientations that swap width and height

# No image format starts with "<": a file that does (after a byte order mark and blanks) is a
# document. It is named as SVG when the first kilobyte says so, for a clearer message.
LEADING_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
SVG_ROOT = re.compile(rb"<svg\b", re.IGNORECASE)
# Active content anywhere in the file. Each pattern is long or specific enough that the
# compressed pixels of a 25 MB photo match it by chance far less than once in 100,000 uploads;
# a bare "<svg" (4 bytes) would not be, so SVG is caught by what makes it dangerous: a script,
# an event handler or a namespace. An XML declaration anywhere but the start makes no document.
ACTIVE_CONTENT = re.compile(
    rb"<script|<iframe|<object|<embed[\s/>]|<html[\s/>]|<body[\s/>]|<!doctype\s|<\?php\s"
    rb"|<svg[\s/][^>]{0,200}?(?:xmlns|\son[a-z]+\s*=)"
    rb"|<[a-z]+\s[^<>]{0,200}?\son[a-z]{3,20}\s*="
    rb"|javascript:",
    re.IGNORECASE,
)
SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload turned out to be."""

    format: str  # JPEG, PNG, WEBP, AVIF or GIF
    content_type: str
    width: int
    height: int
    size: int
    sha256: str
    name: str  # safe to store: no path, no odd characters, the right extension


def max_pixels():
    return settings.NEWSROOM_IMAGES_MAX_PIXELS


def max_bytes():
    return settings.NEWSROOM_IMAGES_MAX_BYTES


def inspect_upload(file):
    """Check an uploaded file (any Django File) and describe it; ValidationError if refused.

    Reads the file without storing it anywhere, and leaves it rewound.
    """
    size = file.size
    if size is None or size > max_bytes():
        raise ValidationError(
            "This file is %(size)s MB; images may be at most %(limit)s MB.",
            code="too_large",
            params={"size": _megabytes(size or 0), "limit": _megabytes(max_bytes())},
        )
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    sha256 = _scan(file)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its pixel limit (which apps.py sets to ours) and fails at twice
            # it; below that failure our own check says how large the picture is.
            warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
            info = _open_and_check(file)
    except PillowImage.DecompressionBombError:
        raise _too_many_pixels() from None
    finally:
        file.seek(0)
    pillow_format, width, height = info
    content_type, extension = FORMATS[pillow_format]
    return UploadInfo(
        format=STORED_FORMAT.get(pillow_format, pillow_format),
        content_type=content_type,
        width=width,
        height=height,
        size=size,
        sha256=sha256,
        name=safe_name(file.name or "", extension),
    )


def _scan(file):
    """Refuse markup at the start and active content anywhere; return the SHA-256."""
    digest = hashlib.sha256()
    overlap = b""
    file.seek(0)
    first = True
    for chunk in file.chunks(SCAN_CHUNK):
        if first:
            if LEADING_MARKUP.match(chunk):
                raise _markup_error(chunk[:1024])
            first = False
        digest.update(chunk)
        # Carry the tail over so that a pattern split across two chunks is still found.
        window = overlap + chunk
        if ACTIVE_CONTENT.search(window):
            raise ValidationError(
                "This file hides web page or script code inside the picture (a “polyglot” "
                "file), which could attack readers. Open it in an image editor and export it "
                "again as JPEG or PNG.",
                code="polyglot",
            )
        overlap = window[-400:]
    file.seek(0)
    return digest.hexdigest()


def _markup_error(head):
    if SVG_ROOT.search(head):
        return ValidationError(
            "SVG files are not accepted: they can carry scripts. Export the picture as PNG.",
            code="svg",
        )
    return ValidationError(
        "This is a web page or XML document, not an image. Upload a JPEG, PNG, WebP, AVIF or "
        "GIF file.",
        code="markup",
    )


def _open_and_check(file):
    try:
        with PillowImage.open(file, formats=OPENERS) as picture:
            pillow_format, (width, height) = picture.format, picture.size
            # The header alone tells the size: a bomb is refused before its pixels are decoded.
            if width * height > max_pixels():
                raise _too_many_pixels(width, height)
            picture.verify()
        file.seek(0)
        # verify() checks structure, not every pixel; a full decode catches a truncated file.
        # A JPEG is decoded at 1/8 scale: every byte is still read, in an eighth of the memory.
        with PillowImage.open(file, formats=OPENERS) as picture:
            picture.draft(picture.mode, (picture.width // 8 or 1, picture.height // 8 or 1))
            picture.load()
            # Sizes are stored upright, as pages show the picture (renditions.upright_rgb).
            if picture.getexif().get(ORIENTATION, 1) in TURNED:
                width, height = height, width
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not a picture in a format we accept (JPEG, PNG, WebP, AVIF or GIF), "
            "whatever its name says.",
            code="unsupported",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            "This image file is damaged or incomplete (%(reason)s). Export it again and retry.",
            code="damaged",
            params={"reason": str(exc) or type(exc).__name__},
        ) from None
    return pillow_format, width, height


def _too_many_pixels(width=None, height=None):
    size = f" ({width} × {height})" if width else ""
    return ValidationError(
        "This image has too many pixels%(size)s; the limit is %(limit)s megapixels. "
        "Resize it before uploading.",
        code="too_many_pixels",
        params={"size": size, "limit": round(max_pixels() / 1_000_000)},
    )


def safe_name(name, extension):
    """A file name safe to store: the last path part only, characters Django keeps, at most
    MAX_NAME_LENGTH characters, and the extension of what the content really is."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable was left
        stem = ""
    stem = stem.strip("._-")[: MAX_NAME_LENGTH - len(extension) - 1].rstrip("._-")
    return f"{stem or 'image'}.{extension}"


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")
