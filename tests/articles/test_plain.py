"""What articles/plain.py reads with its own SQL: the same as the ORM reads it."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import TaggedItem

from articles import plain
from articles.models import Article, ArticleAuthor, Correction, FaqItem
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def orm_bylines(article_ids):
    links = ArticleAuthor.objects.filter(article_id__in=article_ids)
    fields = ("article_id", "author_id", "author__name", "author__slug", "author__title")
    found = {}
    for article_id, *byline in links.values_list(*fields):
        found.setdefault(article_id, []).append(plain.Byline(*byline))
    return found


def orm_tags(article_ids):
    items = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=article_ids
    )
    found = {}
    fields = ("object_id", "tag_id", "tag__name", "tag__slug")
    for article_id, *tag in items.order_by("tag_id").values_list(*fields):
        found.setdefault(article_id, []).append(plain.ShownTag(*tag))
    return found


@pytest.fixture
def articles():
    ana, ben, cy = (make_author(name=name) for name in ("Ana Ruiz", "Ben Okafor", "Cy Dé"))
    first = make_article(authors=[ben, ana], tags=["Oil", "Énergie", "Gas"])
    second = make_article(authors=[cy], tags=["Gas"])
    ArticleAuthor.objects.filter(article=first, author=ana).update(order=0)
    ArticleAuthor.objects.filter(article=first, author=ben).update(order=1)
    bare = make_article(authors=[], tags=[])
    other_model = make_author(name="Not an article")
    TaggedItem.objects.create(
        content_type=ContentType.objects.get_for_model(other_model),
        object_id=bare.pk,  # an author whose id is an article's: not that article's tag
        tag=first.tags.get(name="Oil"),
    )
    return first, second, bare


def test_bylines_are_the_orms_in_byline_order(articles):
    ids = [article.pk for article in articles]
    found = plain.bylines(ids)
    assert found == orm_bylines(ids)
    assert [str(byline) for byline in found[articles[0].pk]] == ["Ana Ruiz", "Ben Okafor"]
    assert articles[2].pk not in found


def test_tags_are_the_orms_in_the_order_of_their_ids(articles):
    ids = [article.pk for article in articles]
    found = plain.tags(ids)
    assert found == orm_tags(ids)
    assert [str(tag) for tag in found[articles[0].pk]] == ["Oil", "Énergie", "Gas"]
    assert articles[2].pk not in found


def test_no_articles_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert plain.bylines([]) == plain.tags([]) == {}


def test_ids_are_bound_never_spliced(articles):
    with pytest.raises(ValueError):
        plain.bylines(["1) OR (1=1"])


def test_page_parts_are_the_articles_faq_in_order_and_corrections_newest_first():
    article, other = make_article(), make_article()
    second = FaqItem.objects.create(article=article, question="Then?", answer="B.", order=1)
    first = FaqItem.objects.create(article=article, question="First?", answer="A.", order=0)
    FaqItem.objects.create(article=other, question="Elsewhere?", answer="C.", order=0)
    now = timezone.now()
    older = Correction.objects.create(article=article, note="Old.", created_at=now - timedelta(1))
    newer = Correction.objects.create(article=article, note="New.", kind=Correction.Kind.UPDATE)
    plain.with_page_parts(article)
    assert article.faq_list == [first, second] == list(article.faq_items.all())
    assert article.correction_list == [newer, older] == list(article.corrections.all())
    assert article.correction_list[1].created_at == older.created_at  # an aware datetime
    assert article.correction_list[0].get_kind_display() == "Update"


def test_an_article_without_faq_or_corrections_has_empty_lists():
    article = plain.with_page_parts(make_article())
    assert (article.faq_list, article.correction_list) == ([], [])
