"""
WordPress shortcodes turned into plain HTML before the body is converted: [caption] becomes a
figure with its caption, [gallery] the images it showed, [embed], [audio] and [video] links to
what they played. Other shortcodes are reported and their brackets removed: the words between an
opening and a closing tag stay, so no text is lost.
"""

import html
import re
from dataclasses import dataclass, field

ATTRIBUTE_RE = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))|"([^"]*)"|(\S+)')
ENCLOSED_RE = re.compile(r"\[(?P<name>[a-z][\w-]*)(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?P=name)\]",
                         re.DOTALL | re.IGNORECASE)  # fmt: skip
# A self-closing shortcode: a name, then attributes with "=" or a trailing "/".
SELF_CLOSING_RE = re.compile(
    r"\[(?P<name>[a-z][\w-]*)(?P<attrs>(?:\s+[^\]]*=[^\]]*|\s+https?://[^\]\s]+[^\]]*)?)\s*/?\]",
    re.IGNORECASE,
)
KNOWN = {"caption", "wp_caption", "gallery", "embed", "audio", "video"}


@dataclass
class ShortcodeContext:
    """What a shortcode may need: the export's attachments by id, and those of this post."""

    attachments: dict = field(default_factory=dict)  # id -> {"url", "title", "caption"}
    post_attachments: list = field(default_factory=list)  # ids, in the post's order
    unknown: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def parse_attributes(text):
    attrs, positional = {}, []
    for match in ATTRIBUTE_RE.finditer(text or ""):
        name, *values = match.groups()
        if name is not None:
            attrs[name.lower()] = next((v for v in values[:3] if v is not None), "")
        else:
            positional.append(next(v for v in values[3:] if v is not None))
    return attrs, positional


def link(url):
    url = html.escape(url.strip())
    return f'<p><a href="{url}">{url}</a></p>'


def image(attachment):
    # The attachment's own alt text only: its title is a name, not a description.
    alt = html.escape(attachment.get("alt") or "")
    return f'<img src="{html.escape(attachment["url"])}" alt="{alt}">'


def caption(attrs, inner):
    text = attrs.get("caption", "")
    if not text:
        # The caption is what follows the image: "<a><img></a> Bell on wharf".
        text = re.sub(r"^\s*(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", "", inner, flags=re.I)
        inner = inner[: len(inner) - len(text)]
    return f"<figure>{inner.strip()}<figcaption>{text.strip()}</figcaption></figure>"


def gallery(attrs, context):
    ids = [i for i in re.split(r"[,\s]+", attrs.get("ids", "")) if i.isdigit()]
    ids = ids or [str(i) for i in context.post_attachments]
    found = [context.attachments[i] for i in ids if i in context.attachments]
    images = [a for a in found if a.get("url", "").startswith(("http://", "https://"))]
    if not images:
        context.notes.append("a [gallery] whose images are not in the export was left out")
        return ""
    return "<figure>" + "".join(image(a) for a in images) + "</figure>"


def media(attrs, positional, inner):
    url = attrs.get("src") or attrs.get("url") or attrs.get("mp3") or attrs.get("mp4")
    url = url or next((p for p in positional if p.startswith("http")), "") or inner.strip()
    return link(url) if url.startswith(("http://", "https://")) else ""


def render(name, attrs_text, inner, context):
    name = name.lower()
    attrs, positional = parse_attributes(attrs_text)
    if name in ("caption", "wp_caption"):
        return caption(attrs, expand(inner, context))
    if name == "gallery":
        return gallery(attrs, context)
    if name == "embed":
        return link(inner) if inner.strip().startswith("http") else ""
    if name in ("audio", "video"):
        return media(attrs, positional, inner)
    context.unknown.append(name)
    return expand(inner, context)


def expand(content, context):
    """`content` with every shortcode replaced; unknown names land in `context.unknown`."""
    content = ENCLOSED_RE.sub(
        lambda m: render(m["name"], m["attrs"], m["inner"], context), content or ""
    )
    return SELF_CLOSING_RE.sub(
        lambda m: (
            render(m["name"], m["attrs"], "", context)
            if m["name"].lower() in KNOWN or m["attrs"].strip() or m.group(0).endswith("/]")
            else m.group(0)
        ),
        content,
    )
