import re

import pytest
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from articles.rendering import ALLOWED_TAGS, count_words, reading_time_minutes, render_markdown
from tests.html_safety import unsafe_parts


class CalloutTests(SimpleTestCase):
    def test_pro_tip_paragraph_becomes_a_labelled_aside(self):
        html = render_markdown("Pro Tip: Check the source.").html
        self.assertInHTML(
            '<aside class="callout callout-tip" role="note" aria-label="Pro Tip">'
            '<p class="callout-label">Pro Tip</p><p>Check the source.</p></aside>',
            html,
        )

    def test_did_you_know_paragraph_becomes_a_fact_box(self):
        rendered = render_markdown("Did you know? Oil *flows* south.")
        self.assertIn('aria-label="Did you know?"', rendered.html)
        self.assertIn("<em>flows</em>", rendered.html)
        self.assertEqual(rendered.callouts[0]["kind"], "fact")

    def test_note_marker_is_case_insensitive(self):
        self.assertIn('class="callout callout-note"', render_markdown("note: spelled lower").html)

    def test_marker_inside_a_paragraph_is_plain_text(self):
        html = render_markdown("As a Pro Tip: nothing special.").html
        self.assertNotIn("<aside", html)

    def test_empty_callout_is_recorded_with_empty_text(self):
        self.assertEqual(render_markdown("Pro Tip:").callouts[0]["text"], "")


class HeadingTests(SimpleTestCase):
    def test_headings_get_stable_anchor_ids_from_their_text(self):
        rendered = render_markdown("## The Role of Prisoners\n\ntext\n\n### Trump’s Claims")
        self.assertIn('<h2 id="the-role-of-prisoners">', rendered.html)
        self.assertIn('<h3 id="trumps-claims">', rendered.html)
        self.assertEqual(
            [h["id"] for h in rendered.headings], ["the-role-of-prisoners", "trumps-claims"]
        )

    def test_heading_titles_are_kept_as_plain_text(self):
        rendered = render_markdown("## Oil & gas <em>prices</em>\n\n## 1 &lt; 2")
        self.assertEqual([h["title"] for h in rendered.headings], ["Oil & gas prices", "1 < 2"])

    def test_repeated_headings_get_distinct_ids(self):
        ids = [h["id"] for h in render_markdown("## Same\n\n## Same").headings]
        self.assertEqual(len(set(ids)), 2)

    def test_a_top_heading_line_becomes_a_section_heading_not_stray_text(self):
        rendered = render_markdown("# Where the money went\n\nThe audit found gaps.")
        self.assertInHTML('<h2 id="where-the-money-went">Where the money went</h2>', rendered.html)
        self.assertNotIn("<h1", rendered.html)
        self.assertEqual(
            rendered.headings, [{"id": "where-the-money-went", "title": "Where the money went",
                                 "level": 2}]
        )  # fmt: skip

    def test_an_underlined_title_is_a_section_heading_too(self):
        html = render_markdown("Where the money went\n====\n\nText.").html
        self.assertInHTML('<h2 id="where-the-money-went">Where the money went</h2>', html)


class PullQuoteTests(SimpleTestCase):
    def test_pull_quote_paragraph_becomes_a_labelled_quotation(self):
        html = render_markdown("Pull quote: We will *rebuild* the harbour.").html
        self.assertInHTML(
            '<aside class="pull-quote" aria-label="Pull quote"><blockquote>'
            "<p>We will <em>rebuild</em> the harbour.</p></blockquote></aside>",
            html,
        )

    def test_a_last_line_with_a_dash_names_the_speaker(self):
        html = render_markdown("Pull quote: We will rebuild.\n— Ana Silva, mayor").html
        self.assertInHTML(
            '<aside class="pull-quote" aria-label="Pull quote"><blockquote>'
            '<p>We will rebuild.</p></blockquote><p class="pull-quote-source">Ana Silva, mayor</p>'
            "</aside>",
            html,
        )

    def test_two_hyphens_name_the_speaker_after_inline_markup(self):
        html = render_markdown("pull quote: It was *never* safe.\n-- A resident").html
        self.assertIn('<p class="pull-quote-source">A resident</p>', html)
        self.assertIn("<p>It was <em>never</em> safe.</p>", html)

    def test_a_dash_inside_the_quote_stays_in_the_quote(self):
        html = render_markdown("Pull quote: Slow — but steady.").html
        self.assertIn("<p>Slow — but steady.</p>", html)
        self.assertNotIn("pull-quote-source", html)

    def test_the_marker_inside_a_paragraph_is_plain_text(self):
        self.assertNotIn("pull-quote", render_markdown("He said Pull quote: no.").html)


class SanitisingTests(SimpleTestCase):
    def test_script_tags_are_removed_with_their_content(self):
        html = render_markdown("<script>alert(1)</script>Safe").html
        self.assertNotIn("script", html)
        self.assertNotIn("alert", html)

    def test_event_handlers_and_javascript_urls_are_removed(self):
        html = render_markdown(
            '<a href="javascript:alert(1)" onclick="x()">x</a> [y](javascript:alert(2)) '
            '<img src="x" onerror="alert(3)">'
        ).html
        self.assertNotIn("javascript:", html)
        self.assertNotIn("onclick", html)
        self.assertNotIn("onerror", html)

    def test_external_links_cannot_reach_back_into_the_page(self):
        html = render_markdown("[IEA](https://www.iea.org/) and [home](/)").html
        self.assertIn('<a href="https://www.iea.org/" rel="noopener noreferrer">IEA</a>', html)
        self.assertIn('<a href="/">home</a>', html)

    def test_styles_and_iframes_are_stripped(self):
        html = render_markdown(
            '<iframe src="https://evil"></iframe><style>p{}</style><p style="x">t</p>'
        ).html
        self.assertNotIn("iframe", html)
        self.assertNotIn("style", html)


