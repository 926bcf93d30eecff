"""Known XSS payloads, typed into every field a feed carries, come out as text in every feed.

Each feed is read as a feed reader reads it: feedparser, with its own HTML sanitiser off (a
reader may have none), says which fields are HTML; those may hold no element but the line
breaks of a correction note, and what they show is what the editor typed. Plain-text fields
(Atom titles) must be typed as text.
"""

from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from articles.models import Correction
from tests.factories import make_article, make_author, make_section
from tests.html_safety import XSS_PAYLOADS, unsafe_parts

pytestmark = pytest.mark.django_db

HTML_TYPES = {"text/html", "application/xhtml+xml"}


class Text(HTMLParser):
    """What a reader sees of an HTML field: its text, a line break for each <br>, and the
    elements it holds."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br":
            self.text += "\n"

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data


def shown(detail):
    """(what a reader shows, the elements it renders) for a feedparser *_detail field."""
    if detail["type"] in HTML_TYPES:
        text = Text(detail["value"])
        return text.text, text.tags, unsafe_parts(detail["value"], allowed_tags={"br"})
    return detail["value"], [], []


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content, sanitize_html=False)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def fields(parsed):
    """Every text field of the feed and its entries, with its feedparser detail."""
    for name in ("title_detail", "subtitle_detail"):
        if name in parsed.feed:
            yield f"feed {name}", parsed.feed[name]
    for entry in parsed.entries:
        for name in ("title_detail", "summary_detail"):
            if name in entry:
                yield f"entry {name}", entry[name]
        for content in entry.get("content", []):
            yield "entry content", content


@pytest.fixture
def payload_everywhere(request):
    payload = request.param
    section = make_section(slug="xss", name=payload[:100], description=payload)
    author = make_author(name=payload[:100])
    by_standfirst = make_article(
        headline=payload, standfirst=payload, section=section, authors=[author], tags=[payload],
    )  # fmt: skip
    make_article(
        headline=f"SEO {payload}", seo_description=payload[:160], section=section,
        tags=[payload],
    )  # fmt: skip
    Correction.objects.create(article=by_standfirst, note=f"Before {payload} after")
    tag = by_standfirst.tags.get()
    return payload, [
        reverse("feeds:latest-rss"),
        reverse("feeds:latest-atom"),
        reverse("feeds:section-rss", kwargs={"slug": "xss"}),
        reverse("feeds:section-atom", kwargs={"slug": "xss"}),
        reverse("feeds:tag-rss", kwargs={"slug": tag.slug}),
        reverse("feeds:tag-atom", kwargs={"slug": tag.slug}),
        reverse("articles:corrections-feed"),
    ]


@pytest.mark.parametrize("payload_everywhere", XSS_PAYLOADS, indirect=True)
def test_payload_in_any_field_is_text_in_every_feed(client, payload_everywhere):
    payload, urls = payload_everywhere
    for url in urls:
        parsed = read(client, url)
        for name, detail in fields(parsed):
            text, tags, problems = shown(detail)
            assert problems == [], (url, name, detail)
            assert set(tags) <= {"br"}, (url, name, detail)
        summaries = [shown(entry.summary_detail)[0] for entry in parsed.entries]
        if "corrections" in url:
            assert summaries == [f"Before {payload} after"]
        else:
            assert payload in summaries, url  # shown as typed, not dropped or mangled
            titles = [shown(entry.title_detail)[0] for entry in parsed.entries]
            assert payload in titles, url


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_ampersands_and_quotes_read_as_typed(client, url):
    make_article(headline="Oil & gas: “M&A” <b>isn't</b> over", standfirst="Fish & chips 'n' <i>")
    [entry] = read(client, url).entries
    assert shown(entry.title_detail)[0] == "Oil & gas: “M&A” <b>isn't</b> over"
    assert shown(entry.summary_detail)[0] == "Fish & chips 'n' <i>"


def test_atom_titles_are_typed_as_text(client):
    make_article(headline="<b>Bold</b> claims")
    [entry] = read(client, "/feeds/atom/").entries
    assert entry.title_detail["type"] == "text/plain"
    assert entry.title == "<b>Bold</b> claims"


def test_correction_notes_keep_their_line_breaks(client):
    article = make_article()
    Correction.objects.create(article=article, note="First line.\nSecond <line>.")
    [entry] = read(client, "/corrections/feed/").entries
    assert shown(entry.summary_detail)[:2] == ("First line.\nSecond <line>.", ["br"])


def test_there_are_at_least_thirty_payloads():
    assert len(set(XSS_PAYLOADS)) >= 30
