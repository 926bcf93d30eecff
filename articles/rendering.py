"""
Markdown to sanitised HTML for article bodies.

Callout syntax (shown to editors in the body's help text): a paragraph that starts with
`Pro Tip:`, `Did you know?` or `Note:` becomes a labelled box, one that starts with
`Pull quote:` a pull quote (a last line starting with `— ` names who said it). Section headings
(`## Title`) get stable anchor ids built from their text; a `# Title` line is one too, since the
page's only top heading is the headline. Library pictures (`![[image:42]]`) and embeds (an
address on a line of its own) become placeholders the sanitiser keeps, which pages expand
(images.body, docs/images.md).
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from images.body import ImageExtension


@dataclass(frozen=True)
class CalloutKind:
    key: str
    label: str
    marker: str


CALLOUT_KINDS = (
    CalloutKind("tip", "Pro Tip", "Pro Tip:"),
    CalloutKind("fact", "Did you know?", "Did you know?"),
    CalloutKind("note", "Note", "Note:"),
)

CALLOUT_HELP = (
    "Markdown. Start a paragraph with “Pro Tip:”, “Did you know?” or “Note:” to show it as a "
    "labelled box, and with “Pull quote:” to set a quotation large. Use “## ” before a line for a "
    "section heading, [text](https://…) for a link. "
    "On a line of its own, ![[image:42]] places picture 42 of the library (![[image:42|16:9|"
    "A caption]] crops it and gives a caption), and a YouTube, Vimeo, X, Bluesky, Mastodon, "
    "Datawrapper or Flourish address shows the post, video or chart when a reader asks."
)

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "del", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "aside": {"class", "role", "aria-label"},
    "img": {"src", "alt", "title", "width", "height"},
    "p": {"class"},
    "td": {"align"},
    "th": {"align", "scope"},
    "code": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

EXTERNAL_LINK_REL = "noopener noreferrer"

cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    # The one rel we set ourselves; a pasted rel="opener" goes (and target="_blank" with it).
    tag_attribute_values={"a": {"rel": {EXTERNAL_LINK_REL}}},
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)

WORDS_PER_MINUTE = 230


@dataclass
class RenderedBody:
    html: str
    headings: list = field(default_factory=list)
    callouts: list = field(default_factory=list)
    image_ids: list = field(default_factory=list)  # library images placed, in order, repeats kept


class CalloutTreeprocessor(Treeprocessor):
    """Turn top-level paragraphs that start with a callout marker into labelled asides."""

    def run(self, root):
        self.md.callouts = []
        for index, element in enumerate(list(root)):
            # A picture or embed placeholder (images.body) is never a callout, whatever its caption.
            if element.tag != "p" or element.get("class"):
                continue
            text = element.text or ""
            stripped = text.lstrip()
            kind = next(
                (k for k in CALLOUT_KINDS if stripped.lower().startswith(k.marker.lower())), None
            )
            if kind is None:
                continue
            element.text = stripped[len(kind.marker) :].lstrip()
            aside = etree.Element(
                "aside",
                {"class": f"callout callout-{kind.key}", "role": "note", "aria-label": kind.label},
            )
            label = etree.SubElement(aside, "p", {"class": "callout-label"})
            label.text = kind.label
            aside.append(element)
            root.remove(element)
            root.insert(index, aside)
            body_text = "".join(element.itertext()).strip()
            self.md.callouts.append({"kind": kind.key, "label": kind.label, "text": body_text})


PULL_QUOTE_MARKER = "pull quote:"
PULL_QUOTE_SOURCE = re.compile(r"\n[ \t]*(?:—|--)[ \t]*(\S[^\n]*?)\s*$")


class PullQuoteTreeprocessor(Treeprocessor):
    """Turn top-level paragraphs that start with `Pull quote:` into a pull quote; a last line
    starting with `— ` (or `-- `), in plain text, names the speaker."""

    def run(self, root):
        for index, element in enumerate(list(root)):
            if element.tag != "p" or element.get("class"):
                continue
            stripped = (element.text or "").lstrip()
            if not stripped.lower().startswith(PULL_QUOTE_MARKER):
                continue
            element.text = stripped[len(PULL_QUOTE_MARKER) :].lstrip()
            aside = etree.Element("aside", {"class": "pull-quote", "aria-label": "Pull quote"})
            quote = etree.SubElement(aside, "blockquote")
            quote.append(element)
            source = self.take_source(element)
            if source:
                etree.SubElement(aside, "p", {"class": "pull-quote-source"}).text = source
            root.remove(element)
            root.insert(index, aside)

    @staticmethod
    def take_source(paragraph):
        """Remove the speaker's line from the end of `paragraph` and return it, if it has one."""
        last = paragraph[-1] if len(paragraph) else None
        text = last.tail if last is not None else paragraph.text
        match = PULL_QUOTE_SOURCE.search(text or "")
        if not match:
            return None
        remaining = text[: match.start()]
        if last is not None:
            last.tail = remaining
        else:
            paragraph.text = remaining
        return match.group(1)


class TopHeadingTreeprocessor(Treeprocessor):
    """A `# Title` line would make a second top heading beside the headline, which the
    sanitiser does not let through; it becomes a section heading (`## Title`) instead."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class ExternalLinkTreeprocessor(Treeprocessor):
    """Mark links that leave the site so they never get a handle on our window."""

    def run(self, root):
        for link in root.iter("a"):
            if urlsplit(link.get("href", "")).scheme in {"http", "https"}:
                link.set("rel", EXTERNAL_LINK_REL)


class NewsroomExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 -- Python-Markdown's API name
        # Before the table of contents (5), which should list the demoted headings.
        md.treeprocessors.register(TopHeadingTreeprocessor(md), "top_headings", 8)
        md.treeprocessors.register(PullQuoteTreeprocessor(md), "pull_quotes", 6)
        md.treeprocessors.register(CalloutTreeprocessor(md), "callouts", 5)
        md.treeprocessors.register(ExternalLinkTreeprocessor(md), "external_links", 4)


def heading_slug(value, separator="-"):
    return slugify(value) or "section"


def _flatten_toc(tokens, out):
    """The headings as plain text: Markdown gives them as HTML, and templates escape them again."""
    for token in tokens:
        title = html.unescape(strip_tags(token["name"]))
        out.append({"id": token["id"], "title": title, "level": token["level"]})
        _flatten_toc(token["children"], out)
    return out


def render_markdown(text):
    """Render an article body to sanitised HTML, with its headings and callouts."""
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "toc",
            NewsroomExtension(),
            ImageExtension(),
        ],
        extension_configs={"toc": {"slugify": heading_slug, "toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text or "")
    return RenderedBody(
        html=cleaner.clean(html),
        headings=_flatten_toc(md.toc_tokens, []),
        callouts=getattr(md, "callouts", []),
        image_ids=list(md.image_ids),
    )


WORD_RE = re.compile(r"\w+(?:[’'\-]\w+)*")


def count_words(text):
    return len(WORD_RE.findall(strip_tags(text or "")))


def reading_time_minutes(words):
    return max(1, -(-words // WORDS_PER_MINUTE))
