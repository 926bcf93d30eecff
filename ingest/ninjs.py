"""
IPTC NINJS items (2.x and 3.x) imported as articles, keyed on their `uri`.

2.x gives `headline`, `subheadline` (or `description_text`), `body_html` (or `body_text`),
`byline` and `subject`; 3.x gives `headlines`, `descriptions` and `bodies` as lists with a role
(a body may be text/plain), and `by`.
An embargoed item is held until its embargo: with `publish` it is scheduled for that time (our
scheduling is what keeps it off the site until then), without it a draft whose publish time is
already set to the embargo. A newer `versioncreated` updates the article; an older or equal one
changes nothing.
"""

import html
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .htmlbody import autop, html_to_markdown, html_to_text
from .models import ImportRecord
from .plaintext import HEADLINE_MAX, STANDFIRST_MAX, read_byline
from .reports import Summary
from .services import Incoming, article_import, text_fingerprint

MAX_BYTES = 5_000_000


class NinjsError(ValueError):
    """An item that cannot become an article; the message says which and why."""


def by_role(entries, role="main"):
    """The value of the entry with `role` (or the first) in a 3.x list of {role, value}."""
    if isinstance(entries, str):
        return entries
    entries = [e for e in entries or [] if isinstance(e, dict)]
    chosen = next((e for e in entries if e.get("role") == role), entries[0] if entries else {})
    return chosen.get("value", "")


def body_of(item):
    """The item's body as HTML: body_html, or the main of 3.x `bodies`, or body_text; a plain
    text body (body_text, or contenttype text/plain) keeps its paragraphs, and any markup in
    it is text."""
    if item.get("body_html"):
        return str(item["body_html"])
    bodies = [b for b in item.get("bodies") or [] if isinstance(b, dict)]
    main = next((b for b in bodies if b.get("role") == "main"), bodies[0] if bodies else None)
    if main is not None and main.get("value"):
        plain = str(main.get("contenttype", "text/html")).startswith("text/plain")
        return autop(html.escape(str(main["value"]), quote=False)) if plain else main["value"]
    if item.get("body_text"):
        return autop(html.escape(str(item["body_text"]), quote=False))
    return ""


def when(value, label, source):
    if not value:
        return None
    moment = parse_datetime(str(value))
    if moment is None:
        raise NinjsError(f"{source}: {label} {value!r} is not a date and time")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.utc)


def items_in(data, source):
    """A file may hold one item, a list of items, or {"items": [...]}."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return data["items"]
    if isinstance(data, dict):
        return [data]
    raise NinjsError(f"{source}: not a NINJS item")


def incoming_from(item, source, *, publish=False, now=None):
    if not isinstance(item, dict) or not item.get("uri"):
        raise NinjsError(f"{source}: an item without a uri, which is its identity")
    uri = str(item["uri"])
    headline = html_to_text(item.get("headline") or by_role(item.get("headlines")))
    if not headline:
        raise NinjsError(f"{source}: {uri} has no headline")
    if len(headline) > HEADLINE_MAX:
        raise NinjsError(f"{source}: {uri}'s headline is over {HEADLINE_MAX} characters")
    standfirst = html_to_text(
        item.get("subheadline")
        or item.get("description_text")
        or by_role(item.get("descriptions"), "summary")
    )
    if len(standfirst) > STANDFIRST_MAX:
        raise NinjsError(
            f"{source}: {uri}'s subheadline is {len(standfirst)} characters; a standfirst "
            f"holds {STANDFIRST_MAX}"
        )
    body, _ = html_to_markdown(body_of(item))
    if not body.strip():
        raise NinjsError(f"{source}: {uri} has no body")
    byline = str(item.get("byline") or item.get("by") or "")
    read = read_byline(byline if byline.lower().startswith("by ") else f"By {byline}")
    bylines, credit = read if byline and read else ([], "")
    subjects = item.get("subject") or item.get("subjects") or []
    tags = [s["name"][:100] for s in subjects if isinstance(s, dict) and s.get("name")]
    embargo = when(item.get("embargoed"), "embargoed", source)
    held = embargo is not None and embargo > (now or timezone.now())
    status = None
    if held:
        status = "scheduled" if publish else "draft"
    return Incoming(
        key=f"ninjs:{uri}",
        format="ninjs",
        source=source,
        headline=headline,
        standfirst=standfirst,
        body=body,
        bylines=bylines or None,
        credit=credit,
        tags=tags or None,
        status=status,
        publish_at=embargo if held else None,
        fingerprint=text_fingerprint(body),
        details={
            "versioncreated": str(item.get("versioncreated", "")),
            "embargoed": str(item.get("embargoed", "")),
        },
    ), when(item.get("versioncreated"), "versioncreated", source)


def ninjs_files(paths):
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() == ".json"))
        else:
            files.append(path)
    return files


def import_ninjs(paths, *, publish=False, force=False, dry_run=False, now=None):
    """Import every item in the files and folders `paths`; returns a Summary."""
    summary = Summary()
    for path in ninjs_files(paths):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise NinjsError(f"{path}: over the {MAX_BYTES:,}-byte limit")
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            items = items_in(data, path)
        except (OSError, ValueError) as error:
            summary.fail(f"{path}: {error}" if not isinstance(error, NinjsError) else str(error))
            continue
        for item in items:
            try:
                incoming, version = incoming_from(item, str(path), publish=publish, now=now)
            except NinjsError as error:
                summary.fail(str(error))
                continue
            record = ImportRecord.objects.filter(key=incoming.key).first()
            if record and version and not force and is_not_newer(record, version):
                summary.counts["unchanged"] += 1
                continue
            with transaction.atomic():
                result = article_import(incoming=incoming, force=force, now=now,
                                        publish=publish and incoming.status is None)  # fmt: skip
                if dry_run:
                    transaction.set_rollback(True)
            summary.add(incoming.key, result)
    return summary


def is_not_newer(record, version):
    stored = parse_datetime(record.details.get("versioncreated", "") or "")
    if stored is None:
        return False
    if not timezone.is_aware(stored):
        stored = timezone.make_aware(stored, timezone.utc)
    return version <= stored
