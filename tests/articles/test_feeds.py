import json
import os
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Author, Correction, Section
from images.models import Rendition
from images.services import renditions_make
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


def test_a_tag_feed_appears_once_its_first_article_is_published(client):
    draft = make_article(tags=["Secret"], status=Article.Status.DRAFT)
    assert client.get("/feeds/tags/secret/atom/").status_code == 404
    draft.status = Article.Status.PUBLISHED
    draft.save()
    response = client.get("/feeds/tags/secret/atom/")
    assert response.status_code == 200
    assert draft.headline in response.text


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


# Every feed, made from the same fixed articles at a frozen time, is the same bytes as the copy
# kept in reference_feeds/: a change to how feeds are made (leaner queries, its own XML
# writing) must not change what feed readers get. A change meant to alter a feed writes the
# files again, and the diff shows what changed:
#
#     NEWSROOM_WRITE_REFERENCE_FEEDS=1 pytest tests/articles/test_feeds.py
REFERENCE_FEEDS = Path(__file__).parent / "reference_feeds"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Ids far above what the rest of the suite reaches (and apart from test_reference_html's), so
# the feeds print the same ones each run on SQLite and PostgreSQL.
BASE = 7_100_000
REFERENCE_FEED_URLS = {
    "latest_rss": "/feeds/rss/",
    "latest_atom": "/feeds/atom/",
    "section_rss": "/feeds/sections/world/rss/",
    "section_atom": "/feeds/sections/world/atom/",
    "section_without_description_rss": "/feeds/sections/business/rss/",
    "tag_rss": "/feeds/tags/oil/rss/",
    "tag_atom": "/feeds/tags/oil/atom/",
    "corrections": "/corrections/feed/",
}


def build_feed_site():
    world = Section.objects.create(
        id=BASE + 1, name="World", slug="world", description="News from\neverywhere & more."
    )
    business = Section.objects.create(id=BASE + 2, name="Business", slug="business")
    ana = Author.objects.create(id=BASE + 1, name="Ana Silva", slug="ana-silva")
    ben = Author.objects.create(id=BASE + 2, name="Ben Okafor", slug="ben-okafor")
    chloe = Author.objects.create(id=BASE + 3, name="Chloé <Durand>", slug="chloe-durand")
    # Tags made in an order of their own: items list them by id, not by name or as applied.
    oil, energy, diplomacy = (
        Tag.objects.create(id=BASE + n, name=name, slug=name.lower())
        for n, name in ((1, "Oil"), (2, "Energy"), (3, "Diplomacy"))
    )
    quay = make_image(
        id=BASE + 1, upload_file=upload(name="quay.jpg", width=1600, height=900),
        alt_text="Cranes at the quay", credit="Ana Silva / Newsroom",
    )  # fmt: skip
    plain = make_image(
        id=BASE + 2,
        upload_file=upload(name="plain.jpg", width=800, height=600),
        alt_text="",
        decorative=True,
    )
    for image in (quay, plain):  # all of them now, not as each feed first asks for one
        renditions_make(image=image)

    def article(n, headline, days_ago, *, authors=(), tags=(), **fields):
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("standfirst", f"The standfirst of {headline.lower()}.")
        made = Article.objects.create(
            id=BASE + n, uuid=uuid.UUID(int=BASE + n), slug=f"feed-story-{n}", headline=headline,
            **fields,
        )  # fmt: skip
        for order, author in enumerate(authors):
            ArticleAuthor.objects.create(article=made, author=author, order=order)
        made.tags.set(tags)
        if made.status == Article.Status.PUBLISHED:
            when = NOW - timedelta(days=days_ago)
            Article.objects.filter(pk=made.pk).update(published_at=when, updated_at=when)
        return made

    talks = article(
        1, "Talks resume & <progress> is made", 2, authors=[ana, ben],
        tags=[diplomacy, oil, energy], lead_image=quay, section=world,
        standfirst="Line one,\nline <two> & three.",
    )  # fmt: skip
    Article.objects.filter(pk=talks.pk).update(updated_at=NOW - timedelta(hours=20))
    article(
        2, "Brought to you", 3, tags=[energy], lead_image=plain, section=business,
        kind=Article.Kind.SPONSORED,
    )  # fmt: skip
    output = article(
        3, "Oil output rises", 4, authors=[chloe, ana], tags=[oil], section=world,
        seo_description="Output rose for a third month.",
    )  # fmt: skip
    article(4, "Unfiled", 5, lead_image=quay)
    article(5, "Draft about oil", 1, tags=[oil], section=world, status=Article.Status.DRAFT)
    article(
        6, "Scheduled about oil", 0, tags=[oil], section=world, status=Article.Status.SCHEDULED,
        publish_at=NOW + timedelta(days=1),
    )  # fmt: skip
    Correction.objects.create(
        id=BASE + 1, article=talks, note="An earlier version\nmisspelled <a> name.",
        created_at=NOW - timedelta(hours=20),
    )  # fmt: skip
    Correction.objects.create(
        id=BASE + 2, article=output, kind=Correction.Kind.UPDATE, note="Figures for March added.",
        created_at=NOW - timedelta(days=3),
    )  # fmt: skip


@pytest.fixture
def feed_site(settings):
    # Every feed made afresh, and pictures in a storage of their own, empty: a file name already
    # taken would get a random suffix (as in test_reference_html).
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with time_machine.travel(NOW, tick=False):
        build_feed_site()
        yield


@pytest.mark.parametrize("name", list(REFERENCE_FEED_URLS))
def test_every_feed_is_the_same_bytes_as_its_reference(client, feed_site, name):
    response = client.get(REFERENCE_FEED_URLS[name])
    assert response.status_code == 200
    got = {
        "headers": {key: response[key] for key in ("Content-Type", "Last-Modified")},
        "body": response.content.decode(),
    }
    path = REFERENCE_FEEDS / f"{name}.json"
    if os.environ.get("NEWSROOM_WRITE_REFERENCE_FEEDS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(path.read_text())
    assert got["headers"] == expected["headers"]
    assert got["body"] == expected["body"], first_difference(got["body"], expected["body"])


def first_difference(got, expected, context=120):
    at = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), None)
    at = min(len(got), len(expected)) if at is None else at
    start = max(0, at - context)
    return f"\n got: …{got[start : at + context]}…\n was: …{expected[start : at + context]}…"


