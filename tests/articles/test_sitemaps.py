import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(response):
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_sitemap_lists_home_published_articles_and_archives(client):
    world = make_section(slug="world")
    author = make_author(slug="ana")
    make_article(slug="live", section=world, authors=[author], tags=["Oil"])
    make_article(slug="draft", tags=["Secret"], status=Article.Status.DRAFT)
    make_article(slug="later", status=Article.Status.SCHEDULED)
    urls = locations(client.get("/sitemap.xml"))
    assert urls == [
        "http://testserver/",
        "http://testserver/articles/live/",
        "http://testserver/sections/world/",
        "http://testserver/authors/ana/",
        "http://testserver/tags/oil/",
    ]


def test_sitemap_gives_articles_their_last_change(client):
    article = make_article(slug="live")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    [entry] = [u for u in root.iter(f"{SITEMAP}url") if "/live/" in u.findtext(f"{SITEMAP}loc")]
    assert entry.findtext(f"{SITEMAP}lastmod") == article.updated_at.date().isoformat()


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
    assert news.findtext(f"{NEWS}publication_date") == fresh.published_at.isoformat()


def test_sitemap_lists_tags_in_any_script(client):
    make_article(tags=["Économie"])
    assert "http://testserver/tags/%C3%A9conomie/" in locations(client.get("/sitemap.xml"))
