from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import SEARCH_MAX_LENGTH
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_search_finds_published_articles_by_headline_standfirst_or_body():
    by_headline = make_article(headline="Pipeline talks", body="Nothing.")
    by_dek = make_article(standfirst="A pipeline deal is near.", body="Nothing.")
    by_body = make_article(body="The pipeline was finished in May.")
    make_article(headline="Pipeline draft", status=Article.Status.DRAFT)
    make_article(headline="Unrelated")
    found = set(Article.objects.published().search("pipeline"))
    assert found == {by_headline, by_dek, by_body}


def test_search_needs_every_word():
    both = make_article(headline="Oil and gas")
    make_article(headline="Oil only")
    assert list(Article.objects.search("oil gas")) == [both]


@pytest.mark.parametrize("query", ["", "   ", "\x00", "\x00\x00  "])
def test_empty_query_finds_nothing(query):
    make_article(headline="Anything")
    assert list(Article.objects.search(query)) == []


@pytest.mark.postgres
def test_postgres_ranks_headline_above_standfirst_above_body():
    in_body = make_article(headline="Talks", body="Sanctions were discussed.")
    in_dek = make_article(headline="Talks", standfirst="Sanctions eased.")
    in_headline = make_article(headline="Sanctions eased")
    assert list(Article.objects.search("sanctions")) == [in_headline, in_dek, in_body]


@pytest.mark.postgres
def test_postgres_understands_websearch_syntax_and_word_forms():
    oil = make_article(headline="Oil exports rising")
    gas = make_article(headline="Gas exports rising")
    assert list(Article.objects.search('"oil exports"')) == [oil]
    assert list(Article.objects.search("exports -gas")) == [oil]
    assert set(Article.objects.search("export OR rise")) == {oil, gas}


@pytest.mark.postgres
def test_postgres_search_finds_matches_through_the_gin_index():
    # Older than the recent window, so the search also asks the whole archive.
    article = make_article(headline="Oil")
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=400))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as queries:
        assert list(Article.objects.search("oil")) == [article]
    plans = []
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    # On a table this small the planner may take the date index for the recent window; the
    # whole-archive search must go through the text index.
    assert any("article_search_idx" in plan for plan in plans), plans
    assert not any("Seq Scan on articles_article" in plan for plan in plans), plans


# The page


def test_search_page_lists_matches_and_says_how_many(client):
    make_article(headline="Pipeline talks")
    make_article(headline="Pipeline draft", status=Article.Status.DRAFT)
    response = client.get("/search/", {"q": "pipeline"})
    assert response.status_code == 200
    assert response.templates[0].name == "articles/search.html"
    assert "Pipeline talks" in response.text and "Pipeline draft" not in response.text
    assert "1 article found." in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q" value=""' in response.text
    assert "found" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "oil " * 500,
        '"unbalanced',
        "-",
        "OR OR AND",
        "!!! ((( )))",
        "the",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "caf\u00e9 \U0001f600",
        "a\x00b",
    ],
)
def test_odd_queries_give_a_normal_page(client, query):
    make_article(headline="Oil")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert len(response.context["query"]) <= SEARCH_MAX_LENGTH


def test_search_results_paginate_and_keep_the_query(client):
    for _ in range(13):
        make_article(headline="Pipeline news")
    response = client.get("/search/", {"q": "pipeline"})
    assert 'href="?q=pipeline&amp;page=2"' in response.text
    assert len(client.get("/search/", {"q": "pipeline", "page": 2}).context["articles"]) == 1
    assert client.get("/search/", {"q": "pipeline", "page": 99}).status_code == 200


def test_search_keeps_the_newest_matches_when_there_are_very_many(client, monkeypatch):
    monkeypatch.setattr("articles.search.SEARCH_CANDIDATES", 3)
    monkeypatch.setattr("articles.views.SEARCH_CANDIDATES", 3)
    oldest, *newer = [make_article(headline=f"Pipeline story {n}") for n in range(4)]
    assert set(Article.objects.published().search("pipeline")) == set(newer)
    response = client.get("/search/", {"q": "pipeline"})
    assert "The 3 newest of many matching articles." in response.text
    assert "Pipeline story 0" not in response.text


def test_search_looks_past_recent_articles_when_they_have_too_few_matches(monkeypatch):
    monkeypatch.setattr("articles.search.SEARCH_CANDIDATES", 2)
    old = make_article(headline="Pipeline history")
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=400))
    recent = make_article(headline="Pipeline today")
    assert set(Article.objects.published().search("pipeline")) == {old, recent}
