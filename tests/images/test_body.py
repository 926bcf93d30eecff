"""Library images in Markdown bodies: a placeholder the sanitiser keeps, expanded on show."""

import re

import markdown
import pytest

from articles.rendering import cleaner
from images.body import BODY_SIZES, ImageExtension, body_image_ids, expand_media, parse_image_line
from images.services import renditions_make
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def rendered(text):
    """As the articles renderer would: Markdown with the extension, then its sanitiser."""
    md = markdown.Markdown(extensions=["fenced_code", ImageExtension()], output_format="html")
    return cleaner.clean(md.convert(text)), md


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("![[image:42]]", (42, "original", None)),
        ("![[image:42|16:9]]", (42, "16:9", None)),
        ("![[image:42|Boats at dawn]]", (42, "original", "Boats at dawn")),
        ("![[image:42|1:1|Boats | nets]]", (42, "1:1", "Boats | nets")),
        ("  ![[image:7|4:3|]]  ", (7, "4:3", None)),
        ("![[image:x]]", None),
        ("text ![[image:42]]", None),
    ],
)
def test_image_line_syntax(line, parsed):
    assert parse_image_line(line) == parsed


def test_placeholder_survives_the_article_sanitiser_unchanged():
    html, md = rendered("Before.\n![[image:42|16:9|Boats <b>&</b> nets]]\nAfter.")
    assert html == (
        "<p>Before.</p>\n"
        '<p class="image-placeholder image-42 ratio-16x9">Boats &lt;b&gt;&amp;&lt;/b&gt; nets</p>\n'
        "<p>After.</p>"
    )
    assert md.image_ids == [42]
    assert body_image_ids(html) == [42]


def test_image_line_in_code_is_left_as_text():
    html, md = rendered("```\n![[image:42]]\n```")
    assert "placeholder" not in html and md.image_ids == []


def test_expansion_shows_a_figure_with_the_caption_override_escaped():
    image = make_image(caption="Library caption", credit="Ana Silva")
    html, _ = rendered(f"![[image:{image.pk}|4:3|Boats <b>&</b> nets]]")
    expanded = expand_media(html)
    assert expanded.startswith('<figure class="figure"><picture class="picture picture-4x3">')
    assert "<figcaption>Boats &lt;b&gt;&amp;&lt;/b&gt; nets <small" in expanded
    assert f'sizes="{BODY_SIZES}"' in expanded
    assert 'loading="lazy"' in expanded


def test_library_caption_is_used_when_the_body_gives_none():
    image = make_image(caption="Library caption")
    assert "Library caption" in expand_media(rendered(f"![[image:{image.pk}]]")[0])


def test_image_deleted_from_the_library_leaves_nothing():
    assert expand_media(rendered("![[image:999999]]")[0]) == ""


def test_any_number_of_body_images_costs_one_query(django_assert_num_queries):
    images = [make_image() for _ in range(5)]
    for image in images:
        renditions_make(image=image, ratios=["original"])
    html, _ = rendered("\n\n".join(f"![[image:{image.pk}]]" for image in images))
    with django_assert_num_queries(1):
        expanded = expand_media(html)
    assert expanded.count("<picture") == 5


def test_media_expansion_covers_embeds_too():
    html, _ = rendered("https://vimeo.com/76979871")
    assert re.search(r'<figure class="embed embed-vimeo embed-video"', expand_media(html))


def test_indented_image_line_is_code_and_stays_as_written():
    html, md = rendered("    ![[image:42]]")
    assert "<pre><code>![[image:42]]" in html and md.image_ids == []
