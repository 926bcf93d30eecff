"""The indexes reader listings need (bench/explain_pages.py checks their plans at scale)."""

import pytest
from django.db import connection

from articles.models import Article, Section
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LISTING_INDEXES = {
    "article_public_latest_idx",
    "article_section_latest_idx",
    "article_status_published_idx",
}


def test_listing_indexes_exist():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    assert set(constraints) >= LISTING_INDEXES


@pytest.mark.postgres
def test_postgres_search_index_exists():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    assert "article_search_idx" in constraints


@pytest.mark.postgres
@pytest.mark.parametrize("listing", ["latest", "section"])
def test_postgres_reads_a_page_of_public_articles_newest_first_from_an_index(listing):
    section = Section.objects.create(name="World", slug="world")
    make_article(section=section)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    articles = Article.objects.published().latest_first()
    if listing == "section":
        articles = articles.filter(section=section)
    plan = articles[:12].explain()
    assert f"article_{'public' if listing == 'latest' else 'section'}_latest_idx" in plan
