"""Every sitemap as a search engine reads it.

Each `<urlset>` is validated against sitemaps.org's own schema (sitemap.xsd, as the npm package
`sitemap` ships it: package.json pins it, `npm ci` installs it). That schema takes extension
elements (`image:`, `news:`) only with their own schemas loaded, which no package ships, so
those are set aside for the schema and checked here element by element, against Google's
documentation of the image and news extensions; so is the sitemap index, whose schema
(siteindex.xsd) no package ships either.
"""

import os
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import xmlschema
from django.conf import settings
from django.utils import timezone
from lxml import etree

from articles.models import Article
from images.services import renditions_make
from tests.factories import make_article, make_author, make_section
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

SITEMAP_XSD = settings.BASE_DIR / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP, "image": IMAGE, "news": NEWS}
# The W3C datetime profile (https://www.w3.org/TR/NOTE-datetime) to the second, as we print it.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")
# Google News: ISO 639 language codes, with zh-cn and zh-tw.
NEWS_LANGUAGE = re.compile(r"[a-z]{2,3}|zh-cn|zh-tw")


@pytest.fixture(scope="module")
def sitemap_schema():
    if not SITEMAP_XSD.exists():
        if os.environ.get("NEWSROOM_REQUIRE_NPM_TOOLS") == "1":
            pytest.fail(f"{SITEMAP_XSD} is missing: run npm ci")
        pytest.skip("sitemaps.org's schema comes with the npm package `sitemap`: run npm ci")
    return xmlschema.XMLSchema(str(SITEMAP_XSD))


@pytest.fixture
def site():
    world = make_section(slug="world")
    author = make_author(slug="ana")
    picture = make_image(upload_file=upload(width=800, height=600))
    renditions_make(image=picture)
    make_article(
        slug="pictured", headline="Quay & port <reopen>", section=world, authors=[author],
        tags=["Oil", "Économie"], lead_image=picture, body=f"![[image:{picture.pk}]]",
    )  # fmt: skip
    old = make_article(slug="old", section=world, tags=["Oil"])
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=9))
    make_article(slug="draft", tags=["Secret"], status=Article.Status.DRAFT)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def absolute(url):
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and parts.netloc and 12 <= len(url) <= 2048


def is_w3c_datetime(text):
    return bool(W3C_DATETIME.fullmatch(text or "")) and datetime.fromisoformat(text)


def core(root):
    """`root` with every element outside the sitemaps.org namespace set aside."""
    for element in root.xpath("//*[namespace-uri() != $ns]", ns=SITEMAP):
        element.getparent().remove(element)
    return root


def urlset_pages(client):
    index = fetch(client, "/sitemap.xml")
    pages = [loc.removeprefix("http://testserver") for loc in index.xpath("//s:loc/text()",
                                                                         namespaces=NS)]
    return [*pages, "/news-sitemap.xml"]


def test_sitemap_index_lists_each_sitemap_with_its_last_change(client, site):
    index = fetch(client, "/sitemap.xml")
    assert etree.QName(index).text == f"{{{SITEMAP}}}sitemapindex"
    entries = index.findall("s:sitemap", NS)
    assert len(entries) == 5
    for entry in entries:
        assert [etree.QName(child).localname for child in entry] == ["loc", "lastmod"]
        assert absolute(entry.findtext("s:loc", namespaces=NS))
        assert is_w3c_datetime(entry.findtext("s:lastmod", namespaces=NS))


def test_every_urlset_is_valid_against_the_sitemaps_org_schema(client, site, sitemap_schema):
    for page in urlset_pages(client):
        root = fetch(client, page)
        sitemap_schema.validate(core(root))  # raises with the reason when invalid
        for url in root.findall("s:url", NS):
            assert absolute(url.findtext("s:loc", namespaces=NS))
            lastmod = url.findtext("s:lastmod", namespaces=NS)
            assert lastmod is None or is_w3c_datetime(lastmod), (page, lastmod)


def test_the_schema_refuses_a_broken_sitemap(sitemap_schema):
    broken = etree.fromstring(
        f'<urlset xmlns="{SITEMAP}"><url><loc>/relative</loc><lastmod>yesterday</lastmod></url>'
        "</urlset>"
    )
    assert len(list(sitemap_schema.iter_errors(broken))) == 2


def test_every_page_of_archives_and_articles_has_a_w3c_lastmod(client, site):
    for page in urlset_pages(client):
        if page == "/news-sitemap.xml":
            continue
        for url in fetch(client, page).findall("s:url", NS):
            assert is_w3c_datetime(url.findtext("s:lastmod", namespaces=NS)), page


def test_image_entries_carry_an_absolute_picture_address(client, site):
    for page in ("/sitemap-articles.xml", "/news-sitemap.xml"):
        images = fetch(client, page).findall("s:url/image:image", NS)
        assert images, page
        for image in images:
            assert [etree.QName(child).text for child in image] == [f"{{{IMAGE}}}loc"]
            assert absolute(image.findtext("image:loc", namespaces=NS))


def test_news_sitemap_has_every_required_element(client, site):
    root = fetch(client, "/news-sitemap.xml")
    urls = root.findall("s:url", NS)
    assert [url.findtext("s:loc", namespaces=NS) for url in urls] == [
        "http://testserver/articles/pictured/"
    ]
    [news] = urls[0].findall("news:news", NS)
    assert [etree.QName(child).localname for child in news] == [
        "publication", "publication_date", "title",
    ]  # fmt: skip
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert NEWS_LANGUAGE.fullmatch(news.findtext("news:publication/news:language",
                                                 namespaces=NS))  # fmt: skip
    assert is_w3c_datetime(news.findtext("news:publication_date", namespaces=NS))
    assert news.findtext("news:title", namespaces=NS) == "Quay & port <reopen>"
