from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag

from articles.models import Article, OldSlug
from articles.services import articles_create, articles_mark_reviewed, old_slug_record, tag_named
from tests.factories import make_article, make_author, make_section

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


def test_articles_created_together_are_saved_as_one_at_a_time(django_assert_num_queries):
    section, author = make_section(), make_author()
    energy, oil = tag_named("Energy"), tag_named("Oil")
    draft = Article(headline="Draft", slug="draft", body="One **two** three.")
    live = Article(
        headline="Live", slug="live", section=section, status=Article.Status.PUBLISHED
    )
    ContentType.objects.get_for_model(Article)  # cached once a process
    with django_assert_num_queries(6):  # a savepoint, four inserts, its release
        articles_create(
            articles=[draft, live],
            authors=[[author, author], []],
            tags=[[energy, oil], [oil]],
            faqs=[[("Why?", "Because.")], []],
        )
    draft.refresh_from_db()
    assert draft.body_html == "<p>One <strong>two</strong> three.</p>" and draft.word_count == 3
    assert draft.ordered_authors == [author] and sorted(draft.tags.names()) == ["Energy", "Oil"]
    assert list(draft.faq_items.values_list("question", "answer")) == [("Why?", "Because.")]
    assert draft.published_at is None and live.published_at is not None
    assert list(Article.objects.published()) == [live]


def test_a_tag_named_in_another_case_is_the_same_tag():
    assert tag_named("Energy") == tag_named("ENERGY")
    assert Tag.objects.count() == 1


def test_marking_articles_reviewed_dates_the_review_but_not_an_update(client):
    article = make_article()
    other = make_article()
    updated_at = article.updated_at
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with time_machine.travel("2026-05-06 10:00 +00:00"):
        count = articles_mark_reviewed(articles=Article.objects.filter(pk=article.pk))
    assert count == 1
    article.refresh_from_db()
    other.refresh_from_db()
    assert article.last_reviewed == date(2026, 5, 6)
    assert article.updated_at == updated_at
    assert other.last_reviewed is None
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Last reviewed on" in response.text
