"""
A WordPress site carried over from its export (see wxr.py for how the file is read): posts become
articles, their comments reader comments, their old addresses redirects, and their attachments
records awaiting the image library. Every piece is keyed on its WordPress id, so a second run
changes nothing.
"""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import batched
from urllib.parse import unquote

from django.db import transaction

from articles.services import section_named
from comments.models import Comment

from .htmlbody import autop, html_to_markdown, html_to_text
from .models import Attachment, ImportedComment
from .plaintext import HEADLINE_MAX, STANDFIRST_MAX
from .reports import Summary
from .services import Incoming, article_import, legacy_addresses_add, text_fingerprint
from .shortcodes import ShortcodeContext, expand
from .wxr import STATUSES, Channel, attachment_entry, legacy_paths, stream, wp_date

COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
}
COMMENT_NAME_MAX = Comment._meta.get_field("name").max_length
COMMIT_EVERY = 200
DYNAMIC_BLOCK_RE = re.compile(r"<!--\s+wp:([a-z0-9/-]+)[^>]*?/-->")


class ItemError(ValueError):
    """One post that cannot become an article; the run goes on with the next."""


@dataclass
class WxrOptions:
    post_types: tuple = ("post",)
    categories_as: str = "sections"  # or "tags"
    force: bool = False
    dry_run: bool = False


def headline_of(item, notes):
    headline = " ".join(html_to_text(item.get("", "title")).split())
    if not headline:
        headline = f"Untitled post {item.post_id}"
        notes.append(f"post {item.post_id} has no title; it is “{headline}”")
    if len(headline) > HEADLINE_MAX:
        headline = headline[: HEADLINE_MAX - 1].rsplit(" ", 1)[0] + "…"
        notes.append(f"post {item.post_id}: its title was shortened to {HEADLINE_MAX} characters")
    return headline


def body_of(item, context, notes):
    content = item.get("content", "encoded")
    if blocks := sorted(set(DYNAMIC_BLOCK_RE.findall(content))):
        notes.append(
            f"post {item.post_id}: blocks WordPress filled in as it showed the page, which show "
            f"nothing here: {', '.join(blocks)}"
        )
    content = expand(content, context)
    if "<!-- wp:" not in content:
        content = autop(content)
    body, converted = html_to_markdown(content)
    notes.extend(f"post {item.post_id}: {note}" for note in [*context.notes, *converted])
    for name, count in Counter(context.unknown).items():
        notes.append(
            f"post {item.post_id}: unknown shortcode [{name}] ({count}×): its brackets were "
            "removed, its text kept"
        )
    return body


def filing(item, options):
    categories = [name for domain, _, name in item.categories if domain == "category" and name]
    tags = [name[:100] for domain, _, name in item.categories if domain == "post_tag" and name]
    section = None
    if options.categories_as == "tags":
        tags = categories + tags
    elif categories:
        section = section_named(categories[0][:100])
        tags = categories[1:] + tags
    return section, list(dict.fromkeys(tags))


def status_of(item, notes):
    wp_status = item.get("wp", "status")
    status = STATUSES.get(wp_status)
    if status == "published" and item.get("wp", "post_password"):
        notes.append(f"post {item.post_id} was password-protected: imported as a draft")
        status = "draft"
    return status


def incoming_for(item, channel, context, options, notes):
    status = status_of(item, notes)
    excerpt = html_to_text(item.get("excerpt", "encoded"))
    if len(excerpt) > STANDFIRST_MAX:
        raise ItemError(
            f"post {item.post_id}: its excerpt is {len(excerpt)} characters; a standfirst "
            f"holds {STANDFIRST_MAX}. Shorten it in WordPress and export again."
        )
    section, tags = filing(item, options)
    date = wp_date(item.get("wp", "post_date_gmt"), item.get("wp", "post_date"))
    creator = item.get("dc", "creator")
    author = channel.authors.get(creator, creator)
    body = body_of(item, context, notes)
    return Incoming(
        key=f"wxr:{channel.base_url}/?p={item.post_id}",
        format="wxr",
        source=item.get("", "link") or f"{channel.base_url}/?p={item.post_id}",
        headline=headline_of(item, notes),
        standfirst=excerpt,
        body=body,
        bylines=[author] if author else None,
        section=section,
        tags=tags,
        status=status,
        publish_at=date if status == "scheduled" else None,
        published_at=date,
        slug=re.sub(r"[^\w-]", "", unquote(item.get("wp", "post_name"))),
        allow_comments=item.get("wp", "comment_status") != "closed",
        fingerprint=text_fingerprint(body),
        details={
            "wordpress_id": item.post_id,
            "link": item.get("", "link"),
            "sticky": item.get("wp", "is_sticky") == "1",
            "unknown_shortcodes": sorted(set(context.unknown)),
            "attachments": [str(i) for i in context.post_attachments],
        },
    )


