from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_published_shows_published_articles_and_hides_drafts_and_reviews():
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.IN_REVIEW)
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_is_hidden_until_publish_at():
    when = timezone.now() + timedelta(hours=1)
    scheduled = make_article(status=Article.Status.SCHEDULED, publish_at=when)
    assert scheduled not in Article.objects.published()
    assert scheduled not in Article.objects.published(now=when - timedelta(seconds=1))
    assert scheduled in Article.objects.published(now=when)
    with time_machine.travel(when + timedelta(seconds=1)):
        assert scheduled in Article.objects.published()


def test_latest_first_orders_by_publication_time():
    old = make_article()
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=2))
    new = make_article()
    assert list(Article.objects.published().latest_first()) == [new, old]


def test_bulk_publish_keeps_first_publication_time():
    earlier = timezone.now() - timedelta(days=3)
    already = make_article()
    Article.objects.filter(pk=already.pk).update(published_at=earlier, status=Article.Status.DRAFT)
    draft = make_article(status=Article.Status.DRAFT)
    assert Article.objects.filter(pk__in=[already.pk, draft.pk]).publish() == 2
    already.refresh_from_db()
    draft.refresh_from_db()
    assert already.published_at == earlier
    assert draft.published_at is not None
    assert set(Article.objects.published()) == {already, draft}


def test_bulk_unpublish_hides_articles():
    article = make_article()
    Article.objects.filter(pk=article.pk).unpublish()
    assert not Article.objects.published().exists()


def test_detail_shape_fetches_everything_in_a_fixed_number_of_queries(django_assert_num_queries):
    article = make_article(tags=["a", "b", "c"], authors=[make_author(), make_author()])
    article.faq_items.create(question="Q?", answer="A.")
    article.corrections.create(note="Fixed.")
    with django_assert_num_queries(5):
        article = Article.objects.for_detail().get()
        list(article.tags.all())
        article.ordered_authors  # noqa: B018
        list(article.faq_items.all())
        list(article.corrections.all())
