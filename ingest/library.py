"""
WordPress pictures brought into the image library from a copy of the site's
wp-content/uploads folder (`import_wxr --uploads DIR`). Nothing is fetched from the network: a
picture whose file is not in the folder is reported and left where it was.

A featured image (the post's `_thumbnail_id`) becomes the article's lead image; an <img> of the
uploads folder in a body (alone, in a [caption] or a [gallery]) becomes a library picture placed
with the body syntax, `![[image:N|caption]]`. Each attachment becomes one library picture however
many posts show it, keyed on its WordPress id (ImportedImage), so a second run reuses it; a
picture of the folder that no attachment describes is keyed on its path there.

Files go through images.services.image_create, with every check an editor's upload gets: what
the content really is, the byte and pixel caps, damaged files and polyglots. Alt text is the
attachment's (`_wp_attachment_image_alt`), or else the alt the post gave that <img>; it is never
made up. The library requires alt text, so a picture with none stays out of it and is reported
as needing alt text, as are missing and refused files: once each a run, never as a failure.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File

from images.services import image_create
from images.uploads import inspect_upload

from .htmlbody import html_to_text
from .models import ImportedImage

UPLOADS_SEGMENT = "/wp-content/uploads/"
# WordPress's copies of an upload: harbour-300x200.jpg is a size of harbour.jpg, and since
# WordPress 5.3 a large upload's attachment is harbour-scaled.jpg (or -rotated).
SIZE_SUFFIX_RE = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
# The year/month layout of uploads, as WordPress.com's file hosts serve it without the prefix.
YEAR_MONTH_RE = re.compile(r"^/?(\d{4}/\d{2}/[^/]+)$")
WP_IMAGE_CLASS_RE = re.compile(r"\bwp-image-(\d+)\b")
TITLE_MAX = 200
CAPTION_MAX = 1000
ALT_MAX = 300


@dataclass(frozen=True)
class Picture:
    key: str
    path: str  # inside the uploads folder
    label: str  # for the summary
    title: str = ""
    caption: str = ""
    alt: str = ""


def hostname(url):
    try:
        return urlsplit(url or "").hostname
    except ValueError:  # "http://[broken"
        return ""


def uploads_path(url):
    """The path inside the uploads folder of a file's address, or "" for another kind."""
    try:
        path = unquote(urlsplit(url or "").path)
    except ValueError:
        return ""
    if UPLOADS_SEGMENT in path:
        return path.split(UPLOADS_SEGMENT, 1)[1]
    if match := YEAR_MONTH_RE.match(path):
        return match.group(1)
    return ""