def test_reference_feeds_hold_what_they_are_meant_to_check(client, feed_site):
    latest = REFERENCE_FEEDS / "latest_rss.json"
    body = json.loads(latest.read_text())["body"]
    for shown in (
        "Sponsored: Brought to you", "Talks resume &amp;amp; &amp;lt;progress&amp;gt;",
        "<category>Oil</category><category>Energy</category><category>Diplomacy</category>",
        "Chloé &lt;Durand&gt;, Ana Silva", "<media:content", "<media:credit>", "<enclosure",
        "Line one,&lt;br&gt;line &amp;lt;two&amp;gt; &amp;amp; three.",
    ):  # fmt: skip
        assert shown in body, shown
    for hidden in ("Draft about oil", "Scheduled about oil"):
        assert hidden not in body
    corrections = json.loads((REFERENCE_FEEDS / "corrections.json").read_text())["body"]
    assert f"#correction-{BASE + 1}" in corrections and "Update: Oil output rises" in corrections


# Queries per feed: the same for two items as for six.
FEED_QUERIES = {
    "/feeds/rss/": 4,  # the articles, their bylines, their tags, their pictures' renditions
    "/feeds/atom/": 4,
    "/feeds/sections/world/rss/": 5,  # and the section
    "/feeds/sections/world/atom/": 5,
    "/feeds/tags/oil/rss/": 5,  # and the tag
    "/feeds/tags/oil/atom/": 5,
    "/corrections/feed/": 2,  # the corrections with their articles, the bylines
}


def queries_for(client, url):
    client.get(url)  # what is remembered (the schedule, content types, paths) is remembered
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", list(FEED_QUERIES))
def test_feed_queries_stay_the_same_however_many_items(client, url):
    client.cookies["newsroom_comments"] = "expired"  # made afresh, not from the page cache
    world = make_section(name="World", slug="world")

    def add_articles(count):
        for _ in range(count):
            article = make_article(
                section=world, tags=["Oil", "Gas"], authors=[make_author(), make_author()],
                lead_image=make_image(upload_file=upload(width=320, height=180)),
            )  # fmt: skip
            Correction.objects.create(article=article, note="Fixed.")

    add_articles(2)
    few = queries_for(client, url)
    add_articles(4)
    assert queries_for(client, url) == few == FEED_QUERIES[url]
