"""
A WordPress site carried over from its export (see wxr.py for how the file is read): posts become
articles, their comments reader comments, their old addresses redirects, and the pictures they
show library images when a copy of the uploads folder is given (library.py); without one, their
attachments are recorded and reported. Every piece is keyed on its WordPress id, so a second run
changes nothing.
"""

import re
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import batched
from urllib.parse import unquote

from django.db import transaction

from comments.models import Comment
from comments.services import comments_create

from .htmlbody import autop, html_to_markdown, html_to_text
from .library import Library
from .models import Attachment, ImportedComment
from .plaintext import HEADLINE_MAX, STANDFIRST_MAX
from .reports import Summary
from .services import Incoming, Names, articles_import, legacy_addresses_add, text_fingerprint
from .shortcodes import ShortcodeContext, expand
from .wxr import STATUSES, Channel, attachment_entry, legacy_paths, stream, wp_date

COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
}
COMMENT_NAME_MAX = Comment._meta.get_field("name").max_length
# Posts are read, then written a batch at a time in one transaction: their articles, comments
# and old addresses in a few queries for the whole batch.
COMMIT_EVERY = 200
ATTACHMENT_FIELDS = ("record", "url", "title", "caption", "description", "metadata")
DYNAMIC_BLOCK_RE = re.compile(r"<!--\s+wp:([a-z0-9/-]+)[^>]*?/-->")


class ItemError(ValueError):
    """One post that cannot become an article; the run goes on with the next."""


@dataclass
class WxrOptions:
    post_types: tuple = ("post",)
    categories_as: str = "sections"  # or "tags"
    force: bool = False
    dry_run: bool = False
    uploads: str | None = None  # a copy of the site's wp-content/uploads folder


def headline_of(item, notes):
    headline = " ".join(html_to_text(item.get("", "title")).split())
    if not headline:
        headline = f"Untitled post {item.post_id}"
        notes.append(f"post {item.post_id} has no title; it is “{headline}”")
    if len(headline) > HEADLINE_MAX:
        headline = headline[: HEADLINE_MAX - 1].rsplit(" ", 1)[0] + "…"
        notes.append(f"post {item.post_id}: its title was shortened to {HEADLINE_MAX} characters")
    return headline


def body_of(item, context, notes, library=None):
    content = item.get("content", "encoded")
    if blocks := sorted(set(DYNAMIC_BLOCK_RE.findall(content))):
        notes.append(
            f"post {item.post_id}: blocks WordPress filled in as it showed the page, which show "
            f"nothing here: {', '.join(blocks)}"
        )
    content = expand(content, context)
    if "<!-- wp:" not in content:
        content = autop(content)
    body, converted = html_to_markdown(content, library.body_image if library else None)
    notes.extend(f"post {item.post_id}: {note}" for note in [*context.notes, *converted])
    for name, count in Counter(context.unknown).items():
        notes.append(
            f"post {item.post_id}: unknown shortcode [{name}] ({count}×): its brackets were "
            "removed, its text kept"
        )
    return body


def filing(item, options, names):
    categories = [name for domain, _, name in item.categories if domain == "category" and name]
    tags = [name[:100] for domain, _, name in item.categories if domain == "post_tag" and name]
    section = None
    if options.categories_as == "tags":
        tags = categories + tags
    elif categories:
        section = names.section(categories[0][:100])
        tags = categories[1:] + tags
    return section, list(dict.fromkeys(tags))


def status_of(item, notes):
    wp_status = item.get("wp", "status")
    status = STATUSES.get(wp_status)
    if status == "published" and item.get("wp", "post_password"):
        notes.append(f"post {item.post_id} was password-protected: imported as a draft")
        status = "draft"
    return status


def incoming_for(item, channel, context, options, notes, names, library=None):
    status = status_of(item, notes)
    excerpt = html_to_text(item.get("excerpt", "encoded"))
    if len(excerpt) > STANDFIRST_MAX:
        raise ItemError(
            f"post {item.post_id}: its excerpt is {len(excerpt)} characters; a standfirst "
            f"holds {STANDFIRST_MAX}. Shorten it in WordPress and export again."
        )
    section, tags = filing(item, options, names)
    date = wp_date(item.get("wp", "post_date_gmt"), item.get("wp", "post_date"))
    creator = item.get("dc", "creator")
    author = channel.authors.get(creator, creator)
    body = body_of(item, context, notes, library)
    thumbnail = item.meta.get("_thumbnail_id", "")
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
        lead_image=library.lead_image(thumbnail) if library and thumbnail else None,
        fingerprint=text_fingerprint(body),
        details={
            "wordpress_id": item.post_id,
            "link": item.get("", "link"),
            "sticky": item.get("wp", "is_sticky") == "1",
            "unknown_shortcodes": sorted(set(context.unknown)),
            "attachments": [str(i) for i in context.post_attachments],
        },
    )


@dataclass
class Post:
    """One item of a batch on its way in, and what became of it, for the summary."""

    item: object
    label: str
    skipped: str = ""
    error: str = ""
    context: ShortcodeContext | None = None
    incoming: Incoming | None = None
    result: object = None
    notes: list = field(default_factory=list)
    left_out: list = field(default_factory=list)  # why comments were not carried over
    comments: int = 0
    addresses: int = 0

    @property
    def imported(self):
        result = self.result
        return bool(result and result.article is not None and result.article.pk and result.record)

    def report(self, summary):
        if self.skipped:
            summary.skip(self.item.post_id, self.skipped)
            return
        if self.error:
            summary.fail(self.error)
            return
        summary.reasons.update(self.left_out)
        if self.comments:
            summary.extra["comments"] += self.comments
        if self.addresses:
            summary.extra["old addresses"] += self.addresses
        summary.add(self.label, self.result)
        summary.notes.extend(self.notes)


