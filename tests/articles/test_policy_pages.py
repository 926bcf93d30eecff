"""The publisher's policy pages: their own pages, the footer that links them on every page, and
how a change reaches pages already cached."""

import re

import pytest
from django.urls import reverse

from articles.models import PolicyPage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def footer(response):
    return re.search(r'<footer class="site-footer">.*?</footer>', response.text, re.S).group(0)


def test_policy_page_shows_its_text_with_its_title_and_date(client):
    page = PolicyPage.objects.create(
        kind=PolicyPage.Kind.OWNERSHIP, body="We are owned by **our readers**.\n\n## Funding"
    )
    response = client.get("/about/ownership-and-funding/")
    assert response.status_code == 200
    assert response.context["page"] == page
    assert "<title>Ownership and funding | Newsroom</title>" in response.text
    assert "<h1>Ownership and funding</h1>" in response.text
    assert "<strong>our readers</strong>" in response.text
    assert "Last updated <time datetime=" in response.text


def test_a_policy_page_the_owner_titled_shows_that_title(client):
    PolicyPage.objects.create(kind=PolicyPage.Kind.MASTHEAD, title="Who we are", body="Us.")
    response = client.get("/about/masthead/")
    assert "<h1>Who we are</h1>" in response.text
    assert '<a href="/about/masthead/">Who we are</a>' in footer(client.get("/"))


@pytest.mark.parametrize("kind", ["ethics-policy", "privacy", "masthead"])
def test_a_policy_page_not_written_is_not_found(client, kind):
    PolicyPage.objects.create(kind=PolicyPage.Kind.CORRECTIONS, body="We correct.")
    assert client.get(f"/about/{kind}/").status_code == 404


def test_footer_links_the_policy_pages_there_are_and_the_corrections(client):
    PolicyPage.objects.create(kind=PolicyPage.Kind.CORRECTIONS, body="We correct.")
    PolicyPage.objects.create(kind=PolicyPage.Kind.MASTHEAD, body="Us.")
    make_section(slug="world")
    for url in ("/", "/sections/world/", make_article().get_absolute_url(), "/search/"):
        links = re.findall(r'href="(/about/[^"]+|/corrections/)"', footer(client.get(url)))
        assert links == ["/about/masthead/", "/about/corrections-policy/", "/corrections/"], url


def test_footer_without_policy_pages_still_links_the_corrections(client):
    html = footer(client.get("/"))
    assert "/about/" not in html
    assert '<a href="/corrections/">Corrections</a>' in html


def test_a_new_policy_page_reaches_readers_of_cached_pages(client):
    article = make_article()
    for url in ("/", article.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="We check.")
    for url in ("/", article.get_absolute_url()):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert '<a href="/about/ethics-policy/">Ethics policy</a>' in footer(response)


def test_an_edited_policy_page_reaches_readers_of_its_cached_page(client):
    page = PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="First words.")
    client.get("/about/ethics-policy/")
    assert client.get("/about/ethics-policy/")["X-Page-Cache"] == "hit"
    page.body = "Second words."
    page.save()
    response = client.get("/about/ethics-policy/")
    assert response["X-Page-Cache"] == "miss"
    assert "Second words." in response.text


def test_a_deleted_policy_page_leaves_the_footer(client):
    page = PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="We check.")
    assert "/about/ethics-policy/" in footer(client.get("/"))
    page.delete()
    assert "/about/ethics-policy/" not in footer(client.get("/"))
    assert client.get("/about/ethics-policy/").status_code == 404


def test_superuser_writes_a_policy_page_in_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:articles_policypage_add"),
        {"kind": "ethics-policy", "title": "", "body": "We check **everything**."},
    )
    assert response.status_code == 302
    page = PolicyPage.objects.get()
    assert page.body_html == "<p>We check <strong>everything</strong>.</p>"


def test_editors_read_but_do_not_change_policy_pages(desk_editor_client):
    page = PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="We check.")
    change = reverse("admin:articles_policypage_change", args=[page.pk])
    assert desk_editor_client.get(change).status_code == 200
    desk_editor_client.post(change, {"kind": "ethics-policy", "body": "Changed."})
    page.refresh_from_db()
    assert page.body == "We check."
    assert desk_editor_client.get(reverse("admin:articles_policypage_add")).status_code == 403


def test_writers_cannot_see_policy_pages_in_the_admin(writer_client):
    assert writer_client.get(reverse("admin:articles_policypage_changelist")).status_code == 403