class LengthTests(SimpleTestCase):
    def test_words_are_counted_on_text_not_markup(self):
        self.assertEqual(count_words("<p>Maduro’s <em>three</em> well-known pillars</p>"), 4)

    def test_reading_time_rounds_up_and_is_at_least_one_minute(self):
        self.assertEqual(reading_time_minutes(0), 1)
        self.assertEqual(reading_time_minutes(231), 2)


# Property tests: whatever an editor types or pastes, rendering returns sanitised HTML.

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/x.js>", "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>", '<img src="javascript:alert(1)">', "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">', '<a href="jav&#x09;ascript:alert(1)">',
    '<a href="&#106;avascript:alert(1)">', '<a href=" JaVaScRiPt:alert(1)">',
    '<a href="data:text/html,<script>alert(1)</script>">', '<a href="vbscript:x">',
    '<a href="https://x.example/" target="_blank" rel="opener">', "</a>", "<a>",
    "[link](javascript:alert(1))", "[link](<javascript:alert(1)>)", "![img](javascript:x)",
    "[ref]\n\n[ref]: javascript:alert(1)\n", "[link](https://x.example/ \"t\")",
    '<iframe src="https://x.example/">', '<object data="x">', "<embed src=x>",
    '<form action="javascript:x"><button formaction="javascript:x">', "<base href=//x>",
    '<meta http-equiv="refresh" content="0;url=javascript:x">', "<link rel=import href=x>",
    '<div style="background:url(javascript:x)">', "<style>*{}</style>", "<math><mi>",
    '<details open ontoggle="x">', '<p onclick="x">', '<h2 id="x" onmouseover="x">',
    "<!-- <script> -->", "<![CDATA[<script>]]>", "&lt;script&gt;", "`<script>`",
    "```\n<script>\n```\n", "    <script>\n", "<table><tr><td onclick=x>",
    "## Heading\n", "### Sub\n", "Pro Tip: ", "Did you know? ", "Note: ", "> quote\n",
    "- item\n", "1. item\n", "| a | b |\n|---|---|\n| c | d |\n", "*", "_", "**", "\\",
    "\n", "\n\n", " ", "\t", "\x00", "\ufeff", "\u202e", "<", ">", '"', "'", "&", "#",
]  # fmt: skip


@pytest.mark.parametrize(
    "html",
    [
        "<p>x<script>alert(1)</script></p>",
        '<p onclick="alert(1)">x</p>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<img src="data:image/svg+xml,x">',
        '<a href="/" target="_blank">x</a>',
        '<iframe src="/"></iframe>',
    ],
)
def test_the_safety_check_finds_what_it_looks_for(html):
    assert unsafe_parts(html, ALLOWED_TAGS)


markdown_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=30)), max_size=25
).map("".join)


@given(st.text())
def test_any_text_renders_to_safe_html(text):
    rendered = render_markdown(text)
    assert unsafe_parts(rendered.html, ALLOWED_TAGS) == []


@given(markdown_text)
def test_hostile_markup_in_any_arrangement_renders_to_safe_html(text):
    rendered = render_markdown(text)
    assert unsafe_parts(rendered.html, ALLOWED_TAGS) == []
    assert isinstance(rendered.headings, list)
    assert all(heading["id"] for heading in rendered.headings)


@given(
    host=st.from_regex(r"[a-z][a-z0-9-]{0,15}\.(com|org|example)", fullmatch=True),
    words=st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20),
)
def test_markdown_links_to_other_sites_get_noopener_noreferrer(host, words):
    html = render_markdown(f"See [{words}](https://{host}/page).").html
    assert f'<a href="https://{host}/page" rel="noopener noreferrer">' in html


@given(markdown_text)
def test_no_link_opens_a_new_tab_or_carries_another_rel(text):
    for tag in re.findall(r"<a\b[^>]*>", render_markdown(text).html):
        assert "target=" not in tag
        assert "rel=" not in tag or 'rel="noopener noreferrer"' in tag


class PictureAndEmbedTests(SimpleTestCase):
    """Library pictures and embeds leave placeholders the sanitiser keeps (docs/images.md)."""

    def test_a_library_picture_line_leaves_a_placeholder_and_is_listed(self):
        rendered = render_markdown("Before.\n![[image:42|16:9|Boats <b>leave</b>]]\nAfter.")
        self.assertIn(
            '<p class="image-placeholder image-42 ratio-16x9">Boats &lt;b&gt;leave&lt;/b&gt;</p>',
            rendered.html,
        )
        self.assertEqual(rendered.image_ids, [42])

    def test_a_picture_placed_twice_is_listed_twice(self):
        rendered = render_markdown("![[image:7]]\n\ntext\n\n![[image:7|1:1]]\n\n![[image:8]]")
        self.assertEqual(rendered.image_ids, [7, 7, 8])

    def test_a_caption_starting_like_a_callout_stays_a_caption(self):
        html = render_markdown("![[image:5|Note: the quay before the works]]").html
        self.assertIn('<p class="image-placeholder image-5 ratio-original">Note:', html)
        self.assertNotIn("callout", html)

    def test_an_embed_address_leaves_a_link_placeholder(self):
        html = render_markdown("Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ").html
        link = '<p class="embed-placeholder"><a href="https://www.youtube.com/watch?v='
        self.assertIn(link, html)

    def test_picture_syntax_in_code_stays_code(self):
        rendered = render_markdown("    ![[image:9]]\n\n```\n![[image:10]]\n```")
        self.assertEqual(rendered.image_ids, [])
        self.assertNotIn("image-placeholder", rendered.html)
