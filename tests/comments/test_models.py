"""The Comment model, its queryset, and when an article is open for comments."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment, comments_open, count_comments
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_comments_are_open_on_a_live_article_that_allows_them():
    assert comments_open(make_article())


def test_comments_are_closed_when_the_article_disallows_them():
    assert not comments_open(make_article(allow_comments=False))


def test_comments_are_closed_on_unpublished_articles():
    assert not comments_open(make_article(status=Article.Status.DRAFT))
    assert not comments_open(make_article(status=Article.Status.SCHEDULED))


def test_comments_close_the_set_number_of_days_after_publication(settings):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 30
    article = make_article()
    assert comments_open(article, now=article.published_at + timedelta(days=29, hours=23))
    assert not comments_open(article, now=article.published_at + timedelta(days=30))


def test_zero_days_means_comments_never_close_by_age(settings):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 0
    article = make_article()
    assert comments_open(article, now=article.published_at + timedelta(days=3650))


def test_approved_means_approved_and_under_an_approved_comment():
    article = make_article()
    shown = make_comment(article)
    shown_reply = make_comment(article, parent=shown)
    hidden_parent = make_comment(article, status=Comment.Status.REJECTED)
    make_comment(article, parent=hidden_parent)
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.SPAM)
    assert set(Comment.objects.approved()) == {shown, shown_reply}


def test_article_page_shape_lists_approved_and_own_comments_with_replies():
    article = make_article()
    first = make_comment(article, created_at=timezone.now() - timedelta(hours=1))
    second = make_comment(article)
    reply = make_comment(article, parent=first)
    mine = make_comment(article, status=Comment.Status.PENDING)
    my_reply = make_comment(article, parent=second, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.PENDING)  # someone else's
    make_comment(make_article())  # another article's

    shown = list(Comment.objects.for_article_page(article, own_ids={mine.pk, my_reply.pk}))
    assert shown == [first, second, mine]
    assert [c.shown_replies for c in shown] == [[reply], [my_reply], []]
    assert list(Comment.objects.for_article_page(article)) == [first, second]


def test_article_cards_count_the_comments_readers_see():
    article = make_article()
    parent = make_comment(article)
    make_comment(article, parent=parent)
    make_comment(article, status=Comment.Status.PENDING)
    make_article()
    counts = dict(Article.objects.values_list("pk", "comment_count"))
    assert counts[article.pk] == 2
    assert sorted(counts.values()) == [0, 2]


def test_absolute_url_is_the_article_with_the_comment_anchor():
    comment = make_comment(make_article(slug="story"))
    assert comment.get_absolute_url() == f"/articles/story/#comment-{comment.pk}"


def test_fingerprint_ignores_case_and_spacing():
    article = make_article()
    a = make_comment(article, body="Hello   World")
    b = make_comment(article, body="hello world")
    assert a.body_fingerprint == b.body_fingerprint


def test_reply_to_a_comment_on_another_article_is_invalid():
    parent = make_comment(make_article())
    reply = Comment(
        article=make_article(), parent=parent, name="A", email="a@example.com", body="x"
    )
    with pytest.raises(ValidationError) as exc:
        reply.full_clean()
    assert "parent" in exc.value.message_dict


def test_replies_are_one_level_deep():
    article = make_article()
    reply = make_comment(article, parent=make_comment(article))
    nested = Comment(article=article, parent=reply, name="A", email="a@example.com", body="x")
    with pytest.raises(ValidationError, match="one level deep"):
        nested.full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "x" * 5001},
        {"body": ""},
        {"name": ""},
        {"email": ""},
        {"status": "published"},
    ],
)
def test_database_refuses_invalid_comments(fields):
    article = make_article()
    values = {"name": "Ana", "email": "ana@example.com", "body": "Hi", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, **values)


def test_the_database_keeps_a_removed_comment_blank():
    comment = make_comment(make_article())
    Comment.objects.filter(pk=comment.pk).update(
        removed_at=timezone.now(), name="", email="", body="", ip_hash="", user_agent=""
    )
    for field in ("name", "email", "body"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.filter(pk=comment.pk).update(**{field: "Back again"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(removed_at=None)


def counted(article):
    article.refresh_from_db(fields=["comment_count"])
    return article.comment_count


def test_an_article_counts_its_comments_as_moderators_approve_reject_and_delete_them():
    article = make_article()
    pending = make_comment(article, status=Comment.Status.PENDING)
    assert counted(article) == 0
    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    assert counted(article) == 1
    reply = make_comment(article, parent=pending)
    assert counted(article) == 2
    services.comment_moderate(
        comments=Comment.objects.filter(pk=pending.pk), status=Comment.Status.REJECTED
    )
    assert counted(article) == 0  # a reply shows only under an approved comment
    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    reply.delete()
    assert counted(article) == 1


def test_a_comment_its_writer_removes_stops_counting_but_its_replies_count():
    article = make_article()
    first = make_comment(article)
    make_comment(article, parent=first)
    services.comment_delete(comment=first)
    assert counted(article) == 1
    lone = make_comment(article)
    services.comment_delete(comment=lone)
    assert counted(article) == 1


def test_other_articles_keep_their_counts():
    article, other = make_article(), make_article()
    make_comment(other)
    make_comment(article).delete()
    assert (counted(article), counted(other)) == (0, 1)


def test_comments_saved_in_bulk_are_counted():
    article = make_article()
    parent = Comment(article=article, name="Ana", email="ana@example.com", body="First")
    parent.status = Comment.Status.APPROVED
    reply = Comment(article=article, parent=parent, name="Bea", email="bea@example.com")
    reply.body, reply.status = "Reply", Comment.Status.APPROVED
    held = Comment(article=article, name="Cy", email="cy@example.com", body="Held")
    services.comments_create(comments=[parent, reply, held])
    assert counted(article) == 2


def test_count_comments_mends_a_count_gone_wrong_and_takes_many_articles(monkeypatch):
    monkeypatch.setattr("comments.models.COUNT_BATCH", 2)
    articles = [make_article() for _ in range(3)]
    make_comment(articles[0])
    Article.objects.update(comment_count=7)
    count_comments(article.pk for article in articles * 2)
    assert [counted(article) for article in articles] == [1, 0, 0]


def test_deleting_an_article_does_not_count_the_comments_going_with_it():
    article = make_article()
    for _ in range(3):
        make_comment(article)
    with CaptureQueriesContext(connection) as queries:
        article.delete()
    assert not Comment.objects.exists()
    assert not [q["sql"] for q in queries if "comment_count" in q["sql"]]


def test_deleting_comments_in_bulk_counts_their_articles():
    article = make_article()
    make_comment(article)
    make_comment(article)
    Comment.objects.filter(article=article).delete()
    assert counted(article) == 0


def test_a_new_comment_awaiting_moderation_counts_nothing():
    article = make_article()
    make_comment(article)
    with CaptureQueriesContext(connection) as queries:
        make_comment(article, status=Comment.Status.PENDING)
    assert not [q["sql"] for q in queries if "comment_count" in q["sql"]]
    assert counted(article) == 1
