import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from articles.models import Article, Correction
from images.models import Rendition
from tests.factories import make_article, make_author, make_section
from tests.images.factories import make_image, upload

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


def test_paid_content_says_so_in_feed_readers(client):
    make_article(headline="Reported")
    make_article(headline="Brought to you", kind=Article.Kind.SPONSORED)
    expected = ["Sponsored: Brought to you", "Reported"]
    assert rss_titles(client.get("/feeds/rss/")) == expected
    assert atom_titles(client.get("/feeds/atom/")) == expected


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


MEDIA = "{http://search.yahoo.com/mrss/}"


def test_feed_items_carry_the_lead_image_as_media_content_and_an_enclosure(client):
    picture = make_image(
        upload_file=upload(width=1600, height=900), alt_text="Cranes at the quay",
        credit="Ana Silva / Newsroom",
    )  # fmt: skip
    make_article(headline="Quay opens", lead_image=picture)
    make_article(headline="No picture")
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    without, with_picture = rss.iter("item")
    content = with_picture.find(f"{MEDIA}content")
    rendition = Rendition.objects.get(image=picture, ratio="16:9", format="jpeg", width=1280)
    url = f"http://testserver{rendition.url}"
    assert content.attrib == {
        "url": url, "medium": "image", "type": "image/jpeg", "width": "1280", "height": "720",
        "fileSize": str(rendition.file_size),
    }  # fmt: skip
    assert content.findtext(f"{MEDIA}description") == "Cranes at the quay"
    assert content.findtext(f"{MEDIA}credit") == "Ana Silva / Newsroom"
    assert with_picture.find("enclosure").attrib == {
        "url": url, "length": str(rendition.file_size), "type": "image/jpeg",
    }  # fmt: skip
    assert rendition.file_size > 0
    assert without.find(f"{MEDIA}content") is None and without.find("enclosure") is None

    atom = ET.fromstring(client.get("/feeds/atom/").content)
    entry = list(atom.iter(f"{ATOM}entry"))[1]
    assert entry.find(f"{MEDIA}content").get("url") == url
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert (enclosure.get("href"), enclosure.get("type")) == (url, "image/jpeg")


def test_feed_pictures_cost_one_query_however_many(client, django_assert_num_queries):
    for _ in range(4):
        make_article(lead_image=make_image(upload_file=upload(width=320, height=180)))
    client.get("/feeds/rss/")  # makes the renditions
    client.cookies["newsroom_comments"] = "expired"
    # The articles, their bylines, their tags, and every lead image's renditions.
    with django_assert_num_queries(4):
        client.get("/feeds/rss/")


FEEDS = [
    "/feeds/rss/", "/feeds/atom/", "/feeds/sections/world/rss/", "/feeds/sections/world/atom/",
    "/feeds/tags/oil/rss/", "/feeds/tags/oil/atom/", "/corrections/feed/",
]  # fmt: skip


def parsed(client, url):
    """The feed at `url` as feedparser reads it, refusing anything it had to guess at."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


@pytest.fixture
def every_feed_filled():
    world = make_section(name="World", slug="world")
    bylined = make_article(
        headline="Bylined", section=world, tags=["Oil"], authors=[make_author(name="Ana Silva")]
    )
    make_article(headline="Unsigned", section=world, tags=["Oil"], standfirst="")
    Correction.objects.create(article=bylined, note="We misspelled a name.")
    Correction.objects.create(article=Article.objects.get(headline="Unsigned"), note="Updated.")


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_valid_with_every_required_element(client, every_feed_filled, url):
    feed = parsed(client, url)
    assert feed.version == ("atom10" if "atom" in url else "rss20")
    assert feed.feed.title and feed.feed.link.startswith("http://testserver/")
    if feed.version == "atom10":
        assert feed.feed.id and feed.feed.updated_parsed
        assert feed.feed.author == "Newsroom"  # Atom: every entry has an author, or the feed
        assert any(link.rel == "self" for link in feed.feed.links)
    else:
        assert feed.feed.subtitle  # RSS's required channel description
    assert len(feed.entries) == 2
    for entry in feed.entries:
        assert entry.title and entry.link.startswith("http://testserver/articles/")
        assert entry.id.startswith("urn:uuid:") and entry.guidislink is False
        assert entry.published_parsed and "summary" in entry
        if feed.version == "atom10":
            assert entry.updated_parsed
        if "corrections" in url:
            assert entry.author in {"Ana Silva", "Newsroom"}
            assert re.search(r"/#correction-\d+$", entry.link)


def test_feed_ids_stay_when_the_slug_changes(client):
    article = make_article(slug="first-slug")
    rss, atom = parsed(client, "/feeds/rss/").entries[0], parsed(client, "/feeds/atom/").entries[0]
    assert rss.id == atom.id == article.uuid.urn
    assert rss.link.endswith("/first-slug/")
    article.slug = "second-slug"
    article.save()
    client.cookies["newsroom_comments"] = "expired"  # made afresh, not from the page cache
    for url, before in (("/feeds/rss/", rss), ("/feeds/atom/", atom)):
        after = parsed(client, url).entries[0]
        assert after.id == before.id
        assert after.link.endswith("/second-slug/")


def test_rss_guid_is_not_a_permalink(client):
    article = make_article()
    item = next(ET.fromstring(client.get("/feeds/rss/").content).iter("item"))
    guid = item.find("guid")
    assert (guid.text, guid.get("isPermaLink")) == (article.uuid.urn, "false")
    assert item.findtext("link").endswith(article.get_absolute_url())
