import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def atom_titles(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_latest_feeds_list_published_articles_newest_first(client):
    make_article(headline="Older")
    make_article(headline="Newer")
    make_article(headline="Draft", status=Article.Status.DRAFT)
    make_article(headline="Scheduled", status=Article.Status.SCHEDULED)
    assert rss_titles(client.get("/feeds/rss/")) == ["Newer", "Older"]
    assert atom_titles(client.get("/feeds/atom/")) == ["Newer", "Older"]


def test_feed_item_has_link_summary_dates_author_and_tags(client):
    make_article(
        headline="Talks", slug="talks", standfirst="The summary.", tags=["Oil"],
        authors=[make_author(name="Ana Silva")],
    )  # fmt: skip
    item = next(ET.fromstring(client.get("/feeds/rss/").content).iter("item"))
    assert item.findtext("link") == "http://testserver/articles/talks/"
    assert item.findtext("description") == "The summary."
    assert item.findtext("pubDate")
    assert "Ana Silva" in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert item.findtext("category") == "Oil"
    entry = next(ET.fromstring(client.get("/feeds/atom/").content).iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}published")


def test_section_and_tag_feeds_hold_only_their_articles(client):
    world = make_section(name="World", slug="world")
    make_article(headline="In world", section=world, tags=["Oil"])
    make_article(headline="Draft in world", section=world, tags=["Oil"], status="draft")
    make_article(headline="Elsewhere", tags=["Gas"])
    assert rss_titles(client.get("/feeds/sections/world/rss/")) == ["In world"]
    assert atom_titles(client.get("/feeds/sections/world/atom/")) == ["In world"]
    assert rss_titles(client.get("/feeds/tags/oil/rss/")) == ["In world"]
    assert atom_titles(client.get("/feeds/tags/oil/atom/")) == ["In world"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/nope/rss/",
        "/feeds/sections/nope/atom/",
        "/feeds/tags/nope/rss/",
        "/feeds/tags/secret/atom/",
    ],
)
def test_unknown_section_or_tag_feed_is_404(client, url):
    make_article(tags=["Secret"], status=Article.Status.DRAFT)
    assert client.get(url).status_code == 404


def test_pages_advertise_the_feeds(client):
    html = client.get("/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/atom/"' in html
