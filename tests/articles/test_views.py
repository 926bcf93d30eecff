import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_only(client):
    make_article(headline="Visible story")
    make_article(headline="Hidden draft", status=Article.Status.DRAFT)
    make_article(headline="Future story", status=Article.Status.SCHEDULED)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert b"Visible story" in response.content
    assert b"Hidden draft" not in response.content
    assert b"Future story" not in response.content


def test_article_page_shows_the_article(client):
    article = make_article(
        body="Pro Tip: Read twice.", authors=[make_author(name="Ana", title="Chief Editor")]
    )
    article.faq_items.create(question="Why?", answer="Because.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["article"] == article
    assert b'aria-label="Pro Tip"' in response.content
    assert b"<summary>Why?</summary>" in response.content
    assert b"Chief Editor" in response.content


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.SCHEDULED]
)
def test_unpublished_article_is_404_for_readers(client, status):
    article = make_article(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_with_change_permission_can_preview_draft_uncached(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview" in response.content
    assert "no-cache" in response["Cache-Control"]


def test_section_and_author_pages_list_their_articles_and_404_when_unknown(client):
    section, author = make_section(name="World", slug="world"), make_author(slug="ana")
    make_article(headline="Filed in world", section=section, authors=[author])
    make_article(headline="Elsewhere")
    for url in (section.get_absolute_url(), author.get_absolute_url()):
        response = client.get(url)
        assert b"Filed in world" in response.content and b"Elsewhere" not in response.content
    assert client.get("/sections/nope/").status_code == 404
    assert client.get("/authors/nope/").status_code == 404
