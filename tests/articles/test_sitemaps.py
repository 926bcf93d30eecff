import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.sitemaps import ArticleSitemap, last_changes_by_tag
from images.models import Rendition
from images.services import renditions_make
from tests.factories import make_article, make_author, make_section
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(response):
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def all_locations(client):
    """Every address in the sitemaps /sitemap.xml lists, in order."""
    found = []
    for sitemap in locations(client.get("/sitemap.xml")):
        found += locations(client.get(sitemap.removeprefix("http://testserver")))
    return found


def test_sitemap_lists_home_published_articles_and_archives(client):
    world = make_section(slug="world")
    author = make_author(slug="ana")
    make_article(slug="live", section=world, authors=[author], tags=["Oil"])
    make_article(slug="draft", tags=["Secret"], status=Article.Status.DRAFT)
    make_article(slug="later", status=Article.Status.SCHEDULED)
    assert all_locations(client) == [
        "http://testserver/",
        "http://testserver/articles/live/",
        "http://testserver/sections/world/",
        "http://testserver/authors/ana/",
        "http://testserver/tags/oil/",
    ]


def test_sitemap_gives_articles_their_last_change(client):
    article = make_article(slug="live")
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    [entry] = [u for u in root.iter(f"{SITEMAP}url") if "/live/" in u.findtext(f"{SITEMAP}loc")]
    # A full W3C datetime, to the second, with the offset: not only the day.
    assert entry.findtext(f"{SITEMAP}lastmod") == (
        article.updated_at.replace(microsecond=0).isoformat()
    )


def test_news_sitemap_lists_articles_of_the_last_48_hours(client):
    fresh = make_article(slug="fresh", headline="Fresh & new")
    old = make_article(slug="old")
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(hours=49))
    make_article(slug="draft", status=Article.Status.DRAFT)
    response = client.get("/news-sitemap.xml")
    assert locations(response) == ["http://testserver/articles/fresh/"]
    news = next(ET.fromstring(response.content).iter(f"{NEWS}news"))
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh & new"
    published = fresh.published_at.replace(microsecond=0).isoformat()
    assert news.findtext(f"{NEWS}publication_date") == published


def test_sitemap_lists_tags_in_any_script(client):
    make_article(tags=["Économie"])
    assert "http://testserver/tags/%C3%A9conomie/" in all_locations(client)


def article_pages(client):
    """The article sitemap pages /sitemap.xml lists, each with the addresses on it."""
    index = locations(client.get("/sitemap.xml"))
    pages = [url for url in index if "/sitemap-articles.xml" in url]
    return {url: locations(client.get(url.removeprefix("http://testserver"))) for url in pages}


