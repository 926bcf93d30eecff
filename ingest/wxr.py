"""
WordPress exports (WXR 1.1 and 1.2) read as a stream: each <item> is handled and cleared as soon
as it has been read, so memory stays flat however large the file. The file is read twice: first
for its attachments (a [gallery] may come before the images it shows), then for the posts.

Statuses: publish → Published (at its WordPress date), future → Scheduled, pending → In review,
draft → Draft, and private → Draft, because a private post was readable only by the site's own
staff: it must not become public here. Password-protected posts come in as drafts for the same
reason. Pages are left out unless asked for; attachments are recorded (see models.Attachment),
and the pictures posts show join the image library when the uploads folder is given
(library.py).
"""

import html
import xml.etree.ElementTree as ET  # noqa: S405 -- expat resolves no external entities
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from articles.models import Article

NAMESPACES = {
    "content": "purl.org/rss/1.0/modules/content",
    "excerpt": "/excerpt/",
    "dc": "purl.org/dc/elements",
    "wp": "wordpress.org/export/",
}
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "pending": Article.Status.IN_REVIEW,
    "draft": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
COMMENT_STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected"}


def qualified(tag):
    """("wp", "post_id") for "{https://wordpress.org/export/1.2/}post_id"."""
    if tag.startswith("{"):
        uri, name = tag[1:].split("}", 1)
        # The excerpt namespace sits inside the wp one: test it first.
        for prefix in ("excerpt", "content", "dc", "wp"):
            if NAMESPACES[prefix] in uri:
                return prefix, name
        return uri, name
    return "", tag


@dataclass
class WxrComment:
    id: str
    parent: str
    author: str
    email: str
    url: str
    date: datetime | None
    content: str
    approved: str
    type: str


@dataclass
class WxrItem:
    fields: dict = field(default_factory=dict)  # ("wp", "post_id") -> text
    categories: list = field(default_factory=list)  # (domain, nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    def get(self, prefix, name, default=""):
        return self.fields.get((prefix, name)) or default

    @property
    def post_id(self):
        return self.get("wp", "post_id")

    @property
    def post_type(self):
        return self.get("wp", "post_type", "post")


def child_text(element):
    return {qualified(child.tag): (child.text or "").strip() for child in element}


def read_item(element):
    item = WxrItem()
    for child in element:
        key = qualified(child.tag)
        if key == ("", "category"):
            name = html.unescape((child.text or "").strip())
            item.categories.append((child.get("domain", ""), child.get("nicename", ""), name))
        elif key == ("wp", "postmeta"):
            values = child_text(child)
            item.meta[values.get(("wp", "meta_key"), "")] = values.get(("wp", "meta_value"), "")
        elif key == ("wp", "comment"):
            values = child_text(child)

            def value(name, values=values):
                return values.get(("wp", name), "")

            item.comments.append(
                WxrComment(
                    id=value("comment_id"),
                    parent=value("comment_parent"),
                    author=value("comment_author"),
                    email=value("comment_author_email"),
                    url=value("comment_author_url"),
                    date=wp_date(value("comment_date_gmt"), value("comment_date")),
                    content=value("comment_content"),
                    approved=value("comment_approved"),
                    type=value("comment_type"),
                )
            )
        else:
            text = child.text or ""
            item.fields[key] = text if key[0] in ("content", "excerpt") else text.strip()
    return item


@dataclass
class Channel:
    base_url: str = ""
    version: str = ""
    authors: dict = field(default_factory=dict)  # login -> display name


def stream(path, channel):
    """Each <item> of the export, read and then cleared; `channel` fills in on the way."""
    parent = None
    for event, element in ET.iterparse(path, events=("start", "end")):  # noqa: S314
        key = qualified(element.tag)
        if event == "start":
            if key == ("", "channel"):
                parent = element
            continue
        if key == ("", "item"):
            yield read_item(element)
            element.clear()
            if parent is not None:
                parent.clear()  # drop the cleared items: memory flat in the file's size
        elif key == ("wp", "author"):
            values = child_text(element)
            login = values.get(("wp", "author_login"), "")
            channel.authors[login] = values.get(("wp", "author_display_name"), "") or login
        elif key in (("wp", "base_blog_url"), ("wp", "base_site_url")):
            channel.base_url = channel.base_url or (element.text or "").strip().rstrip("/")
        elif key == ("wp", "wxr_version"):
            channel.version = (element.text or "").strip()


def wp_date(gmt, local=""):
    """WordPress's dates: the GMT one, or the site's local one when GMT is unset (drafts)."""
    for value in (gmt, local):
        if value and not value.startswith("0000"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
    return None


def legacy_paths(item, base_url):
    """The addresses the post answered to: /?p=ID, its permalink, /YYYY/MM/DD/slug/, /slug/."""
    paths = [f"/?p={item.post_id}"]
    link = item.get("", "link")
    if link:
        parts = urlsplit(link)
        if parts.path and parts.path != "/" and not parts.query:
            path = "/" + unquote(parts.path).lstrip("/")
            base_path = urlsplit(base_url).path.rstrip("/")
            if base_path and path.startswith(base_path + "/"):
                path = path[len(base_path) :]
            paths.append(path)
    slug = unquote(item.get("wp", "post_name"))
    date = wp_date("", item.get("wp", "post_date"))
    if slug and date and item.post_type == "post":
        paths.append(f"/{date:%Y/%m/%d}/{slug}/")
    if slug:
        paths.append(f"/{slug}/")
    return list(dict.fromkeys(paths))


def attachment_entry(item):
    return {
        "url": item.get("wp", "attachment_url") or item.get("", "guid"),
        "title": item.get("", "title"),
        "caption": item.get("excerpt", "encoded").strip(),
        "description": item.get("content", "encoded").strip(),
        "alt": item.meta.get("_wp_attachment_image_alt", ""),
        "file": item.meta.get("_wp_attached_file", ""),  # its path in the uploads folder
        "parent": item.get("wp", "post_parent"),
        "order": int(item.get("wp", "menu_order") or 0),
    }
