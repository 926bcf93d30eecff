from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, RelatedLink
from articles.plain import with_bylines
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


# "You may also like"


def test_related_puts_editor_picks_first_in_their_order_then_most_shared_tags_newest_first():
    article = make_article(tags=["oil", "gas", "coal"])
    second_pick, first_pick = make_article(), make_article()
    RelatedLink.objects.create(article=article, target=second_pick, order=2)
    RelatedLink.objects.create(article=article, target=first_pick, order=1)
    one_tag_older = make_article(tags=["oil"])
    two_tags = make_article(tags=["oil", "gas"])
    one_tag_newer = make_article(tags=["coal"])
    make_article(tags=["wind"])
    assert list(Article.objects.related_to(article, limit=10)) == [
        first_pick, second_pick, two_tags, one_tag_newer, one_tag_older,
    ]  # fmt: skip


def test_related_fills_up_to_four():
    article = make_article(tags=["oil"])
    RelatedLink.objects.create(article=article, target=make_article())
    siblings = [make_article(tags=["oil"]) for _ in range(5)]
    related = list(Article.objects.related_to(article))
    assert len(related) == 4
    assert related[1:] == siblings[:1:-1]


def test_related_never_holds_the_article_itself_or_unpublished_articles():
    article = make_article(tags=["oil"])
    for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.SCHEDULED):
        hidden = make_article(tags=["oil"], status=status)
        RelatedLink.objects.create(article=article, target=hidden)
    assert list(Article.objects.related_to(article)) == []


def test_related_is_empty_for_an_article_without_tags_or_picks():
    article = make_article()
    make_article()
    assert list(Article.objects.related_to(article)) == []


def test_related_fetches_cards_in_a_fixed_number_of_queries(django_assert_num_queries):
    article = make_article(tags=["oil", "gas"])
    for _ in range(4):
        make_article(tags=["oil", "gas", "coal"], authors=[make_author(), make_author()])
    with django_assert_num_queries(2):  # the cards, then all their bylines
        cards = with_bylines(list(Article.objects.for_listing().related_to(article)))
        assert len(cards) == 4 and all(len(card.ordered_authors) == 2 for card in cards)


def test_used_tags_are_those_of_the_articles_in_the_queryset():
    make_article(tags=["public"])
    make_article(tags=["secret"], status=Article.Status.DRAFT)
    names = {tag.name for tag in Article.objects.published().used_tags()}
    assert names == {"public"}


def test_news_leaves_out_sponsored_content_only():
    kinds = [kind for kind, _ in Article.Kind.choices]
    articles = {kind: make_article(kind=kind) for kind in kinds}
    news = set(Article.objects.published().news())
    assert news == {article for kind, article in articles.items() if kind != "sponsored"}
