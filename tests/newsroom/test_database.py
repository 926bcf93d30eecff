"""The database connection on PostgreSQL: parameters bound by the server, and the statements a
connection runs again and again (every page's queries) prepared once, so that PostgreSQL
neither parses nor plans them again (docs/benchmarks.md has what that saves)."""

import pytest
from django.db import connection

from articles.models import Article
from tests.factories import make_article
from tests.newsroom.test_settings import production_settings

pytestmark = pytest.mark.django_db

RUNS = 6  # one more than newsroom.settings.PREPARE_AFTER_RUNS


def prepared(*columns):
    """The statements prepared on this connection that filter articles on each of `columns`:
    a query of a shape no other test runs, so that what earlier tests prepared on the same
    connection does not count."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "articles_article"%'],
        )
        statements = [row[0] for row in cursor.fetchall()]
    return [
        statement
        for statement in statements
        if all(f'"articles_article"."{column}" = $' in statement for column in columns)
    ]


@pytest.mark.postgres
def test_a_listing_read_again_and_again_is_prepared_once_on_the_connection():
    make_article(headline="Talks resume", standfirst="In Geneva.")
    for _ in range(RUNS):
        listing = Article.objects.published().for_listing()
        page = list(listing.filter(headline="Talks resume", standfirst="In Geneva.")[:12])
    assert [article.headline for article in page] == ["Talks resume"]
    assert len(prepared("headline", "standfirst")) == 1


@pytest.mark.postgres
def test_a_listing_read_once_is_not_prepared():
    list(Article.objects.published().for_listing().filter(slug="once", dateline="Lima")[:3])
    assert prepared("slug", "dateline") == []


def database_options(**env):
    url = "postgres://newsroom@db.example.com:5432/newsroom"
    return production_settings("DATABASES", DATABASE_URL=url, **env)["DATABASES"]["default"][
        "OPTIONS"
    ]


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    options = database_options()
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_drops_them():
    options = database_options(DJANGO_DB_PREPARED_STATEMENTS="0")
    assert options["server_side_binding"] is True
    assert "prepare_threshold" not in options  # Django's default: none prepared
