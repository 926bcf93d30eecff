import pytest

from articles.models import Article
from articles.slugs import unique_slug, unique_slugs
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_slugs_for_many_texts_are_unlike_the_stored_ones_and_each_other():
    make_article(slug="harbour-plan")
    make_article(slug="harbour-plan-2")
    texts = ["Harbour plan", "Harbour plan", "Budget", "!!!", "???"]
    slugs = unique_slugs(texts, queryset=Article.objects.all(), fallback="article")
    assert slugs == ["harbour-plan-3", "harbour-plan-4", "budget", "article", "article-2"]


def test_slugs_for_many_texts_match_one_at_a_time_and_ask_once_when_free(
    django_assert_num_queries,
):
    make_article(slug="économie")
    alone = unique_slug("Économie", queryset=Article.objects.all(), fallback="article")
    with django_assert_num_queries(1):
        free = unique_slugs(["Иван Петров", "Budget"], queryset=Article.objects.all(), fallback="x")
    assert unique_slugs(["Économie"], queryset=Article.objects.all(), fallback="x") == [alone]
    assert free == ["иван-петров", "budget"]


def test_slugs_for_many_texts_fetch_a_taken_slugs_numbered_ones_at_once(
    django_assert_num_queries,
):
    for n in ("", "-2", "-3", "-5"):
        make_article(slug=f"untitled{n}")
    long = "x" * 300
    make_article(slug="x" * 200)
    with django_assert_num_queries(3):
        slugs = unique_slugs(
            ["Untitled"] * 3 + [long, long], queryset=Article.objects.all(), fallback="article"
        )
    assert slugs == ["untitled-4", "untitled-6", "untitled-7", "x" * 198 + "-2", "x" * 198 + "-3"]
