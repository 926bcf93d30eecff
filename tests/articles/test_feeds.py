import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
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
