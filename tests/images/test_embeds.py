"""Embeds: recognised by the address's shape, a facade until the reader clicks, else a link."""

import markdown
import pytest
from django.conf import settings
from django.test import override_settings

from images.body import ImageExtension
from images.embeds import PROVIDERS, expand_embeds, find_embed, render_embed

CASES = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://x.com/newsroom/status/1234567890123456789",
     "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true"),
    ("https://twitter.com/newsroom/status/12345",
     "https://platform.twitter.com/embed/Tweet.html?id=12345&dnt=true"),
    ("https://bsky.app/profile/did:plc:abc123/post/3k2yihcrp6f2c",
     "https://embed.bsky.app/embed/did:plc:abc123/app.bsky.feed.post/3k2yihcrp6f2c"),
    ("https://mastodon.social/@newsroom/111111111111111111",
     "https://mastodon.social/@newsroom/111111111111111111/embed"),
    ("https://datawrapper.dwcdn.net/Ab3dE/2/", "https://datawrapper.dwcdn.net/Ab3dE/2/"),
    ("https://www.datawrapper.de/_/Ab3dE/", "https://datawrapper.dwcdn.net/Ab3dE/"),
    ("https://public.flourish.studio/visualisation/1234567/",
     "https://flo.uri.sh/visualisation/1234567/embed"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "src"), CASES)
def test_each_provider_address_gives_its_iframe_address(url, src):
    assert find_embed(url)[1] == src


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/video",
        "https://www.youtube.com/watch?v=short",
        "https://evil.example/@user/123",  # a Mastodon-shaped address on a server not allowed
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
    ],
)
def test_unknown_or_malformed_addresses_are_not_embedded(url):
    assert find_embed(url) is None


def test_every_provider_origin_is_in_the_csp_frame_src_and_nothing_else_is():
    origins = {p.origin for p in PROVIDERS if p.origin} | {"https://mastodon.social"}
    assert set(settings.NEWSROOM_EMBED_FRAME_ORIGINS) == origins
    assert settings.SECURE_CSP["frame-src"] == settings.NEWSROOM_EMBED_FRAME_ORIGINS


def test_provider_left_out_of_the_frame_origins_gets_a_plain_link():
    origins = [o for o in settings.NEWSROOM_EMBED_FRAME_ORIGINS if "vimeo" not in o]
    with override_settings(NEWSROOM_EMBED_FRAME_ORIGINS=origins):
        assert find_embed("https://vimeo.com/76979871") is None
        assert render_embed("https://vimeo.com/76979871").startswith("<p><a href=")


def test_facade_is_a_link_with_a_notice_and_no_third_party_request():
    html = render_embed("https://youtu.be/dQw4w9WgXcQ")
    assert '<a class="embed-link" href="https://youtu.be/dQw4w9WgXcQ"' in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "loads it from www.youtube-nocookie.com" in html
    assert "<iframe" not in html and "<script" not in html and "<img" not in html


def body(text):
    return markdown.markdown(text, extensions=[ImageExtension()])


def test_address_on_its_own_line_becomes_a_placeholder_that_expands_to_a_facade():
    html = body("Watch this:\nhttps://youtu.be/dQw4w9WgXcQ\nThen read on.")
    assert '<p class="embed-placeholder"><a href="https://youtu.be/dQw4w9WgXcQ">' in html
    assert html.startswith("<p>Watch this:</p>")
    assert 'class="embed embed-youtube embed-video"' in expand_embeds(html)


def test_unknown_address_on_its_own_line_stays_a_link():
    html = body("https://example.com/report.pdf")
    assert html == '<p><a href="https://example.com/report.pdf">https://example.com/report.pdf</a></p>'
    assert expand_embeds(html) == html


def test_address_inside_a_sentence_or_code_is_left_alone():
    assert "embed" not in body("See https://youtu.be/dQw4w9WgXcQ for more.")
    fenced = markdown.markdown("```\nhttps://youtu.be/dQw4w9WgXcQ\n```",
                               extensions=["fenced_code", ImageExtension()])  # fmt: skip
    assert "embed" not in fenced and "<a" not in fenced
    assert "embed" not in body("    https://youtu.be/dQw4w9WgXcQ")
