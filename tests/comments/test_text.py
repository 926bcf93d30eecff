"""Comment bodies: plain text in, escaped HTML with paragraphs, line breaks and links out."""

from django.test import SimpleTestCase

from comments.text import comment_links, render_comment


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
