"""Library images in Markdown bodies.

An editor places a library image on a line of its own:

    ![[image:42]]                        the image, its shape as uploaded, its own caption
    ![[image:42|16:9]]                   cropped to 16:9 around its focal point
    ![[image:42|Boats leave at dawn]]    with a caption for this article only
    ![[image:42|1:1|Boats leave at dawn]]

Rendering happens in two steps, so that the body's stored HTML never holds a rendition address
(addresses change when the file or focal point does):

1. When the body is saved, ImageExtension (a Python-Markdown extension) turns each such line into
   a placeholder the article sanitiser keeps as it is: <p class="image-placeholder image-42
   ratio-16x9">Boats leave at dawn</p>.
2. When a page shows the body, expand_media() (the `with_media` filter) replaces each placeholder
   with the <figure><picture>… of pictures.py, and each embed placeholder with its facade
   (embeds.py). All the body's images and renditions come in one query.
"""

import html
import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from .cropping import RATIOS, get_ratio
from .embeds import EmbedBlockProcessor, expand_embeds, is_url_line
from .loading import load_media
from .pictures import render_figure

IMAGE_LINE = re.compile(r"!\[\[image:(\d+)(?:\|([^|\]]*))?(?:\|([^\]]*))?\]\]")
PLACEHOLDER = re.compile(
    r'<p class="image-placeholder image-(\d+) ratio-(original|16x9|4x3|1x1)">(.*?)</p>', re.DOTALL
)
# Body pictures fill the text column: full width on phones, at most 45rem beside.
BODY_SIZES = "(min-width: 48rem) 45rem, 100vw"


def parse_image_line(line):
    """(image id, ratio key, caption or None) for a body image line, else None."""
    match = IMAGE_LINE.fullmatch(line.strip())
    if not match:
        return None
    image_id, first, second = match.groups()
    ratio, caption = "original", None
    if first is not None and first.strip() in RATIOS:
        ratio, caption = first.strip(), second
    elif first is not None:
        caption = first if second is None else f"{first}|{second}"
    caption = caption.strip() if caption and caption.strip() else None
    return int(image_id), ratio, caption


class OwnLinePreprocessor(Preprocessor):
    """Give each image or embed line a paragraph of its own, so it need not be set apart by
    blank lines. Runs after fenced code is set aside, and indented lines (code, lists, quotes)
    are left alone."""

    def run(self, lines):
        out = []
        for line in lines:
            if not line[:1].isspace() and (parse_image_line(line) or is_url_line(line)):
                out += ["", line.strip(), ""]
            else:
                out.append(line)
        return out


class ImageBlockProcessor(BlockProcessor):
    def test(self, parent, block):
        # An indented line is code, or part of a list or quote, and stays as written.
        return not block[:1].isspace() and parse_image_line(block) is not None

    def run(self, parent, blocks):
        image_id, ratio, caption = parse_image_line(blocks.pop(0))
        slug = get_ratio(ratio).slug
        element = etree.SubElement(
            parent, "p", {"class": f"image-placeholder image-{image_id} ratio-{slug}"}
        )
        element.text = AtomicString(caption or "")
        self.parser.md.image_ids = [*getattr(self.parser.md, "image_ids", []), image_id]


class ImageExtension(Extension):
    """Library images (![[image:42]]) and embeds (a URL on a line of its own) in Markdown.

    After rendering, `md.image_ids` lists the images the body places, in order.
    """

    def extendMarkdown(self, md):  # noqa: N802 -- Python-Markdown's API name
        md.image_ids = []
        # Below fenced code (25), above the HTML block stash (20).
        md.preprocessors.register(OwnLinePreprocessor(md), "own_line_media", 22)
        md.parser.blockprocessors.register(ImageBlockProcessor(md.parser), "library_image", 95)
        md.parser.blockprocessors.register(EmbedBlockProcessor(md.parser), "embed", 94)

    def reset(self):
        if self.md is not None:
            self.md.image_ids = []


def body_image_ids(html_text):
    """The ids of the library images a rendered body places, in order, without repeats."""
    return list(dict.fromkeys(int(m.group(1)) for m in PLACEHOLDER.finditer(html_text)))


def expand_media(html_text, images=None):
    """Replace the image and embed placeholders of sanitised body HTML with their markup.

    `images` ({id: Image} with their renditions, from loading.load_media) are the body's
    images when the page loaded them with its others; else they are loaded here, in one query.
    """
    image_ids = body_image_ids(html_text)
    if images is None:
        images = load_media(image_ids=image_ids).images if image_ids else {}

    def figure(match):
        image_id, slug, caption = int(match.group(1)), match.group(2), match.group(3)
        if image_id not in images:  # deleted from the library since the body was saved
            return ""
        return render_figure(
            images[image_id],
            ratio=get_ratio(slug).key,
            sizes=BODY_SIZES,
            caption=html.unescape(caption) or None,
        )

    return expand_embeds(PLACEHOLDER.sub(figure, html_text))
