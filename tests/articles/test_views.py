import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, RelatedLink, Section
from articles.paging import Position
from articles.services import old_slug_record, publisher_logo_set
from articles.views import PAGE_SIZE
from comments.cookie import COOKIE_NAME
from images.services import image_save
from tests.factories import make_article, make_author, make_comment, make_section
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response):
    return {data["@type"]: data for data in map(json.loads, JSON_LD_RE.findall(response.text))}


@pytest.fixture
def full_article():
    """An article using every feature the page shows."""
    section = make_section(name="World", slug="world")
    article = make_article(
        headline="Talks resume",
        standfirst="Both sides meet again.",
        body=(
            "Opening paragraph.\n\n## Where things stand\n\nSee [the agency](https://www.iea.org/)."
            "\n\nPro Tip: Watch the oil price.\n\n## What comes next\n\n"
            "Did you know? Talks began in 1999."
        ),
        section=section,
        tags=["Energy", "Diplomacy"],
        authors=[make_author(name="Ana Silva", slug="ana-silva", title="Chief Editor")],
    )
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(days=2), updated_at=timezone.now()
    )
    article.faq_items.create(question="Will sanctions be lifted?", answer="Not yet.")
    article.corrections.create(
        kind="correction", note="An earlier version misspelled a name.",
        created_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    related = make_article(headline="Oil output rises", tags=["Energy"])
    RelatedLink.objects.create(article=article, target=make_article(headline="Editor's pick"))
    assert related
    return Article.objects.get(pk=article.pk)


# Home


def test_home_lists_published_articles_only(client):
    make_article(headline="Visible story")
    make_article(headline="Hidden draft", status=Article.Status.DRAFT)
    make_article(headline="In review", status=Article.Status.IN_REVIEW)
    make_article(headline="Future story", status=Article.Status.SCHEDULED)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_list.html"
    assert b"Visible story" in response.content
    for hidden in (b"Hidden draft", b"In review", b"Future story"):
        assert hidden not in response.content


def test_home_shows_headline_dek_section_byline_and_date(client):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ana Silva", slug="ana-silva")
    article = make_article(headline="Lead story", standfirst="The dek.", section=section,
                           authors=[author])  # fmt: skip
    response = client.get("/")
    assert response.context["articles"][0] == article
    assert b"The dek." in response.content
    assert b'<a class="kicker" href="/sections/world/">World</a>' in response.content
    assert b'<a href="/authors/ana-silva/" rel="author">Ana Silva</a>' in response.content
    published = article.published_at.isoformat(timespec="seconds")
    assert f'<time datetime="{published}">'.encode() in response.content


def test_home_has_sections_navigation_and_newsletter_call_to_action(client):
    make_section(name="World", slug="world")
    make_section(name="Business", slug="business")
    response = client.get("/")
    assert response.status_code == 200
    assertions = (
        '<nav class="section-nav" aria-label="Sections">',
        '<a href="/sections/world/">World</a>',
        '<a href="/sections/business/">Business</a>',
        '<form method="post" action="/newsletter/">',
    )
    for html in assertions:
        assert html in response.text
    assert "newsletter/includes/signup_form.html" in [t.name for t in response.templates]


def test_home_pages_by_position_and_a_position_past_the_end_is_404(client):
    articles = [make_article() for _ in range(PAGE_SIZE + 1)]
    first = client.get("/")
    assert len(first.context["articles"]) == PAGE_SIZE
    older = Position.of(first.context["articles"][-1], "published_at")
    assert f'href="?before={older}" rel="next">Older' in first.text
    assert "Newer" not in first.text
    second = client.get("/", {"before": str(older)})
    assert list(second.context["articles"]) == [articles[0]]
    assert "Older" not in second.text
    oldest = Position.of(articles[0], "published_at")
    assert client.get("/", {"before": str(oldest)}).status_code == 404


# Article page


def test_article_page_shows_every_part(client, full_article):
    response = client.get(full_article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["article"] == full_article
    html = response.text
    expected = [
        "<h1>Talks resume</h1>",
        '<p class="dek">Both sides meet again.</p>',
        '<a href="/authors/ana-silva/" rel="author">Ana Silva</a>, '
        '<span class="author-title">Chief Editor</span>',
        f'Published <time datetime="{full_article.published_at.isoformat(timespec="seconds")}">',
        f'Updated <time datetime="{full_article.updated_at.isoformat(timespec="seconds")}">',
        '<a class="kicker" href="/sections/world/">World</a>',
        '<a href="/tags/energy/" rel="tag">Energy</a>',
        '<a href="/tags/diplomacy/" rel="tag">Diplomacy</a>',
        "1 min read",
        '<a href="#where-things-stand">Where things stand</a>',
        '<a href="#what-comes-next">What comes next</a>',
        '<h2 id="where-things-stand">Where things stand</h2>',
        'aria-label="Pro Tip"',
        'aria-label="Did you know?"',
        '<a href="https://www.iea.org/" rel="noopener noreferrer">the agency</a>',
        "<summary>Will sanctions be lifted?</summary>",
        "<strong>Correction</strong>",
        "An earlier version misspelled a name.",
        '<a href="/sections/world/">More from World</a>',
        '<form method="post" action="/newsletter/">',
        '<h2 id="related-title">You may also like</h2>',
    ]
    for fragment in expected:
        assert fragment in html, fragment
    correction_day = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d")
    assert f'<time datetime="{correction_day}' in html
    # The editor's pick leads the related list, then articles sharing tags.
    assert html.index("Editor&#x27;s pick") < html.index("Oil output rises")
    # The page's includes (FAQ, related list, explore more, contents) show in the HTML above;
    # the parts other apps render are their templates.
    templates = [t.name for t in response.templates]
    assert templates[0] == "articles/article_detail.html"
    assert "comments/includes/comments.html" in templates
    assert "newsletter/includes/signup_form.html" in templates


def test_article_without_faq_corrections_or_related_leaves_those_parts_out(client):
    response = client.get(make_article(body="Just one paragraph.").get_absolute_url())
    for absent in ("faq-title", "corrections-title", "related-title", "toc-title", "FAQPage"):
        assert absent not in response.text


def test_table_of_contents_shows_headings_as_written(client):
    article = make_article(body="## Oil & gas\n\ntext\n\n## What <em>comes</em> next\n\ntext")
    html = client.get(article.get_absolute_url()).text
    assert '<a href="#oil-gas">Oil &amp; gas</a>' in html
    assert '<a href="#what-comes-next">What comes next</a>' in html
    assert "&amp;amp;" not in html


def test_closed_comments_say_so(client):
    open_, closed = make_article(), make_article(allow_comments=False)
    assert "Comments are closed" not in client.get(open_.get_absolute_url()).text
    assert "Comments are closed" in client.get(closed.get_absolute_url()).text


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.SCHEDULED]
)
def test_unpublished_article_is_404_for_readers(client, status):
    article = make_article(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-story/").status_code == 404


def test_staff_with_change_permission_can_preview_draft_uncached(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview" in response.content
    assert "no-cache" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.text


def test_logged_in_user_without_change_permission_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x-long-password-1")
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(make_article(status="draft").get_absolute_url()).status_code == 404


def test_published_article_is_indexable_shared_and_revalidated_by_browsers(client):
    url = make_article().get_absolute_url()
    response = client.get(url)
    # Public: the page is the same for everyone; max-age=0: browsers ask again (ETag).
    assert {"public", "max-age=0"} <= set(response["Cache-Control"].split(", "))
    assert response["ETag"] and not response.cookies
    assert 'name="robots"' not in response.text


def test_old_slug_answers_301_to_the_current_address(client):
    article = make_article(slug="new-address")
    old_slug_record(article=article, slug="old-address")
    response = client.get("/articles/old-address/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-address/"


def test_old_slug_of_an_unpublished_article_is_404(client):
    article = make_article(slug="new-address", status=Article.Status.DRAFT)
    old_slug_record(article=article, slug="old-address")
    assert client.get("/articles/old-address/").status_code == 404


def test_an_article_now_using_an_old_slug_wins_over_the_redirect(client):
    moved = make_article(slug="new-address")
    old_slug_record(article=moved, slug="taken-again")
    current = make_article(slug="taken-again")
    response = client.get("/articles/taken-again/")
    assert response.status_code == 200 and response.context["article"] == current


def test_related_list_never_shows_drafts_or_the_article_itself(client):
    article = make_article(headline="Main story", tags=["Energy"])
    make_article(headline="Draft sibling", tags=["Energy"], status=Article.Status.DRAFT)
    RelatedLink.objects.create(
        article=article, target=make_article(headline="Draft pick", status="draft")
    )
    make_article(headline="Public sibling", tags=["Energy"])
    html = client.get(article.get_absolute_url()).text
    related = html[html.index("related-title") :]
    assert "Public sibling" in related
    assert "Draft sibling" not in related and "Draft pick" not in related
    assert "Main story" not in related


# Archives


def test_section_author_and_tag_pages_list_their_published_articles(client):
    section, author = make_section(name="World", slug="world"), make_author(slug="ana")
    make_article(headline="Filed in world", section=section, authors=[author], tags=["Oil"])
    make_article(headline="Draft in world", section=section, authors=[author], tags=["Oil"],
                 status=Article.Status.DRAFT)  # fmt: skip
    make_article(headline="Elsewhere", tags=["Gas"])
    pages = {
        "/sections/world/": "articles/section_detail.html",
        "/authors/ana/": "articles/author_detail.html",
        "/tags/oil/": "articles/tag_detail.html",
    }
    for url, template in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.templates[0].name == template
        assert "Filed in world" in response.text
        assert "Draft in world" not in response.text and "Elsewhere" not in response.text


@pytest.mark.parametrize("url", ["/sections/nope/", "/authors/nope/", "/tags/nope/"])
def test_unknown_archive_is_404(client, url):
    assert client.get(url).status_code == 404


def test_new_or_renamed_section_page_shows_at_once_though_the_navigation_is_remembered(client):
    section = make_section(name="World", slug="world")
    assert client.get("/sections/world/").status_code == 200
    make_section(name="Late news", slug="late-news")
    assert client.get("/sections/late-news/").status_code == 200
    section.name, section.slug = "Planet", "planet"
    section.save()
    assert client.get("/sections/world/").status_code == 404
    assert "<h1>Planet</h1>" in client.get("/sections/planet/").text


@pytest.mark.parametrize("url", ["/", "/sections/world/", "/search/?q=headline", "article"])
def test_cards_show_their_sections_new_name_at_once_though_it_comes_from_the_navigation(
    client, url
):
    section = make_section(name="World", slug="world")
    article = make_article(section=section, headline="A headline")
    url = article.get_absolute_url() if url == "article" else url
    assert 'class="kicker" href="/sections/world/">World</a>' in client.get(url).text
    section.name = "Planet"
    section.save()
    assert 'class="kicker" href="/sections/world/">Planet</a>' in client.get(url).text


def test_author_with_only_unpublished_articles_has_no_page(client):
    author = make_author(slug="new-hire")
    make_article(status=Article.Status.DRAFT, authors=[author])
    make_article(status=Article.Status.SCHEDULED, authors=[author])
    assert client.get("/authors/new-hire/").status_code == 404


def test_tag_used_only_by_drafts_has_no_page(client):
    make_article(tags=["Secret merger"], status=Article.Status.DRAFT)
    assert client.get("/tags/secret-merger/").status_code == 404


@pytest.mark.parametrize("archive", ["section", "author", "tag"])
def test_archive_pages_by_position_and_a_position_past_the_end_is_404(client, archive):
    section, author = make_section(slug="world"), make_author(slug="ana")
    for _ in range(PAGE_SIZE + 1):
        make_article(section=section, authors=[author], tags=["oil"])
    make_article()  # in no archive: never on these pages
    url = {"section": "/sections/world/", "author": "/authors/ana/", "tag": "/tags/oil/"}[archive]
    first = client.get(url)
    assert len(first.context["articles"]) == PAGE_SIZE
    older = first.context["page_obj"].older
    second = client.get(url, {"before": str(older)})
    assert len(second.context["articles"]) == 1
    last = Position.of(second.context["articles"][0], "published_at")
    assert client.get(url, {"before": str(last)}).status_code == 404


def test_archive_pages_link_their_feeds(client):
    make_article(section=make_section(slug="world"), tags=["Oil"])
    assert '<a href="/feeds/sections/world/rss/">RSS</a>' in client.get("/sections/world/").text
    assert 'href="/feeds/tags/oil/atom/"' in client.get("/tags/oil/").text


# Metadata on every page


@pytest.fixture
def every_page(full_article):
    return [
        "/",
        full_article.get_absolute_url(),
        "/sections/world/",
        "/authors/ana-silva/",
        "/tags/energy/",
        "/search/?q=talks",
    ]


def test_every_page_has_canonical_description_opengraph_and_twitter_tags(client, every_page):
    for url in every_page:
        html = client.get(url).text
        for tag in (
            '<link rel="canonical" href="http://testserver/',
            '<meta name="description" content="',
            '<meta property="og:title" content="',
            '<meta property="og:description" content="',
            '<meta property="og:url" content="http://testserver/',
            '<meta name="twitter:card" content="summary">',
            '<meta name="twitter:title" content="',
        ):
            assert tag in html, (url, tag)


def test_every_page_keeps_scripts_and_styles_out_of_the_html(client, every_page):
    """So a strict Content-Security-Policy can forbid inline scripts and styles."""
    for url in every_page:
        html = client.get(url).text
        assert "style=" not in html and "<style" not in html, url
        data_blocks = html.count('<script type="application/ld+json">')
        assert html.count("<script") == data_blocks + html.count('<script src="/static/'), url


def test_canonical_url_of_an_article_or_a_list_ignores_made_up_parameters(client):
    article = make_article(slug="story")
    html = client.get("/articles/story/", {"page": 7, "q": "casino"}).text
    assert '<link rel="canonical" href="http://testserver/articles/story/">' in html
    assert '<link rel="canonical" href="http://testserver/">' in client.get("/?q=casino").text
    html = client.get("/search/", {"q": article.headline, "page": 1, "ref": "x"}).text
    assert f'href="http://testserver/search/?q={article.headline.replace(" ", "+")}">' in html


def test_canonical_url_drops_tracking_parameters_but_keeps_the_position(client):
    for _ in range(PAGE_SIZE + 1):
        make_article()
    older = client.get("/").context["page_obj"].older
    html = client.get("/", {"before": str(older), "utm_source": "mail"}).text
    assert f'<link rel="canonical" href="http://testserver/?before={older}">' in html


def test_article_metadata_describes_the_article(client, full_article):
    html = client.get(full_article.get_absolute_url(), {"utm_medium": "social"}).text
    url = "http://testserver/articles/talks-resume/"
    for tag in (
        "<title>Talks resume | Newsroom</title>",
        '<meta name="description" content="Both sides meet again.">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        '<meta property="article:section" content="World">',
        '<meta property="article:tag" content="Energy">',
    ):
        assert tag in html, tag


def test_seo_title_and_description_override_headline_and_standfirst(client):
    article = make_article(seo_title="Short title", seo_description="Search summary.")
    html = client.get(article.get_absolute_url()).text
    assert "<title>Short title | Newsroom</title>" in html
    assert '<meta property="og:description" content="Search summary.">' in html


def test_article_json_ld_has_news_article_faq_page_and_breadcrumbs(client, full_article):
    data = json_ld(client.get(full_article.get_absolute_url()))
    news = data["NewsArticle"]
    assert news["headline"] == "Talks resume"
    assert news["datePublished"].startswith(full_article.published_at.strftime("%Y-%m-%dT%H:%M"))
    assert news["dateModified"].startswith(full_article.updated_at.strftime("%Y-%m-%dT%H:%M"))
    assert news["author"] == [
        {"@type": "Person", "name": "Ana Silva", "jobTitle": "Chief Editor",
         "url": "http://testserver/authors/ana-silva/"},
    ]  # fmt: skip
    assert news["articleSection"] == "World"
    assert sorted(news["keywords"]) == ["Diplomacy", "Energy"]
    assert data["FAQPage"]["mainEntity"] == [
        {"@type": "Question", "name": "Will sanctions be lifted?",
         "acceptedAnswer": {"@type": "Answer", "text": "Not yet."}},
    ]  # fmt: skip
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "World", "http://testserver/sections/world/"),
        (3, "Talks resume", "http://testserver/articles/talks-resume/"),
    ]


def test_article_json_ld_lists_corrections_oldest_first(client):
    article = make_article()
    article.corrections.create(
        note="An earlier version misstated the date.", created_at=article.published_at
    )
    article.corrections.create(kind="update", note="Talks resumed on Monday.")
    news = json_ld(client.get(article.get_absolute_url()))["NewsArticle"]
    assert [entry["text"] for entry in news["correction"]] == [
        "An earlier version misstated the date.",
        "Update: Talks resumed on Monday.",
    ]
    assert {entry["@type"] for entry in news["correction"]} == {"CorrectionComment"}


def test_article_without_corrections_has_no_correction_entry(client, full_article):
    full_article.corrections.all().delete()
    assert "correction" not in json_ld(client.get(full_article.get_absolute_url()))["NewsArticle"]


def test_json_ld_cannot_be_broken_out_of_by_article_text(client):
    headline = "</script><script>alert(1)</script> & more"
    article = make_article(headline=headline)
    response = client.get(article.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    assert json_ld(response)["NewsArticle"]["headline"] == headline


def test_archive_pages_have_breadcrumbs(client):
    make_article(section=make_section(name="World", slug="world"))
    response = client.get("/sections/world/")
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in response.text
    assert [c["name"] for c in json_ld(response)["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "World",
    ]


# Pictures


@pytest.fixture
def pictured_article():
    """An article with a lead image wide and tall enough for every crop at 1200 px, a library
    picture in its body, and a publisher with a logo."""
    lead = make_image(
        upload_file=upload(width=1280, height=1280), alt_text="Boats in the harbour at dawn",
        caption="The harbour at dawn.", credit="Ana Silva / Newsroom",
    )  # fmt: skip
    inline = make_image(alt_text="A map of the harbour")
    logo = make_image(upload_file=upload(width=400, height=400), alt_text="Newsroom logo")
    publisher_logo_set(logo=logo)
    return make_article(
        headline="Harbour reopens", slug="harbour-reopens", lead_image=lead,
        body=f"First paragraph.\n\n![[image:{inline.pk}|4:3|The new quay]]\n\nLast paragraph.",
    )  # fmt: skip


def between(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


def test_article_page_shows_the_lead_image_at_once_with_its_caption_and_credit(
    client, pictured_article
):
    html = client.get(pictured_article.get_absolute_url()).text
    lead = between(html, '<div class="article-lead">', "</figure>")
    img = re.search(r"<img [^>]*>", lead).group(0)
    assert 'fetchpriority="high"' in img
    assert "loading=" not in img
    assert 'width="1280" height="720"' in img
    assert 'alt="Boats in the harbour at dawn"' in img
    assert 'sizes="(min-width: 56rem) 54rem, calc(100vw - 2rem)"' in img
    assert re.search(r'srcset="[^"]*-16x9-320\.\w+\.jpg 320w, [^"]*1280w"', img)
    for kind in ("avif", "webp"):
        assert f'<source type="image/{kind}" srcset=' in lead
    assert "The harbour at dawn." in lead
    assert '<small class="figure-credit">Ana Silva / Newsroom</small>' in lead
    # Above the body, which shows its own picture later, loading lazily.
    assert html.index('class="article-lead"') < html.index('class="article-body"')
    body = html[html.index('<div class="article-body">') :]
    body_img = re.search(r"<img [^>]*>", body).group(0)
    assert 'loading="lazy"' in body_img and "fetchpriority" not in body_img
    assert 'alt="A map of the harbour"' in body_img
    assert "-4x3-" in body_img
    assert "The new quay" in body


def test_article_without_a_lead_image_shows_none_and_a_small_social_card(client):
    html = client.get(make_article(slug="plain").get_absolute_url()).text
    assert "article-lead" not in html
    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_article_page_gives_social_sites_a_large_card_with_the_lead_image(client, pictured_article):
    html = client.get(pictured_article.get_absolute_url()).text
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert re.fullmatch(r"http://testserver/media/images/renditions/\d+/[\w-]+-16x9-1280\.\w+\.jpg",
                        image)  # fmt: skip
    for tag in (
        '<meta property="og:image:type" content="image/jpeg">',
        '<meta property="og:image:width" content="1280">',
        '<meta property="og:image:height" content="720">',
        '<meta property="og:image:alt" content="Boats in the harbour at dawn">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:image" content="{image}">',
        '<meta name="twitter:image:alt" content="Boats in the harbour at dawn">',
    ):
        assert tag in html, tag
    assert client.get(image.removeprefix("http://testserver")).status_code == 200


def test_news_article_json_ld_has_three_crops_of_the_lead_image_and_the_publisher(
    client, pictured_article
):
    news = json_ld(client.get(pictured_article.get_absolute_url()))["NewsArticle"]
    shapes = [(picture["width"], picture["height"]) for picture in news["image"]]
    assert shapes == [(1280, 720), (1280, 960), (1280, 1280)]
    for picture in news["image"]:
        assert picture["@type"] == "ImageObject"
        assert picture["url"].startswith("http://testserver/media/images/renditions/")
        assert client.get(picture["url"].removeprefix("http://testserver")).status_code == 200
    publisher = news["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert (publisher["name"], publisher["url"]) == ("Newsroom", "http://testserver/")
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith("http://testserver/media/images/renditions/")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (320, 320)


def test_publisher_without_a_logo_is_still_named(client):
    news = json_ld(client.get(make_article().get_absolute_url()))["NewsArticle"]
    assert news["publisher"] == {
        "@type": "NewsMediaOrganization", "@id": "http://testserver/#organization",
        "name": "Newsroom", "url": "http://testserver/",
    }  # fmt: skip
    assert "image" not in news


def test_home_describes_the_site_its_search_and_its_publisher(client, pictured_article):
    data = json_ld(client.get("/"))
    website = data["WebSite"]
    assert website["url"] == "http://testserver/"
    assert website["potentialAction"] == {
        "@type": "SearchAction",
        "target": {"@type": "EntryPoint",
                   "urlTemplate": "http://testserver/search/?q={search_term_string}"},
        "query-input": "required name=search_term_string",
    }  # fmt: skip
    organization = data["NewsMediaOrganization"]
    assert organization["@id"] == website["publisher"]["@id"]
    assert organization["name"] == "Newsroom"
    assert organization["logo"]["url"].startswith("http://testserver/media/images/renditions/")
    section_page = client.get("/sections/" + make_section().slug + "/")
    assert "NewsMediaOrganization" not in json_ld(section_page)


def test_cards_show_lead_images_lazily_but_the_top_story_at_once(client):
    picture = make_image(alt_text="A quay")
    make_article(headline="No picture")
    make_article(headline="Older", lead_image=picture)
    make_article(headline="Newest", lead_image=picture)
    html = client.get("/").text
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', html, re.S)
    assert [("Newest" in c, 'fetchpriority="high"' in c, 'loading="lazy"' in c) for c in cards
            if "<img" in c] == [(True, True, False), (False, False, True)]  # fmt: skip
    assert "<img" not in next(c for c in cards if "No picture" in c)


def test_a_new_publisher_logo_reaches_readers_of_a_cached_home_page(client, pictured_article):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    logo = make_image(upload_file=upload(width=300, height=300), alt_text="New logo")
    publisher_logo_set(logo=logo)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    logo_url = json_ld(response)["NewsMediaOrganization"]["logo"]["url"]
    assert f"/media/images/renditions/{logo.pk}/" in logo_url


def test_a_new_focal_point_reaches_readers_of_a_cached_page(client, pictured_article):
    url = pictured_article.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    lead = pictured_article.lead_image
    lead.focal_x, lead.focal_y = 0.1, 0.1
    image_save(image=lead)
    again = client.get(url)
    assert again["X-Page-Cache"] == "miss"
    old = re.search(r'og:image" content="([^"]+)"', first.text).group(1)
    new = re.search(r'og:image" content="([^"]+)"', again.text).group(1)
    assert old != new


# Query budgets: fixed however many tags, authors, FAQ items, corrections, related articles and
# comments there are. "Uncached" is a page rendered afresh (for staff, for a reader with their
# own comments, or once the cached copy is out of date) while the fragments pages share (section
# navigation, related list, article counts) are remembered; an anonymous reader's cached page
# takes none.

# One query of these is the renditions of every picture on the page (the lead image, the body's
# pictures, the cards' and the publisher's logo), whatever their number.
QUERIES = {
    "home": 3,
    "article": 7,
    "section": 3,  # the section is the navigation's, which is remembered
    "author": 4,
    "tag": 4,
    "search": 5,  # one or two to pick the newest matches, then as a listing
}


def build_site(n):
    """An article with n of everything, n pictures in its body, and n related articles that
    have n tags and authors; every article has a lead image, and the publisher a logo."""
    section = make_section(slug="world")
    authors = [make_author(slug=f"writer-{i}") for i in range(n)]
    tags = [f"tag {i}" for i in range(n)]
    pictures = [make_image(upload_file=upload(width=320, height=240)) for _ in range(n)]
    publisher_logo_set(logo=pictures[0])
    body = "\n\n".join(f"Paragraph.\n\n![[image:{picture.pk}]]" for picture in pictures)
    article = make_article(slug="main", section=section, authors=authors, tags=tags,
                           body=body, lead_image=pictures[0])  # fmt: skip
    for i in range(n):
        article.faq_items.create(question=f"Question {i}?", answer="Answer.")
        article.corrections.create(note=f"Correction {i}.")
        pick = make_article(section=section, authors=authors, tags=tags, lead_image=pictures[i])
        RelatedLink.objects.create(article=article, target=pick, order=i)
        make_article(section=section, authors=authors, tags=tags, lead_image=pictures[i])
        make_comment(article, parent=make_comment(article))
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": "/sections/world/",
        "author": "/authors/writer-0/",
        "tag": "/tags/tag-0/",
        "search": "/search/?q=synthetic",
    }


@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("page", list(QUERIES))
def test_page_query_count_does_not_grow_with_content(client, django_assert_num_queries, n, page):
    url = build_site(n)[page]
    client.get(url)  # fills the content-type cache and the shared fragments
    client.cookies[COOKIE_NAME] = "expired"  # a reader with comments of their own: no shared copy
    with django_assert_num_queries(QUERIES[page]):
        assert client.get(url).status_code == 200


def test_home_without_pictures_or_a_logo_asks_nothing_about_pictures(
    client, django_assert_num_queries
):
    make_article(authors=[make_author()])
    client.get("/")  # remembers the frame, and that the publisher has no logo
    client.cookies[COOKIE_NAME] = "expired"
    with django_assert_num_queries(2):  # the cards, their bylines
        assert client.get("/").status_code == 200


def test_article_without_pictures_or_a_logo_asks_nothing_about_pictures(
    client, django_assert_num_queries
):
    url = make_article(authors=[make_author()]).get_absolute_url()
    client.get(url)  # remembers the frame, the related list, and that there is no logo
    client.cookies[COOKIE_NAME] = "expired"
    # The article with its related cards, bylines, tags, FAQ, corrections; no comments to
    # read (its card counts none) and none of the reader's own: nothing asked of them.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("name", "slug"), [("Économie", "économie"), ("!!!", "tag")])
def test_tag_in_any_script_or_without_letters_has_a_working_page_and_feed(client, name, slug):
    article = make_article(tags=[name])
    tag = article.tags.get()
    assert tag.slug == slug
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    tag_url = reverse("articles:tag", kwargs={"slug": slug})
    assert f'href="{tag_url}"' in page.text
    assert client.get(tag_url).context["tag"] == tag
    assert client.get(reverse("feeds:tag-atom", kwargs={"slug": slug})).status_code == 200


# The first page after a change also works out again what the others remember and the change
# touched: here a new section, which only the navigation shows (counts and related lists keep).
QUERIES_AFTER_A_CHANGE = {
    "home": 4,
    "article": 8,
    "section": 4,
    "author": 5,
    "tag": 5,
    "search": 6,
}


@pytest.mark.parametrize("page", list(QUERIES))
def test_first_page_after_a_change_stays_within_its_budget(client, django_assert_num_queries, page):
    url = build_site(3)[page]
    client.get(url)  # fills the content-type cache
    Section.objects.create(name="Late news", slug="late-news")
    client.cookies[COOKIE_NAME] = "expired"
    with django_assert_num_queries(QUERIES_AFTER_A_CHANGE[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", [page for page in QUERIES if page != "search"])
def test_cached_page_takes_no_query_for_an_anonymous_reader(
    client, django_assert_num_queries, page
):
    url = build_site(3)[page]
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


# Trust signals: the kind of article, paid content, dateline, how it was reported, last review.


@pytest.mark.parametrize(
    ("kind", "label"),
    [("news", "News"), ("analysis", "Analysis"), ("opinion", "Opinion"), ("review", "Review"),
     ("explainer", "Explainer")],
)  # fmt: skip
def test_article_page_labels_its_kind(client, kind, label):
    html = client.get(make_article(kind=kind).get_absolute_url()).text
    assert f'<p class="article-kind article-kind-{kind}">{label}</p>' in html
    assert "Paid content" not in html


def test_cards_label_every_kind_but_plain_news(client):
    make_article(headline="Plain", kind="news")
    make_article(headline="Argued", kind="opinion")
    html = client.get("/").text
    cards = dict(re.findall(r'<article class="card[^"]*">(.*?)<h2[^>]*><a[^>]*>(\w+)', html, re.S))
    by_headline = {headline: card for card, headline in cards.items()}
    assert '<p class="article-kind article-kind-opinion">Opinion</p>' in by_headline["Argued"]
    assert "article-kind" not in by_headline["Plain"]


def test_sponsored_content_is_labelled_paid_on_its_page_and_in_listings(client):
    section = make_section(slug="world")
    article = make_article(kind="sponsored", headline="Brought to you", section=section)
    label = (
        '<p class="article-kind article-kind-sponsored">'
        "<strong>Sponsored</strong> · Paid content</p>"
    )
    page = client.get(article.get_absolute_url()).text
    assert label in page
    assert "Paid content: an advertiser paid for this article." in page
    for url in ("/", "/sections/world/", "/search/?q=brought"):
        assert label in client.get(url).text, url


def test_dateline_and_how_we_reported_this_are_shown_with_the_article(client):
    article = make_article(
        dateline="KYIV", reporting_notes="We spoke to six officials.\nTwo asked not to be named."
    )
    html = client.get(article.get_absolute_url()).text
    assert html.index('<p class="article-dateline">KYIV</p>') < html.index('class="article-body"')
    assert '<h2 id="reporting-notes-title">How we reported this</h2>' in html
    assert "We spoke to six officials.<br>Two asked not to be named." in html


def test_without_them_there_is_no_dateline_or_reporting_box(client):
    html = client.get(make_article().get_absolute_url()).text
    assert "article-dateline" not in html and "reporting-notes" not in html
    assert "Last reviewed" not in html


def test_last_review_is_shown_with_its_date(client):
    article = make_article(last_reviewed=timezone.localdate().replace(year=2026, month=3, day=4))
    html = client.get(article.get_absolute_url()).text
    assert 'Last reviewed on <time datetime="2026-03-04">4 March 2026</time>' in html


def test_article_authors_are_named_for_social_sites(client):
    article = make_article(authors=[make_author(slug="ana-silva")])
    html = client.get(article.get_absolute_url()).text
    assert '<meta property="article:author" content="http://testserver/authors/ana-silva/">' in html