def comments_import(*, posts):
    """Carry over the posts' comments once each; replies deeper than ours go under the thread's
    first comment, as our comments are one level deep."""
    prefixes = {id(post): f"{post.incoming.key}#comment-" for post in posts}
    keys = [prefixes[id(post)] + c.id for post in posts for c in post.item.comments]
    # key -> the id of a comment carried over before, or the comment made in this batch
    known = dict(
        ImportedComment.objects.filter(key__in=keys).values_list("key", "comment_id")
    ) if keys else {}  # fmt: skip
    new = []
    for post in posts:
        made, by_id = {}, {c.id: c for c in post.item.comments}
        for wp in sorted(post.item.comments, key=lambda c: int(c.id or 0)):
            if wp.type in ("pingback", "trackback"):
                post.left_out.append("pingbacks and trackbacks are not reader comments")
                continue
            status = COMMENT_STATUSES.get(wp.approved)
            text = html_to_text(wp.content)
            if status is None or not text:
                post.left_out.append(f"comments with status {wp.approved!r} or no text")
                continue
            key = prefixes[id(post)] + wp.id
            if key in known:
                made[wp.id] = known[key]
                continue
            root = wp
            while root.parent not in ("", "0") and root.parent in by_id:
                root = by_id[root.parent]
            article = post.result.article
            comment = Comment(
                article=article,
                name=(wp.author or "Anonymous")[:COMMENT_NAME_MAX],
                email=(wp.email or f"comment-{wp.id}@wordpress-import.invalid").lower(),
                body=text[: Comment.MAX_LENGTH],
                status=status,
                created_at=wp.date or article.published_at or article.created_at,
            )
            parent = made.get(root.id) if root is not wp else None
            if isinstance(parent, Comment):
                comment.parent = parent
            else:
                comment.parent_id = parent
            new.append((key, comment))
            made[wp.id] = known[key] = comment
            post.comments += 1
    comments_create(comments=[comment for _, comment in new])
    ImportedComment.objects.bulk_create(
        ImportedComment(key=key, comment_id=comment.pk) for key, comment in new
    )


def attachments_record(*, posts):
    """Record each post's attachments for the image library, or bring their records up to date."""
    wanted = {}
    for post in posts:
        for wp_id in post.context.post_attachments:
            entry = post.context.attachments.get(str(wp_id))
            if not entry or not entry["url"]:
                continue
            wanted[f"{post.result.record.key}#attachment-{wp_id}"] = {
                "record_id": post.result.record.pk,
                "url": entry["url"][:1000],
                "title": entry["title"][:500],
                "caption": entry["caption"],
                "description": entry["description"],
                "metadata": {"alt": entry["alt"], "wordpress_id": str(wp_id)},
            }
    existing = Attachment.objects.in_bulk(list(wanted), field_name="key")
    new, changed = [], []
    for key, values in wanted.items():
        attachment = existing.get(key)
        if attachment is None:
            new.append(Attachment(key=key, **values))
        elif any(getattr(attachment, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(attachment, name, value)
            changed.append(attachment)
    Attachment.objects.bulk_create(new)
    Attachment.objects.bulk_update(changed, ATTACHMENT_FIELDS)


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
    library = Library(
        options.uploads, base_url=channel.base_url, attachments=attachments,
        dry_run=options.dry_run,
    )  # fmt: skip
    if not options.uploads:
        summary.extra["attachments awaiting the image library"] = len(attachments)

    names, done = Names(), 0
    # A batch commits at once: a commit per item would spend most of a large run syncing to
    # disk. A dry run is one transaction, rolled back, so that it reports what a run would do.
    with transaction.atomic() if options.dry_run else nullcontext():
        for batch in batched(stream(path, Channel()), COMMIT_EVERY):
            with transaction.atomic():
                posts = [read_post(item, channel, attachments, by_parent, options, names, library)
                         for item in batch]  # fmt: skip
                import_posts(posts, channel, options, names)
            for post in posts:
                post.report(summary)
                done += 1
                if progress:
                    progress(done, total)
        if options.dry_run:
            transaction.set_rollback(True)
    library.report(summary)
    return summary


def read_post(item, channel, attachments, by_parent, options, names, library=None):
    post = Post(item, label=f"post {item.post_id} “{item.get('', 'title')[:60]}”")
    if item.post_type not in options.post_types:
        post.skipped = f"{item.post_type} items are not imported"
    elif item.get("wp", "status") not in STATUSES:
        post.skipped = f"posts with status {item.get('wp', 'status')!r}"
    else:
        post.context = ShortcodeContext(attachments, by_parent.get(item.post_id, []))
        try:
            post.incoming = incoming_for(
                item, channel, post.context, options, post.notes, names, library
            )
        except ItemError as error:
            post.error = str(error)
    return post


def import_posts(posts, channel, options, names):
    """Write a batch of posts: their articles, then their comments, attachments and addresses."""
    ready = [post for post in posts if post.incoming]
    results = articles_import(
        incomings=[post.incoming for post in ready], force=options.force, names=names
    )
    for post, result in zip(ready, results, strict=True):
        post.result = result
    imported = [post for post in ready if post.imported]
    comments_import(posts=imported)
    attachments_record(posts=imported)
    claims = [(legacy_paths(post.item, channel.base_url), post.result.article) for post in imported]
    for post, outcomes in zip(imported, legacy_addresses_add(claims=claims), strict=True):
        for path, outcome in outcomes.items():
            if outcome == "taken":
                post.notes.append(f"{post.label}: {path} already leads to another article")
            elif outcome == "created":
                post.addresses += 1
