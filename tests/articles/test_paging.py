from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.paging import PAGE_NUMBERS_KEPT, Position
from articles.views import PAGE_SIZE
from comments.cookie import COOKIE_NAME
from tests.factories import make_article, make_author, make_section

# Positions


def test_position_is_written_in_utc_and_read_back():
    position = Position(datetime(2026, 1, 5, 10, 15, 0, 123456, tzinfo=UTC), 4242)
    assert str(position) == "20260105T101500.123456Z-4242"
    assert Position.parse(str(position)) == position


def test_position_without_microseconds_is_written_without_them():
    position = Position(datetime(2026, 1, 5, 10, 15, tzinfo=UTC), 7)
    assert str(position) == "20260105T101500Z-7"
    assert Position.parse("20260105T101500Z-7") == position


@pytest.mark.parametrize(
    "text",
    [
        "",
        "4242",
        "20260105T101500Z",
        "20260105T101500Z-0",
        "20260105T101500Z--1",
        "20260105T101500.1Z-4",
        "20261399T101500Z-4",
        "20260105T256100Z-4",
        "20260105T101500Z-99999999999999999999",
        "20260105T101500Z-4 ",
        "2026-01-05T10:15:00Z-4",
        "٢٠٢٦٠١٠٥T101500Z-4",
    ],
)
def test_anything_but_a_position_is_not_read_as_one(text):
    assert Position.parse(text) is None


# Listings by position

db = pytest.mark.django_db


def dated_articles(n, **fields):
    """n articles an hour apart, the newest last."""
    start = timezone.now() - timedelta(hours=n + 1)
    articles = []
    for i in range(n):
        article = make_article(**fields)
        Article.objects.filter(pk=article.pk).update(published_at=start + timedelta(hours=i))
        articles.append(Article.objects.get(pk=article.pk))
    return articles


def walk(client, url):
    """Every article of a listing, following the Older links from the first page."""
    seen, response = [], client.get(url)
    while True:
        assert response.status_code == 200
        seen += response.context["articles"]
        older = response.context["page_obj"].older
        if older is None:
            return seen
        assert f'href="?before={older}" rel="next"' in response.text
        response = client.get(url, {"before": str(older)})


@db
def test_following_older_links_shows_every_article_once_newest_first(client):
    articles = dated_articles(2 * PAGE_SIZE + 3)
    assert walk(client, "/") == articles[::-1]


@db
def test_articles_published_at_the_same_moment_are_split_by_id_none_lost(client):
    articles = [make_article() for _ in range(PAGE_SIZE + 5)]
    Article.objects.update(published_at=timezone.now() - timedelta(hours=1))
    assert walk(client, "/") == sorted(articles, key=lambda article: -article.pk)


@db
def test_newer_link_of_a_deep_page_leads_back_page_by_page(client):
    articles = dated_articles(3 * PAGE_SIZE)
    first = client.get("/")
    second = client.get("/", {"before": str(first.context["page_obj"].older)})
    third = client.get("/", {"before": str(second.context["page_obj"].older)})
    newer = third.context["page_obj"].newer
    assert f'href="?after={newer}" rel="prev">← Newer' in third.text
    back = client.get("/", {"after": str(newer)})
    assert list(back.context["articles"]) == list(second.context["articles"])
    assert list(third.context["articles"]) == articles[:PAGE_SIZE][::-1]


@db
def test_newer_than_the_second_page_is_the_first_page_at_its_own_address(client):
    dated_articles(PAGE_SIZE + 2)
    first = client.get("/")
    second = client.get("/", {"before": str(first.context["page_obj"].older)})
    response = client.get("/", {"after": str(second.context["page_obj"].newer)})
    assert response.status_code == 302
    assert response["Location"] == "/"


@db
def test_first_page_has_no_newer_link_and_the_last_no_older_link(client):
    dated_articles(PAGE_SIZE + 1)
    first = client.get("/")
    assert 'rel="prev"' not in first.text and 'rel="next"' in first.text
    last = client.get("/", {"before": str(first.context["page_obj"].older)})
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text


@db
def test_a_listing_of_one_page_has_no_page_links(client):
    dated_articles(3)
    assert '<nav class="pagination"' not in client.get("/").text


@db
def test_position_of_a_deleted_article_still_shows_the_articles_older_than_it(client):
    articles = dated_articles(PAGE_SIZE + 3)
    boundary = client.get("/").context["page_obj"].older
    Article.objects.filter(pk=boundary.pk).delete()
    response = client.get("/", {"before": str(boundary)})
    assert list(response.context["articles"]) == articles[:3][::-1]


