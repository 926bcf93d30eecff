"""
HTML bodies (WordPress posts, NINJS body_html, feed items) turned into the Markdown our article
bodies are written in, so that editors edit one format and headings get their anchors.

What Markdown has no syntax for is kept as HTML inside the Markdown (tables, figures with
captions, struck-through and raised text), and the renderer's sanitiser applies to it as to
any body. Scripts, styles, forms and frames never reach the body; a frame or a media player
becomes a link to what it showed.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from articles.rendering import cleaner

BLOCK_TAGS = {
    "address", "article", "aside", "center", "dd", "details", "div", "dl", "dt", "footer",
    "header", "main", "nav", "p", "section", "summary", "figure", "body", "html",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DROPPED_TAGS = {
    "script", "style", "noscript", "form", "button", "input", "select", "textarea", "svg",
    "canvas", "template", "head", "title", "meta", "link",
}  # fmt: skip
MEDIA_TAGS = {"iframe", "embed", "object", "video", "audio"}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "source", "embed", "wbr", "col"}
INLINE_HTML_TAGS = {"del", "s", "strike", "sup", "sub"}
LINK_SCHEMES = {"http", "https", "mailto", "tel", ""}
BREAK = "\x00br\x00"
AUTOP_BLOCK_RE = re.compile(
    r"^\s*<(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|address|section|!--)\b",
    re.IGNORECASE,
)
AUTOP_BLOCK_TAG = (
    r"</?(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|dl|dt|dd|"
    r"figure|figcaption|hr|address|section|cite)\b[^>]*>"
)
BLOCK_TAG_AT_END_RE = re.compile(AUTOP_BLOCK_TAG + r"\s*$", re.IGNORECASE)
BLOCK_TAG_AT_START_RE = re.compile(r"^\s*" + AUTOP_BLOCK_TAG, re.IGNORECASE)
BARE_URL_RE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
# A library picture met inside a paragraph: it is given a line of its own when the line ends.
IMAGE_MARK = "\x00image:{}\x00"
IMAGE_MARK_RE = re.compile(r"\x00image:(\d+)\x00")


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


class TreeBuilder(HTMLParser):
    """A forgiving tree of the HTML: unclosed tags close with their parent."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("body")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        if tag in ("p", "li") and self.stack[-1].tag == tag:
            self.stack.pop()  # <p>one<p>two: the first ends where the second starts
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(markup):
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def escape_text(text):
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)


def escape_line_start(text):
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    text = re.sub(r"^([#>+\-])", r"\\\1", text)
    return re.sub(r"^=", "&#61;", text)


