"""Comment bodies: plain text in, escaped HTML with paragraphs, line breaks and links out."""

from django.test import SimpleTestCase

from comments.text import comment_links, plain_text, render_comment


class RenderCommentTests(SimpleTestCase):
    def test_paragraphs_and_line_breaks(self):
        self.assertHTMLEqual(render_comment("One\nline.\n\nTwo."), "<p>One<br>line.</p><p>Two.</p>")

    def test_windows_line_breaks_are_treated_alike(self):
        self.assertEqual(render_comment("a\r\nb"), render_comment("a\nb"))

    def test_everything_else_is_escaped(self):
        self.assertEqual(
            render_comment("<b>bold</b> & 'quotes'"),
            "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quotes&#x27;</p>",
        )

    def test_http_and_https_links_are_marked_as_user_content(self):
        self.assertHTMLEqual(
            render_comment("See https://example.com/a?b=1&c=2."),
            '<p>See <a href="https://example.com/a?b=1&amp;c=2" '
            'rel="nofollow ugc noopener noreferrer">https://example.com/a?b=1&amp;c=2</a>.</p>',
        )

    def test_bare_domains_and_email_addresses_are_not_linked(self):
        html = render_comment("www.example.com example.org ana@example.com ftp://x.example")
        self.assertNotIn("<a", html)

    def test_long_links_are_shortened_in_the_text_not_the_address(self):
        url = "https://example.com/" + "a" * 100
        html = render_comment(url)
        self.assertIn(f'href="{url}"', html)
        self.assertIn("…</a>", html)

    def test_links_lists_what_becomes_a_link(self):
        self.assertEqual(
            comment_links("(https://a.example/x), http://b.example. www.c.example d@e.example"),
            ["https://a.example/x", "http://b.example"],
        )


# Security finding 13.11: direction controls (U+202E RIGHT-TO-LEFT OVERRIDE and the others) let
# a link's visible text read other than its address.

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


class DirectionControlTests(SimpleTestCase):
    def test_plain_text_drops_direction_controls_and_control_characters(self):
        text = f"Ana{BIDI} wrote\tthis\x00\x07\x1b\x7f\x85\nand this"
        self.assertEqual(plain_text(text), "Ana wrote\tthis\nand this")

    def test_plain_text_keeps_right_to_left_scripts_and_joiners(self):
        text = "مرحبا שלום नमस्ते می‌خواهم 👩\u200d💻"
        self.assertEqual(plain_text(text), text)

    def test_a_stored_comment_with_a_direction_override_renders_without_it(self):
        html = render_comment("Invoice: https://example.com/\u202efdp.exe")
        for control in BIDI:
            self.assertNotIn(control, html)
        self.assertIn(">https://example.com/fdp.exe</a>", html)