@db
def test_position_of_an_article_unpublished_since_still_works(client):
    articles = dated_articles(PAGE_SIZE + 3)
    boundary = client.get("/").context["page_obj"].older
    Article.objects.filter(pk=boundary.pk).update(status=Article.Status.DRAFT)
    response = client.get("/", {"before": str(boundary)})
    assert list(response.context["articles"]) == articles[:3][::-1]


@db
@pytest.mark.parametrize(
    "query",
    [
        {"before": "nonsense"},
        {"before": ""},
        {"after": "20261399T101500Z-4"},
        {"before": "20260105T101500Z-4", "after": "20260105T101500Z-4"},
        {"before": "20260105T101500Z-" + "9" * 30},
    ],
)
@pytest.mark.parametrize("url", ["/", "/sections/world/", "/corrections/"])
def test_malformed_position_is_404_not_an_error(client, query, url):
    make_article(section=make_section(slug="world"))
    assert client.get(url, query).status_code == 404


@db
def test_position_older_than_every_article_is_404(client):
    dated_articles(2)
    assert client.get("/", {"before": "19990101T000000Z-1"}).status_code == 404


@db
def test_position_in_the_future_shows_the_newest_articles(client):
    articles = dated_articles(2)
    response = client.get("/", {"before": "29990101T000000Z-1"})
    assert list(response.context["articles"]) == articles[::-1]


# Old page-number links


@db
def test_old_page_number_redirects_to_the_same_articles_by_position(client):
    articles = dated_articles(3 * PAGE_SIZE)
    response = client.get("/", {"page": 3})
    assert response.status_code == 302
    boundary = Position.of(articles[PAGE_SIZE], "published_at")
    assert response["Location"] == f"/?before={boundary}"
    page = client.get(response["Location"])
    assert list(page.context["articles"]) == articles[:PAGE_SIZE][::-1]


@db
def test_page_one_redirects_to_the_listing_itself(client):
    dated_articles(2, section=make_section(slug="world"))
    response = client.get("/sections/world/", {"page": 1})
    assert (response.status_code, response["Location"]) == (302, "/sections/world/")


@db
def test_last_page_redirects_to_the_oldest_articles(client):
    articles = dated_articles(PAGE_SIZE + 5)
    response = client.get("/", {"page": "last"}, follow=True)
    assert list(response.context["articles"]) == articles[:PAGE_SIZE][::-1]
    assert 'rel="next"' not in response.text


@db
@pytest.mark.parametrize("page", [PAGE_NUMBERS_KEPT + 1, 4166, 0, -1, "abc", "1.5"])
def test_page_numbers_beyond_the_first_few_or_not_numbers_are_404(client, page):
    dated_articles(2)
    assert client.get("/", {"page": page}).status_code == 404


@db
def test_page_number_past_the_end_is_404(client):
    dated_articles(PAGE_SIZE)
    assert client.get("/", {"page": 2}).status_code == 404


# Cost


@db
@pytest.mark.parametrize("url", ["/", "/sections/world/", "/authors/writer-a/", "/tags/oil/"])
def test_deep_page_takes_the_queries_of_the_first_and_no_offset(client, url):
    section, author = make_section(slug="world"), make_author(slug="writer-a")
    dated_articles(3 * PAGE_SIZE, section=section, authors=[author], tags=["oil"])
    client.cookies[COOKIE_NAME] = "expired"  # made afresh: a reader with comments of their own
    first = client.get(url)  # fills the content-type cache and the shared fragments
    second = client.get(url, {"before": str(first.context["page_obj"].older)})
    deep = {"before": str(second.context["page_obj"].older)}
    with CaptureQueriesContext(connection) as first_page:
        client.get(url)
    with CaptureQueriesContext(connection) as deep_page:
        assert client.get(url, deep).status_code == 200
    assert len(deep_page) == len(first_page)
    assert not any("OFFSET" in query["sql"] for query in deep_page.captured_queries)


@db
def test_pages_by_position_are_cached_each_at_its_own_address(client, django_assert_num_queries):
    dated_articles(PAGE_SIZE + 1)
    first = client.get("/")
    older = {"before": str(first.context["page_obj"].older)}
    second = client.get("/", older)
    with django_assert_num_queries(0):
        assert client.get("/", older).content == second.content
        assert client.get("/").content == first.content
    assert first.content != second.content