def test_sitemap_index_lists_every_page_of_a_large_archive(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = [make_article(slug=f"story-{number}") for number in range(5)]
    make_article(slug="draft", status=Article.Status.DRAFT)
    pages = article_pages(client)
    assert len(pages) == -(-max(story.pk for story in stories) // 2)  # ids 1-2, 3-4, ...
    assert all(len(page) <= 2 for page in pages.values())
    listed = [url for page in pages.values() for url in page]
    assert listed == [f"http://testserver/articles/story-{n}/" for n in range(5)]


def test_sitemap_pages_keep_their_addresses_as_articles_are_added(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for number in range(3):
        make_article(slug=f"story-{number}")
    before = article_pages(client)
    make_article(slug="newest")
    after = article_pages(client)
    changed = {url for url in after if after[url] != before.get(url)}
    assert len(changed) == 1
    [last] = changed
    assert after[last][-1] == "http://testserver/articles/newest/"


def test_sitemap_page_past_the_end_or_unknown_is_not_found(client):
    make_article()
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def pictures_by_page(response):
    assert response.status_code == 200
    return {
        url.findtext(f"{SITEMAP}loc"): [loc.text for loc in url.iter(f"{IMAGE}loc")]
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")
    }


def test_sitemaps_list_each_articles_lead_image_and_body_pictures(
    client, django_assert_num_queries
):
    lead = make_image(upload_file=upload(width=800, height=600))
    inline = make_image()
    renditions_make(image=lead)
    renditions_make(image=inline)
    make_article(slug="pictured", lead_image=lead, body=f"![[image:{inline.pk}]]\n\n"
                 f"![[image:{lead.pk}]]")  # fmt: skip
    make_article(slug="plain")
    widest = {
        image: Rendition.objects.filter(image=image, ratio="original", format="jpeg")
        .order_by("width").last().url
        for image in (lead, inline)
    }
    expected = {
        "http://testserver/articles/pictured/": [
            f"http://testserver{widest[lead]}", f"http://testserver{widest[inline]}",
        ],
        "http://testserver/articles/plain/": [],
    }  # fmt: skip
    client.get("/sitemap-articles.xml")
    client.cookies["newsroom_comments"] = "expired"  # made afresh, not from the page cache
    # The last page number, the page's articles, then every picture's rendition in one query.
    with django_assert_num_queries(3):
        response = client.get("/sitemap-articles.xml")
    assert pictures_by_page(response) == expected
    assert pictures_by_page(client.get("/news-sitemap.xml")) == expected
    assert widest[lead].endswith(".jpg") and "-original-640." in widest[lead]


def lastmods(client, url):
    root = ET.fromstring(client.get(url).content)
    entries = [*root.iter(f"{SITEMAP}url"), *root.iter(f"{SITEMAP}sitemap")]
    return {
        entry.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"): entry.findtext(
            f"{SITEMAP}lastmod"
        )
        for entry in entries
    }


def changed(article, hours_ago):
    """Readers last saw `article` change `hours_ago` hours ago; returns that time as printed."""
    moment = (timezone.now() - timedelta(hours=hours_ago)).replace(microsecond=0)
    Article.objects.filter(pk=article.pk).update(updated_at=moment)
    return moment.isoformat()


def test_every_sitemap_and_archive_page_has_its_last_change(client):
    world, sport = make_section(slug="world"), make_section(slug="sport")
    ana, ben = make_author(slug="ana"), make_author(slug="ben")
    newest = changed(make_article(section=world, authors=[ana], tags=["Oil"]), 1)
    older = changed(make_article(section=sport, authors=[ben], tags=["Gas", "Oil"]), 5)
    oldest = changed(make_article(section=sport, authors=[ben], tags=["Gas", "Coal"]), 9)
    draft = make_article(section=sport, authors=[ben], tags=["Coal"], status="draft")
    changed(draft, 0)  # never counts: readers cannot see it
    assert set(lastmods(client, "/sitemap.xml").values()) == {newest}
    assert lastmods(client, "/sitemap-home.xml") == {"/": newest}
    assert lastmods(client, "/sitemap-sections.xml") == {
        "/sections/world/": newest, "/sections/sport/": older,
    }  # fmt: skip
    authors = {"/authors/ana/": newest, "/authors/ben/": older}
    assert lastmods(client, "/sitemap-authors.xml") == authors
    assert lastmods(client, "/sitemap-tags.xml") == {
        "/tags/coal/": oldest, "/tags/gas/": older, "/tags/oil/": newest,
    }  # fmt: skip
    assert client.get("/sitemap-tags.xml")["Last-Modified"]


def test_tag_last_changes_are_exact_however_deep_the_walk(monkeypatch):
    tags = ["A", "B", "C", "D"]
    expected = {}
    for hours, names in enumerate([["A"], ["A", "B"], [], ["C"], ["A", "C"]]):
        article = make_article(tags=names)
        when = timezone.now() - timedelta(hours=hours)
        Article.objects.filter(pk=article.pk).update(updated_at=when)
        for name in names:
            expected.setdefault(name, when.replace(microsecond=0))
    make_article(tags=["D"], status="draft")
    ids = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=tags)}
    for batch in (1, 2, 100):
        found = last_changes_by_tag(ids.values(), batch=batch)
        assert found == {ids[name]: when for name, when in expected.items()}, batch


def test_sitemap_index_costs_one_query_for_the_last_change_of_each_sitemap(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        make_article(tags=["Oil"], authors=[make_author()], section=make_section())
    client.cookies["newsroom_comments"] = "expired"
    # Per sitemap: its last change (one indexed query) and its number of pages.
    with django_assert_max_num_queries(10):
        assert client.get("/sitemap.xml").status_code == 200


def test_sponsored_articles_are_never_in_the_google_news_sitemap(client):
    make_article(slug="reported")
    make_article(slug="paid-for", kind=Article.Kind.SPONSORED)
    make_article(slug="opinion", kind=Article.Kind.OPINION)
    listed = locations(client.get("/news-sitemap.xml"))
    assert listed == ["http://testserver/articles/opinion/", "http://testserver/articles/reported/"]
    # Still an article of the site, in the ordinary sitemap.
    assert "http://testserver/articles/paid-for/" in all_locations(client)
