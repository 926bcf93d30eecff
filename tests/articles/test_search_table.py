"""
One table of searches over the demo archive, the same on SQLite and PostgreSQL: .ci/run runs
it in both passes, so a difference between the two databases fails one of them.

The archive is the seed and demo articles as `make run` imports them, among 300 generated demo
articles (newsroom/demo.py) whose made-up words ("demo", "rose", "note" among them) stand in the
way.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from newsroom.demo import generate_demo

SEEDS = settings.BASE_DIR / "seeds"
MADURO = "text:000_87246ce5c90d18ca.txt"
READING = "text:demo_1_reading.txt"
SCHEDULING = "text:demo_2_scheduling.txt"
SHARING = "text:demo_3_sharing.txt"

# query -> the seed articles that must come first, in this order (and nothing else, when
# `alone`); what comes after them may differ between the databases.
TABLE = [
    ("Maduro", [MADURO], False),
    ("maduro venezuela", [MADURO], True),
    ('"sanctions relief"', [MADURO], True),
    ('"relief sanctions"', [], True),
    ("Maduro -oil", [], True),
    ("Maduro -narcotics -cocaine", [], True),
    ("refinery", [MADURO], True),  # the seed has "refineries"
    ("refin*", [MADURO], True),
    ("Nicolas", [MADURO], True),  # the seed has "Nicolás"
    ("CARACAS Washington", [MADURO], True),
    ("Ecuador OR Colombia", [MADURO], True),
    ("cocaine OR engines", [SHARING, MADURO], True),  # a word of the headline before the body
    ('"search engines"', [SHARING], True),
    ("scheduled", [SCHEDULING], True),  # "schedules" in the headline, "schedule" in the body
    ("preview -sitemap", [SCHEDULING], True),
    ("article page", [READING], False),
    ("crawlers root", [SHARING], True),
    ("NEAR(Maduro oil)", [], True),  # read as the phrase "near maduro", not FTS5's NEAR
    ("headline:Maduro", [], True),  # the phrase "headline maduro", not a column filter
    ("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - Maduro", [MADURO], True),
]


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker):
    """The archive, made once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_article", "--publish", "--section", "World", "--tags",
                     "Venezuela, United States, Energy, Diplomacy", SEEDS / "demo", SEEDS,
                     verbosity=0)  # fmt: skip
        assert Article.objects.published().count() == 4
        generate_demo(articles=300, seed=1)
        keys = dict(Article.objects.values_list("pk", "import_record__key"))
        yield keys
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "first", "alone"), TABLE)
def test_the_same_searches_find_the_same_articles_first_on_both_databases(
    demo_archive, query, first, alone
):
    results = [demo_archive[pk] for pk in Article.objects.published().search(query).values_list(
        "pk", flat=True
    )]  # fmt: skip
    assert results[: len(first)] == first
    if alone:
        assert results == first
