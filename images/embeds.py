"""Embeds: a YouTube, Vimeo, X, Bluesky, Mastodon, Datawrapper or Flourish address on a line of
its own in a body becomes a click-to-load facade.

Until the reader clicks, the page loads nothing from the provider: the facade is a link to the
post or video (all a reader without JavaScript gets), with a note saying where it would load
from. static/images/embeds.js adds a button that swaps in the provider's iframe. The iframe's
origin must be in settings.NEWSROOM_EMBED_FRAME_ORIGINS, which the CSP frame-src is built from:
a provider whose origin is left out there gets a plain link. Addresses are recognised by their
shape alone; nothing is fetched, at save time or ever, by the server.

Like images (body.py), an embed is stored as a placeholder the article sanitiser keeps,
<p class="embed-placeholder"><a href="…">…</a></p>, and expand_embeds() makes the facade
when the page is shown. Any other address on a line of its own becomes a plain link.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from markdown.blockprocessors import BlockProcessor

URL_LINE = re.compile(r"https?://[^\s<>\"']+")
PLACEHOLDER = re.compile(r'<p class="embed-placeholder"><a href="([^"]+)"[^>]*>.*?</a></p>')


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    kind: str  # video, post or chart: the facade's shape and wording
    origin: str  # where its iframe loads from

    def iframe_src(self, url):
        """The iframe address for a post or video address of this provider, else None."""
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
        return EMBED_SOURCES[self.key](host, parts)


def _youtube(host, parts):
    video = None
    if host == "youtu.be":
        video = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        elif match := re.fullmatch(r"/(?:shorts|embed|live)/([\w-]+)/?", parts.path):
            video = match.group(1)
    if not video or not re.fullmatch(r"[\w-]{11}", video):
        return None
    start = re.fullmatch(r"(\d+)s?", parse_qs(parts.query).get("t", [""])[0])
    query = f"?{urlencode({'start': start.group(1)})}" if start else ""
    return f"https://www.youtube-nocookie.com/embed/{video}{query}"


def _by_path(hosts, pattern, template):
    """A provider whose iframe address is made from parts of the post or video's path."""

    def source(host, parts):
        match = re.fullmatch(pattern, parts.path)
        return template.format(*match.groups()) if host in hosts and match else None

    return source


def _mastodon(host, parts):
    match = re.fullmatch(r"/@(\w+)/(\d+)/?", parts.path)
    if host in mastodon_hosts() and match:
        return f"https://{host}/@{match.group(1)}/{match.group(2)}/embed"
    return None


def _datawrapper(host, parts):
    if host == "datawrapper.dwcdn.net":
        match = re.fullmatch(r"/(\w{5})/(?:(\d+)/)?", parts.path)
    elif host == "datawrapper.de":
        match = re.fullmatch(r"/_/(\w{5})/()", parts.path)
    else:
        return None
    if not match:
        return None
    chart, version = match.groups()
    return f"https://datawrapper.dwcdn.net/{chart}/{f'{version}/' if version else ''}"


EMBED_SOURCES = {
    "youtube": _youtube,
    "vimeo": _by_path(
        {"vimeo.com", "player.vimeo.com"}, r"/(?:video/)?(\d+)/?",
        "https://player.vimeo.com/video/{}?dnt=1",
    ),
    "x": _by_path(
        {"x.com", "twitter.com"}, r"/\w{1,15}/status/(\d+)/?",
        "https://platform.twitter.com/embed/Tweet.html?id={}&dnt=true",
    ),
    "bluesky": _by_path(
        {"bsky.app"}, r"/profile/([\w.:-]+)/post/(\w+)/?",
        "https://embed.bsky.app/embed/{}/app.bsky.feed.post/{}",
    ),
    "mastodon": _mastodon,
    "datawrapper": _datawrapper,
    "flourish": _by_path(
        {"public.flourish.studio", "flo.uri.sh"}, r"/(visualisation|story)/(\d+)/?(?:embed)?",
        "https://flo.uri.sh/{}/{}/embed",
    ),
}  # fmt: skip

PROVIDERS = (
    Provider("youtube", "YouTube", "video", "https://www.youtube-nocookie.com"),
    Provider("vimeo", "Vimeo", "video", "https://player.vimeo.com"),
    Provider("x", "X", "post", "https://platform.twitter.com"),
    Provider("bluesky", "Bluesky", "post", "https://embed.bsky.app"),
    Provider("mastodon", "Mastodon", "post", ""),  # the post's own server
    Provider("datawrapper", "Datawrapper", "chart", "https://datawrapper.dwcdn.net"),
    Provider("flourish", "Flourish", "chart", "https://flo.uri.sh"),
)


def mastodon_hosts():
    """Mastodon servers whose posts may be embedded: those with an origin in the setting."""
    return {
        urlsplit(origin).netloc
        for origin in settings.NEWSROOM_EMBED_FRAME_ORIGINS
        if origin.startswith("https://") and origin not in {p.origin for p in PROVIDERS}
    }


def find_embed(url):
    """(provider, iframe address) for an address that may be embedded, else None."""
    if not URL_LINE.fullmatch(url):
        return None
    allowed = set(settings.NEWSROOM_EMBED_FRAME_ORIGINS)
    for provider in PROVIDERS:
        src = provider.iframe_src(url)
        if src and f"https://{urlsplit(src).netloc}" in allowed:
            return provider, src
    return None


def is_url_line(line):
    """An address alone on a line, starting at its first character."""
    return line == line.lstrip() and bool(URL_LINE.fullmatch(line.rstrip()))


class EmbedBlockProcessor(BlockProcessor):
    """A paragraph that is one address: an embed placeholder, or a plain link."""

    def test(self, parent, block):
        return is_url_line(block)

    def run(self, parent, blocks):
        url = blocks.pop(0).strip()
        attributes = {"class": "embed-placeholder"} if find_embed(url) else {}
        paragraph = etree.SubElement(parent, "p", attributes)
        link = etree.SubElement(paragraph, "a", {"href": url})
        link.text = url


def render_embed(url):
    """The facade for an embeddable address, or a plain link paragraph for any other."""
    found = find_embed(url)
    if found is None:
        return render_to_string("images/link.html", {"url": url})
    provider, src = found
    return render_to_string(
        "images/embed.html",
        {"provider": provider, "url": url, "src": src, "host": urlsplit(src).netloc},
    )


def expand_embeds(html_text):
    return PLACEHOLDER.sub(lambda m: render_embed(html.unescape(m.group(1))), html_text)
