"""
The structured data of the pages as search engines read it: JSON-LD and OpenGraph extracted from
the HTML with extruct, JSON-LD expanded to full schema.org terms with pyld (from a local copy of
the context: the tests never fetch schema.org).
"""

import extruct
import pytest
from django.utils import timezone
from pyld import jsonld

from articles.models import Article, PolicyPage
from articles.services import publisher_logo_set
from tests.factories import make_article, make_author
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
# What schema.org's context does for the terms our pages use: every term is a schema.org name.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}


def local_schema_org(url, options=None):
    """pyld's document loader: schema.org's context from here, and nothing from the network."""
    if url.rstrip("/") not in {"https://schema.org", "http://schema.org"}:
        raise AssertionError(f"JSON-LD asked for {url}; pages should only name schema.org")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def extracted(response):
    html = response.content.decode()
    return extruct.extract(
        html, base_url="http://testserver/", syntaxes=["json-ld", "opengraph"], uniform=False
    )


def json_ld(response):
    """Every JSON-LD item of the page, expanded: {full type IRI: item}."""
    items = {}
    for item in extracted(response)["json-ld"]:
        for node in jsonld.expand(item, {"documentLoader": local_schema_org}):
            for kind in node["@type"]:
                items[kind] = node
    return items


def value(node, name):
    """The one value of the schema.org property `name` of an expanded node."""
    (found,) = node[SCHEMA + name]
    if "@value" in found:
        return found["@value"]
    # A reference alone ({"@id": …}) is its address; a node with properties is the node.
    return found["@id"] if found.keys() == {"@id"} else found


def type_of(node):
    return [kind.removeprefix(SCHEMA) for kind in node["@type"]]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Article.Kind.NEWS, "NewsArticle"),
        (Article.Kind.ANALYSIS, "AnalysisNewsArticle"),
        (Article.Kind.OPINION, "OpinionNewsArticle"),
        (Article.Kind.REVIEW, "ReviewNewsArticle"),
        (Article.Kind.EXPLAINER, "BackgroundNewsArticle"),
        (Article.Kind.SPONSORED, "AdvertiserContentArticle"),
    ],
)
def test_each_kind_of_article_is_its_schema_org_type(client, kind, schema_type):
    article = make_article(kind=kind, headline="Typed")
    items = json_ld(client.get(article.get_absolute_url()))
    node = items[SCHEMA + schema_type]
    assert value(node, "headline") == "Typed"
    if kind != Article.Kind.NEWS:
        assert SCHEMA + "NewsArticle" not in items


def test_sponsored_content_is_never_a_news_article_of_any_kind(client):
    article = make_article(kind=Article.Kind.SPONSORED)
    types = {kind.removeprefix(SCHEMA) for kind in json_ld(client.get(article.get_absolute_url()))}
    assert not {name for name in types if name.endswith("NewsArticle")}


def test_publisher_is_a_news_media_organization_with_its_logo_and_policies(client):
    publisher_logo_set(logo=make_image(upload_file=upload(width=300, height=300)))
    for kind in PolicyPage.Kind.values:
        PolicyPage.objects.create(kind=kind, body="Words.")
    article = make_article()
    items = json_ld(client.get(article.get_absolute_url()))
    publisher = value(items[SCHEMA + "NewsArticle"], "publisher")
    assert type_of(publisher) == ["NewsMediaOrganization"]
    assert value(publisher, "name") == "Newsroom"
    assert value(publisher, "url") == "http://testserver/"
    logo = value(publisher, "logo")
    assert type_of(logo) == ["ImageObject"]
    assert value(logo, "url").startswith("http://testserver/media/images/renditions/")
    assert (value(logo, "width"), value(logo, "height")) == (300, 300)
    policies = {
        "publishingPrinciples": "/about/ethics-policy/",
        "ethicsPolicy": "/about/ethics-policy/",
        "correctionsPolicy": "/about/corrections-policy/",
        "masthead": "/about/masthead/",
        "ownershipFundingInfo": "/about/ownership-and-funding/",
    }
    for name, path in policies.items():
        assert value(publisher, name) == f"http://testserver{path}"
        assert client.get(path).status_code == 200


def test_publisher_names_only_the_policy_pages_there_are(client):
    PolicyPage.objects.create(kind=PolicyPage.Kind.CORRECTIONS, body="We correct.")
    items = json_ld(client.get("/"))
    organization = items[SCHEMA + "NewsMediaOrganization"]
    assert value(organization, "correctionsPolicy") == "http://testserver/about/corrections-policy/"
    for name in ("publishingPrinciples", "ethicsPolicy", "masthead", "ownershipFundingInfo"):
        assert SCHEMA + name not in organization


def test_home_page_describes_the_site_with_its_search_and_the_publisher(client):
    publisher_logo_set(logo=make_image(upload_file=upload(width=300, height=300)))
    make_article()
    items = json_ld(client.get("/"))
    website = items[SCHEMA + "WebSite"]
    assert value(website, "name") == "Newsroom"
    assert value(website, "url") == "http://testserver/"
    organization = items[SCHEMA + "NewsMediaOrganization"]
    assert value(website, "publisher") == organization["@id"] == "http://testserver/#organization"
    search = value(website, "potentialAction")
    assert type_of(search) == ["SearchAction"]
    target = value(search, "target")
    assert value(target, "urlTemplate") == "http://testserver/search/?q={search_term_string}"
    # "query-input" is Google's shorthand, outside schema.org's terms: read it as the page has it.
    (home_website,) = [i for i in extracted(client.get("/"))["json-ld"] if i["@type"] == "WebSite"]
    assert home_website["potentialAction"]["query-input"] == "required name=search_term_string"
    assert value(organization, "logo")


def test_dateline_how_we_reported_this_and_last_review_reach_search_engines(client):
    reviewed = timezone.localdate()
    article = make_article(
        dateline="LAGOS, Nigeria",
        reporting_notes="We read 400 pages of court filings.",
        last_reviewed=reviewed,
    )
    node = json_ld(client.get(article.get_absolute_url()))[SCHEMA + "NewsArticle"]
    assert value(node, "dateline") == "LAGOS, Nigeria"
    assert value(node, "backstory") == "We read 400 pages of court filings."
    page = value(node, "mainEntityOfPage")
    assert type_of(page) == ["WebPage"]
    assert value(page, "lastReviewed") == reviewed.isoformat()


def test_without_them_there_is_no_dateline_backstory_or_review(client):
    node = json_ld(client.get(make_article().get_absolute_url()))[SCHEMA + "NewsArticle"]
    for name in ("dateline", "backstory"):
        assert SCHEMA + name not in node
    assert SCHEMA + "lastReviewed" not in value(node, "mainEntityOfPage")


def test_article_authors_are_named_to_social_sites_in_byline_order(client):
    first, second = make_author(slug="ana-silva"), make_author(slug="ben-okafor")
    article = make_article(authors=[first, second])
    (opengraph,) = extracted(client.get(article.get_absolute_url()))["opengraph"]
    authors = [content for name, content in opengraph["properties"] if name == "article:author"]
    assert authors == ["http://testserver/authors/ana-silva/", "http://testserver/authors/ben-okafor/"]


def test_the_local_context_refuses_any_other_document():
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.com/ctx", "name": "x"},
                      {"documentLoader": local_schema_org})  # fmt: skip
