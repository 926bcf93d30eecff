"""The search indexes: SQLite's FTS5 table kept current by triggers, and migrations 0023 and 0026
run on articles that were there before them (both databases)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField
from django.test.utils import CaptureQueriesContext

from articles import search_index
from articles.models import Article
from newsroom.demo import generate_demo
from tests.factories import make_article

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index is SQLite's own"
)


def found(text):
    return list(Article.objects.published().search(text))


def index_matches_the_articles():
    with connection.cursor() as cursor:
        search_index.check(cursor)  # raises if the index differs from the rows
    return True


@sqlite_only
@pytest.mark.django_db
def test_saves_edits_and_deletes_reach_the_index_at_once():
    article = make_article(headline="Pipeline talks")
    assert found("pipeline") == [article]
    article.headline = "Refinery talks"
    article.save()
    assert found("pipeline") == []
    assert found("refinery") == [article]
    article.delete()
    assert found("refinery") == []
    assert index_matches_the_articles()


@sqlite_only
@pytest.mark.django_db
def test_bulk_writes_and_queryset_updates_reach_the_index():
    generate_demo(articles=30, seed=7)
    demo = Article.objects.filter(import_ref__startswith="demo:7:")
    first = demo.order_by("pk").first()
    assert first in found(first.headline.split()[1])
    demo.filter(pk=first.pk).update(standfirst="Now about Paraguaná.")
    assert found("paraguana") == [first]
    demo.exclude(pk=first.pk).delete()
    assert index_matches_the_articles()


@sqlite_only
@pytest.mark.django_db
def test_raw_sql_writes_reach_the_index():
    article = make_article(headline="Pipeline talks")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET body = %s WHERE id = %s", ["Refineries.", article.pk]
        )
    assert found("refinery") == [article]
    assert index_matches_the_articles()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_triggers_dropped_with_a_rebuilt_table_come_back_after_migrate():
    article = make_article(headline="Pipeline talks")
    # What Django does on SQLite to alter a column: a new table, the rows copied, the old
    # table (and its triggers) dropped.
    old_field = Article._meta.get_field("review_note")
    new_field = CharField(max_length=1000, blank=True)
    new_field.set_attributes_from_name("review_note")
    with connection.schema_editor() as editor:
        editor.alter_field(Article, old_field, new_field)
    Article.objects.filter(pk=article.pk).update(headline="Refinery talks")
    assert found("refinery") == []  # no trigger heard the update

    call_command("migrate", verbosity=0)

    assert found("refinery") == [article]
    assert found("pipeline") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [search_index.DATES_INDEX])
        assert cursor.fetchone()
    article.headline = "Paraguaná talks"
    article.save()
    assert found("paraguana") == [article]
    assert index_matches_the_articles()
    with connection.schema_editor() as editor:
        editor.alter_field(Article, new_field, old_field)
    call_command("migrate", verbosity=0)


@sqlite_only
@pytest.mark.django_db
def test_restoring_triggers_leaves_a_complete_index_alone():
    make_article(headline="Pipeline talks")
    assert search_index.restore_triggers(connection) is False


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_articles_written_before_the_upgrade_are_found_with_the_new_syntax():
    try:
        old = migrate([("articles", "0022_add_article_public_updated_index")])
        OldArticle = old.get_model("articles", "Article")
        before = OldArticle.objects.create(
            headline="The Paraguaná refineries",
            slug="paraguana",
            standfirst="Sanctions relief is near.",
            body="Oil and gas.",
            status="published",
            published_at="2026-01-05T10:00:00Z",
        )
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        assert [a.pk for a in found("Paraguana refinery")] == [before.pk]
        assert [a.pk for a in found('"sanctions relief" -coal')] == [before.pk]
        assert found('"relief sanctions"') == []
        assert [a.pk for a in found("refi*")] == [before.pk]
        if connection.vendor == "sqlite":
            assert index_matches_the_articles()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_index_keeps_three_and_four_letter_starts_and_survives_going_back_and_forth():
    article = make_article(headline="Refinery output climbs", body="Paraguaná refineries.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search_index.FTS_TABLE])
        assert "prefix='3 4'" in cursor.fetchone()[0]
    for start in ("ref*", "refi*", "refin*", "para*"):
        assert [a.pk for a in found(start)] == [article.pk], start
    try:
        migrate([("articles", "0026_search_document_and_sqlite_dates_index")])
        # Only the ids: the columns added after 0026 are not there.
        matches = Article.objects.published().search("refi*").values_list("pk", flat=True)
        assert list(matches) == [article.pk]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert [a.pk for a in found("refi*")] == [article.pk]
    assert index_matches_the_articles()


@sqlite_only
@pytest.mark.django_db
def test_sqlite_reads_matches_from_the_index_and_dates_without_the_articles_text():
    for n in range(30):
        make_article(headline=f"Pipeline {n}", status="draft" if n % 3 else "published")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        assert len(found("pipeline")) == 10
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {queries.captured_queries[0]['sql']}")
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert plan.startswith(f"SCAN {search_index.FTS_TABLE} VIRTUAL TABLE"), plan
    assert f"USING COVERING INDEX {search_index.DATES_INDEX}" in plan, plan