def comments_import(*, item, article, channel, summary):
    """Carry over the post's comments once each; replies deeper than ours go under the thread's
    first comment, as our comments are one level deep."""
    made, new_keys = {}, []
    by_id = {c.id: c for c in item.comments}
    prefix = f"wxr:{channel.base_url}/?p={item.post_id}#comment-"
    known = dict(
        ImportedComment.objects.filter(key__in=[prefix + c.id for c in item.comments])
        .values_list("key", "comment_id")
    ) if item.comments else {}  # fmt: skip
    for wp in sorted(item.comments, key=lambda c: int(c.id or 0)):
        if wp.type in ("pingback", "trackback"):
            summary.reasons["pingbacks and trackbacks are not reader comments"] += 1
            continue
        status = COMMENT_STATUSES.get(wp.approved)
        text = html_to_text(wp.content)
        if status is None or not text:
            summary.reasons[f"comments with status {wp.approved!r} or no text"] += 1
            continue
        key = prefix + wp.id
        if key in known:
            made[wp.id] = known[key]
            continue
        root = wp
        while root.parent not in ("", "0") and root.parent in by_id:
            root = by_id[root.parent]
        parent_id = made.get(root.id) if root is not wp else None
        comment = Comment.objects.create(
            article=article,
            parent_id=parent_id,
            name=(wp.author or "Anonymous")[:COMMENT_NAME_MAX],
            email=(wp.email or f"comment-{wp.id}@wordpress-import.invalid").lower(),
            body=text[: Comment.MAX_LENGTH],
            status=status,
            created_at=wp.date or article.published_at or article.created_at,
        )
        new_keys.append(ImportedComment(key=key, comment_id=comment.pk))
        made[wp.id] = comment.pk
        summary.extra["comments"] += 1
    ImportedComment.objects.bulk_create(new_keys)


def attachments_record(*, record, item, context):
    for wp_id in context.post_attachments:
        entry = context.attachments.get(str(wp_id))
        if not entry or not entry["url"]:
            continue
        Attachment.objects.update_or_create(
            key=f"{record.key}#attachment-{wp_id}",
            defaults={
                "record": record,
                "url": entry["url"][:1000],
                "title": entry["title"][:500],
                "caption": entry["caption"],
                "description": entry["description"],
                "metadata": {"alt": entry["alt"], "wordpress_id": str(wp_id)},
            },
        )


def read_attachments(path):
    channel, attachments = Channel(), {}
    total = 0
    for item in stream(path, channel):
        total += 1
        if item.post_type == "attachment":
            attachments[item.post_id] = attachment_entry(item)
    return channel, attachments, total


def import_wxr(path, *, options=None, progress=None):
    """Import the export at `path`; returns a Summary. `progress(done, total)` is called after
    each item."""
    options = options or WxrOptions()
    summary = Summary()
    channel, attachments, total = read_attachments(path)
    by_parent = {}
    for wp_id, entry in sorted(attachments.items(), key=lambda kv: (kv[1]["order"], int(kv[0]))):
        by_parent.setdefault(entry["parent"], []).append(wp_id)
    summary.extra["attachments awaiting the image library"] = len(attachments)

    done = 0
    # Items commit a batch at a time (each in a savepoint of its own, so one that fails takes
    # nothing else with it): a commit per item would spend most of a large run syncing to disk.
    for batch in batched(stream(path, Channel()), COMMIT_EVERY):
        with transaction.atomic():
            for item in batch:
                done += 1
                if item.post_type not in options.post_types:
                    summary.skip(item.post_id, f"{item.post_type} items are not imported")
                elif item.get("wp", "status") not in STATUSES:
                    summary.skip(item.post_id, f"posts with status {item.get('wp', 'status')!r}")
                else:
                    import_item(item, channel, attachments, by_parent, options, summary)
                if progress:
                    progress(done, total)
    return summary


def import_item(item, channel, attachments, by_parent, options, summary):
    notes = []
    context = ShortcodeContext(attachments, by_parent.get(item.post_id, []))
    label = f"post {item.post_id} “{item.get('', 'title')[:60]}”"
    try:
        with transaction.atomic():
            incoming = incoming_for(item, channel, context, options, notes)
            result = article_import(incoming=incoming, force=options.force)
            if result.article is not None and result.article.pk and result.record:
                comments_import(item=item, article=result.article, channel=channel,
                                summary=summary)  # fmt: skip
                attachments_record(record=result.record, item=item, context=context)
                paths = legacy_paths(item, channel.base_url)
                outcomes = legacy_addresses_add(paths=paths, article=result.article)
                for path, outcome in outcomes.items():
                    if outcome == "taken":
                        notes.append(f"{label}: {path} already leads to another article")
                    elif outcome == "created":
                        summary.extra["old addresses"] += 1
            if options.dry_run:
                transaction.set_rollback(True)
    except ItemError as error:
        summary.fail(str(error))
        return
    summary.add(label, result)
    summary.notes.extend(notes)