def safe_url(url):
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme not in LINK_SCHEMES or not url:
        return ""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def descendants(node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from descendants(child)


def text_of(node):
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


def serialise(node):
    """The node back to HTML (for what stays HTML), before the sanitiser sees it."""
    if isinstance(node, str):
        return html.escape(node, quote=False)
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in node.attrs.items())
    if node.tag in VOID_TAGS:
        return f"<{node.tag}{attrs}>"
    inner = "".join(serialise(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def image_line(image_id, caption=""):
    """The body syntax that places library image `image_id` (images/body.py)."""
    return f"![[image:{image_id}|{caption}]]" if caption else f"![[image:{image_id}]]"


class Converter:
    """`images`, when given, is called with the attributes of each <img>; it answers the id of
    the library picture to place instead, or None to keep the <img> as it is."""

    def __init__(self, images=None):
        self.notes = []
        self.images = images

    def library_image(self, node):
        return self.images(node.attrs) if self.images else None

    def inline(self, node):
        if isinstance(node, str):
            return escape_text(re.sub(r"\s+", " ", node))
        tag = node.tag
        if tag in DROPPED_TAGS:
            return ""
        if tag == "br":
            return BREAK
        if tag == "img":
            if (image_id := self.library_image(node)) is not None:
                return IMAGE_MARK.format(image_id)
            src = safe_url(node.attrs.get("src"))
            alt = escape_text(node.attrs.get("alt", ""))
            return f"![{alt}]({src})" if src else ""
        if tag in MEDIA_TAGS:
            return self.media_link(node)
        inner = "".join(self.inline(child) for child in node.children)
        if tag in ("strong", "b"):
            return f"**{inner.strip()}**" if inner.strip() else inner
        if tag in ("em", "i", "cite", "dfn", "var"):
            return f"*{inner.strip()}*" if inner.strip() else inner
        if tag in ("code", "kbd", "tt", "samp"):
            code = text_of(node).replace("`", "'")
            return f"`{code}`" if code.strip() else ""
        if tag == "a":
            href = safe_url(node.attrs.get("href"))
            if IMAGE_MARK_RE.search(inner):
                return inner  # a link around a picture led to its file or attachment page
            return f"[{inner.strip()}]({href})" if href and inner.strip() else inner
        if tag in INLINE_HTML_TAGS:
            name = "del" if tag in ("s", "strike") else tag
            return f"<{name}>{inner}</{name}>"
        if tag == "q":
            return f"“{inner}”"
        return inner

    def media_link(self, node):
        src = node.attrs.get("src") or node.attrs.get("data")
        for child in node.children:
            if not src and isinstance(child, Node) and child.tag == "source":
                src = child.attrs.get("src")
        src = safe_url(src)
        if not src:
            return ""
        self.notes.append(f"a <{node.tag}> became a link to {src}")
        return f"[{escape_text(src)}]({src})"

    def blocks(self, node):
        out, line = [], []

        def paragraph(text):
            text = re.sub(r" *\x00br\x00 *", BREAK, re.sub(r"[ \t\r\n]+", " ", text)).strip()
            text = re.sub(r"^(\x00br\x00)+|(\x00br\x00)+$", "", text).replace(BREAK, "  \n")
            if text.strip("*_ "):  # not only the emphasis that was around a picture
                out.append(escape_line_start(text))

        def flush():
            pieces = IMAGE_MARK_RE.split("".join(line))
            line.clear()
            for index, piece in enumerate(pieces):
                if index % 2:
                    out.append(image_line(piece))
                else:
                    paragraph(piece)

        for child in node.children:
            if isinstance(child, str) or not self.is_block(child):
                line.append(self.inline(child))
                continue
            flush()
            out.extend(self.block(child))
        flush()
        return out

    @staticmethod
    def is_block(node):
        return node.tag in BLOCK_TAGS | HEADING_TAGS | {
            "ul", "ol", "li", "blockquote", "pre", "hr", "table", "figure",
        } or node.tag in DROPPED_TAGS  # fmt: skip

    def block(self, node):
        tag = node.tag
        if tag in DROPPED_TAGS:
            return []
        if tag in HEADING_TAGS:
            level = min(max(int(tag[1]), 2), 4)
            text = re.sub(r"\s+", " ", "".join(self.inline(c) for c in node.children))
            text = text.replace(BREAK, " ").strip()
            return [f"{'#' * level} {text}"] if text else []
        if tag in ("ul", "ol"):
            return self.list_block(node)
        if tag == "li":
            return self.list_block(Node("ul", children=[node]))
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "pre":
            code = text_of(node).strip("\n").replace("```", "'''")
            return [f"```\n{code}\n```"] if code.strip() else []
        if tag == "hr":
            return ["* * *"]
        if tag == "figure" and (placed := self.captioned_image(node) or self.gallery(node)):
            return placed
        if tag == "table" or (tag == "figure" and self.has_caption(node)):
            markup = cleaner.clean(serialise(node))
            return [re.sub(r"\n\s*\n", "\n", markup)] if markup.strip() else []
        if "wp-block-embed__wrapper" in node.attrs.get("class", ""):
            url = safe_url(text_of(node).strip())
            return [f"[{escape_text(url)}]({url})"] if url else []
        return self.blocks(node)

    def captioned_image(self, node):
        """A figure of one library picture and its caption, as the body syntax places it."""
        images = [n for n in descendants(node) if n.tag == "img"]
        captions = [c for c in node.children if isinstance(c, Node) and c.tag == "figcaption"]
        if len(images) != 1 or len(captions) != 1:
            return []
        image_id = self.library_image(images[0])
        if image_id is None:
            return []
        caption = " ".join(text_of(captions[0]).split())
        if "]" in caption:  # the syntax cannot hold it: the caption follows as a paragraph
            return [image_line(image_id), f"*{escape_text(caption)}*"]
        return [image_line(image_id, caption)]

    def gallery(self, node):
        """A captioned figure of several pictures, some from the library: each picture on a
        line of its own, then the caption."""
        images = [n for n in descendants(node) if n.tag == "img"]
        if len(images) < 2 or not any(self.library_image(image) is not None for image in images):
            return []
        inner = Node(
            "div", children=[c for c in node.children if getattr(c, "tag", "") != "figcaption"]
        )
        captions = [c for c in node.children if getattr(c, "tag", "") == "figcaption"]
        caption = " ".join(" ".join(text_of(c).split()) for c in captions)
        return [*self.blocks(inner), *([f"*{escape_text(caption)}*"] if caption else [])]

    @staticmethod
    def has_caption(node):
        return any(isinstance(c, Node) and c.tag == "figcaption" for c in node.children)

    def list_block(self, node):
        items = []
        for number, item in enumerate(
            (c for c in node.children if isinstance(c, Node) and c.tag == "li"), start=1
        ):
            marker = f"{number}. " if node.tag == "ol" else "- "
            lines = "\n\n".join(self.blocks(item)).split("\n") or [""]
            first = marker + lines[0]
            rest = [("    " + line) if line else "" for line in lines[1:]]
            items.append("\n".join([first, *rest]))
        stray = [c for c in node.children if isinstance(c, str) and c.strip()]
        if stray:
            items.append("- " + escape_text(" ".join(s.strip() for s in stray)))
        return ["\n".join(items)] if items else []


def with_line_breaks(chunk):
    """A line break inside a paragraph becomes <br>, one beside a block tag does not."""
    lines = chunk.split("\n")
    out = lines[:1]
    for before, line in zip(lines, lines[1:], strict=False):
        keep = BLOCK_TAG_AT_END_RE.search(before) or BLOCK_TAG_AT_START_RE.match(line)
        out.append(("\n" if keep else "<br>\n") + line)
    return "".join(out)


def autop(content):
    """WordPress's classic editor keeps paragraphs as blank lines (wpautop adds the <p> when it
    shows a post): wrap loose text in paragraphs, single line breaks as <br>, and a bare URL on
    its own line (WordPress shows it embedded) as a link."""
    chunks = re.split(r"\n\s*\n", content.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if url := BARE_URL_RE.match(chunk):
            out.append(
                f'<p><a href="{html.escape(url.group(1))}">{html.escape(url.group(1))}</a></p>'
            )
        elif AUTOP_BLOCK_RE.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + with_line_breaks(chunk.strip()) + "</p>")
    return "\n\n".join(out)


def html_to_markdown(markup, images=None):
    """(Markdown, notes): the body, and what was changed on the way worth telling an editor.
    `images` places library pictures (see Converter)."""
    converter = Converter(images)
    blocks = converter.blocks(parse_html(markup or ""))
    body = "\n\n".join(block for block in blocks if block.strip())
    return body, converter.notes


def html_to_text(markup):
    """Plain text of an HTML fragment (comments, excerpts): paragraphs kept as blank lines."""
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup or "")
    markup = re.sub(r"(?i)</p\s*>", "\n\n", markup)
    text = html.unescape(re.sub(r"<[^>]*>", "", markup))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)
