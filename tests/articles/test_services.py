import pytest

from articles.models import OldSlug
from articles.services import old_slug_record
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_old_slug_is_recorded_for_the_article():
    article = make_article(slug="new")
    old_slug_record(article=article, slug="old")
    assert list(article.old_slugs.values_list("slug", flat=True)) == ["old"]


def test_every_earlier_slug_keeps_pointing_at_the_article():
    article = make_article(slug="first")
    for slug in ("second", "third"):
        previous, article.slug = article.slug, slug
        article.save()
        old_slug_record(article=article, slug=previous)
    assert set(article.old_slugs.values_list("slug", flat=True)) == {"first", "second"}


def test_going_back_to_an_old_slug_stops_it_redirecting():
    article = make_article(slug="second")
    old_slug_record(article=article, slug="first")
    article.slug = "first"
    article.save()
    old_slug_record(article=article, slug="second")
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["second"]


def test_an_old_slug_another_article_had_moves_to_this_one():
    first, second = make_article(), make_article()
    old_slug_record(article=first, slug="shared")
    old_slug_record(article=second, slug="shared")
    assert OldSlug.objects.get(slug="shared").article == second


def test_unchanged_slug_records_nothing():
    article = make_article(slug="same")
    assert old_slug_record(article=article, slug="same") is None
    assert not OldSlug.objects.exists()