class Library:
    """The pictures of one import run: where their files are, and what became of each."""

    def __init__(self, uploads, *, base_url, attachments, dry_run=False):
        # Without a folder, pictures brought in by an earlier run are still placed, so that a
        # run without it (as an upload in the admin is) leaves them be; no others are.
        self.root = Path(uploads).resolve() if uploads else None
        self.base_url = base_url
        self.attachments = attachments  # WordPress id -> wxr.attachment_entry
        self.dry_run = dry_run
        self.hosts = {hostname(base_url), None}
        self.by_path = {}  # path in the folder -> attachment id
        self.by_original = {}  # the same without a size suffix, for resized copies
        for wp_id, entry in attachments.items():
            path = entry.get("file") or uploads_path(entry["url"])
            if path:
                self.by_path.setdefault(path, wp_id)
                self.by_original.setdefault(SIZE_SUFFIX_RE.sub("", path), wp_id)
                self.hosts.add(hostname(entry["url"]))
        # key -> library image id, or None when it could not be brought in (or was deleted)
        self.found = dict(
            ImportedImage.objects.filter(key__startswith=f"wxr:{base_url}/").values_list(
                "key", "image_id"
            )
        )
        self.reported = set()
        self.counts = Counter()
        self.notes = []

    def lead_image(self, wp_id):
        """The library image for a post's featured image (an attachment id)."""
        picture = self.attachment(str(wp_id).strip())
        return self.image_id(picture) if picture else None

    def body_image(self, attrs):
        """The library image for an <img> of a body (its attributes), or None to leave it be."""
        picture = None
        if match := WP_IMAGE_CLASS_RE.search(attrs.get("class", "")):
            picture = self.attachment(match.group(1))
        if picture is None:
            picture = self.by_address(attrs.get("src", ""))
        return self.image_id(picture, alt=attrs.get("alt", "")) if picture else None

    def attachment(self, wp_id):
        entry = self.attachments.get(wp_id)
        if entry is None:
            return None
        path = entry.get("file") or uploads_path(entry["url"])
        return Picture(
            key=f"wxr:{self.base_url}/?attachment_id={wp_id}",
            path=path,
            label=f"attachment {wp_id} ({path or entry['url'] or 'no file named'})",
            title=entry["title"],
            caption=html_to_text(entry["caption"]),
            alt=entry["alt"],
        )

    def by_address(self, src):
        if hostname(src) not in self.hosts:
            return None  # another site's picture (or no address at all): left as it is
        path = uploads_path(src)
        if not path:
            return None
        if path in self.by_path:
            return self.attachment(self.by_path[path])
        original = SIZE_SUFFIX_RE.sub("", path)
        if original in self.by_original:
            return self.attachment(self.by_original[original])
        if self.file_of(Picture(key="", path=original, label="")):
            path = original  # the picture itself rather than one of its sizes
        return Picture(
            key=f"wxr:{self.base_url}{UPLOADS_SEGMENT}{path}",
            path=path,
            label=f"picture {path}",
            title=Path(path).stem,
        )

    def image_id(self, picture, alt=""):
        if picture.key in self.found:
            image_id = self.found[picture.key]
            if picture.key not in self.reported:
                self.reported.add(picture.key)
                if image_id is not None:
                    self.counts["images already in the library"] += 1
                elif self.root:  # brought in by an earlier run, and deleted since
                    self.note(picture, "deleted from the image library; not brought back")
            return image_id
        self.reported.add(picture.key)
        self.found[picture.key] = None if self.root is None else self.bring_in(
            picture, alt=" ".join(alt.split())
        )  # fmt: skip
        return self.found[picture.key]

    def note(self, picture, problem):
        self.notes.append(f"{picture.label}: {problem}")
        return None

    def bring_in(self, picture, *, alt):
        path = self.file_of(picture)
        if path is None:
            return self.note(picture, "its file is not in the uploads folder; left out")
        alt_text = " ".join(picture.alt.split()) or alt
        if not alt_text:
            return self.note(
                picture,
                "has no alt text, which the image library requires: add it in WordPress "
                "(Media › Alternative text) and import again; left out",
            )
        if len(alt_text) > ALT_MAX:
            return self.note(picture, f"its alt text is over {ALT_MAX} characters; left out")
        try:
            with File(path.open("rb"), name=path.name) as upload:
                if self.dry_run:
                    inspect_upload(upload)
                    image = None
                else:
                    image = image_create(
                        upload=upload,
                        title=(picture.title or path.stem)[:TITLE_MAX],
                        alt_text=alt_text,
                        caption=picture.caption[:CAPTION_MAX],
                    )
        except ValidationError as error:
            return self.note(picture, "refused by the image library: " + " ".join(error.messages))
        except OSError as error:
            return self.note(picture, f"could not be read ({error.strerror or error}); left out")
        self.counts["images put in the library"] += 1
        if image is None:
            return None
        ImportedImage.objects.create(key=picture.key, image=image)
        return image.pk

    def file_of(self, picture):
        """The picture's file, when it is inside the uploads folder."""
        if self.root is None or not picture.path:
            return None
        path = (self.root / picture.path).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def report(self, summary):
        summary.extra.update(self.counts)
        summary.notes.extend(self.notes)
