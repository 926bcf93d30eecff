"""
RSS and Atom feeds polled for new items, which are filed as articles in review.

Each poll sends the ETag and Last-Modified the server gave last time, so an unchanged feed costs
one 304. Items are keyed on their guid (Atom: id; without one, their link), so an item is filed
once however often it appears: later changes to it are for editors, not the feed, to make.
"""

import urllib.request
import xml.etree.ElementTree as ET  # noqa: S405 -- expat resolves no external entities
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.error import HTTPError
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Article

from .htmlbody import html_to_markdown, html_to_text
from .models import Feed, ImportRecord
from .plaintext import HEADLINE_MAX, STANDFIRST_MAX
from .reports import Summary
from .services import Incoming, article_import, text_fingerprint

TIMEOUT_SECONDS = 30
MAX_BYTES = 10_000_000
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
USER_AGENT = "Newsroom ingest_feed"


class FeedError(Exception):
    """The feed could not be fetched or read; the message says why."""


@dataclass
class FeedEntry:
    guid: str
    title: str
    link: str
    summary: str
    content: str
    author: str
    categories: list
    published: object


def fetch(feed):
    """(status, body): 304 with no body when the feed has not changed since the last poll."""
    if urlsplit(feed.url).scheme not in ("http", "https"):
        raise FeedError(f"{feed.url}: only http and https feeds can be polled")
    request = urllib.request.Request(feed.url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    if feed.etag:
        request.add_header("If-None-Match", feed.etag)
    if feed.last_modified:
        request.add_header("If-Modified-Since", feed.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FeedError(f"{feed.url}: the feed is over {MAX_BYTES:,} bytes")
            feed.etag = response.headers.get("ETag", "")[:500]
            feed.last_modified = response.headers.get("Last-Modified", "")[:100]
            return response.status, body
    except HTTPError as error:
        if error.code == 304:
            return 304, b""
        raise FeedError(f"{feed.url}: the server answered {error.code} {error.reason}") from None
    except (OSError, ValueError) as error:
        raise FeedError(f"{feed.url}: {error}") from None


def text(element, path, default=""):
    found = element.find(path)
    return (found.text or "").strip() if found is not None and found.text else default


def parse_date(value):
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return parse_datetime(value)


def entries(body):
    try:
        root = ET.fromstring(body)  # noqa: S314
    except ET.ParseError as error:
        raise FeedError(f"not an RSS or Atom feed: {error}") from None
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (e.get("href", "") for e in entry.findall(f"{ATOM}link")
                 if e.get("rel", "alternate") == "alternate"), "",
            )  # fmt: skip
            yield FeedEntry(
                guid=text(entry, f"{ATOM}id") or link,
                title=text(entry, f"{ATOM}title"),
                link=link,
                summary=text(entry, f"{ATOM}summary"),
                content=text(entry, f"{ATOM}content"),
                author=text(entry, f"{ATOM}author/{ATOM}name"),
                categories=[c.get("term", "") for c in entry.findall(f"{ATOM}category")],
                published=parse_date(
                    text(entry, f"{ATOM}published") or text(entry, f"{ATOM}updated")
                ),
            )
        return
    for item in root.iter("item"):
        yield FeedEntry(
            guid=text(item, "guid") or text(item, "link"),
            title=text(item, "title"),
            link=text(item, "link"),
            summary=text(item, "description"),
            content=text(item, CONTENT),
            author=text(item, DC_CREATOR) or text(item, "author"),
            categories=[(c.text or "").strip() for c in item.findall("category")],
            published=parse_date(text(item, "pubDate")),
        )


def incoming_for(entry, feed_url):
    headline = html_to_text(entry.title)[:HEADLINE_MAX] or "Untitled feed item"
    body, _ = html_to_markdown(entry.content or entry.summary)
    if entry.link:
        body += f"\n\n[Original: {entry.link}]({entry.link})" if body else f"<{entry.link}>"
    standfirst = html_to_text(entry.summary) if entry.content else ""
    return Incoming(
        key=f"feed:{entry.guid}"[:500],
        format="feed",
        source=feed_url,
        headline=headline,
        standfirst=standfirst if len(standfirst) <= STANDFIRST_MAX else "",
        body=body,
        bylines=[entry.author] if entry.author and len(entry.author) <= 150 else None,
        tags=[c[:100] for c in entry.categories if c] or None,
        status=Article.Status.IN_REVIEW,
        fingerprint=text_fingerprint(body),
        details={"guid": entry.guid, "link": entry.link},
    )


def poll_feed(url, *, dry_run=False):
    """Poll the feed at `url` once; returns a Summary of the items filed and skipped."""
    summary = Summary()
    feed, _ = Feed.objects.get_or_create(url=url)
    status, body = fetch(feed)
    feed.polled_at = timezone.now()
    if status == 304:
        summary.extra["feed not modified since the last poll"] += 1
    else:
        for entry in entries(body):
            if not entry.guid:
                summary.skip(entry.title, "items with neither a guid nor a link")
                continue
            incoming = incoming_for(entry, url)
            if ImportRecord.objects.filter(key=incoming.key).exists():
                summary.skip(entry.guid, "items filed by an earlier poll")
                continue
            with transaction.atomic():
                result = article_import(incoming=incoming)
                if dry_run:
                    transaction.set_rollback(True)
            summary.add(entry.guid, result)
    if not dry_run:
        feed.save()
    return summary
