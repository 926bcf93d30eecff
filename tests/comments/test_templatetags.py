"""The comments section the article page includes (comments_section() in Jinja)."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from articles.models import Article
from comments.cookie import COOKIE_NAME, OwnComments
from comments.models import Comment
from comments.services import comment_delete
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def render(article):
    request = RequestFactory().get(article.get_absolute_url())
    template = engines["jinja"].from_string("{{ comments_section(article) }}")
    return template.render({"article": article, "csrf_token": ""}, request)


@pytest.mark.parametrize("threads", [1, 20])
def test_section_runs_one_query_whatever_the_number_of_comments(django_assert_num_queries, threads):
    article = make_article()
    for _ in range(threads):
        parent = make_comment(article)
        make_comment(article, parent=parent)
    article = as_read(article)
    with django_assert_num_queries(1):
        html = render(article)
    assert html.count('class="comment"') == threads * 2
    assert f"{threads * 2} comments" in html


def as_read(article):
    """`article` as the article page reads it, with the comment count it keeps."""
    return Article.objects.get(pk=article.pk)


def test_an_article_whose_card_counts_no_comments_shows_none_without_asking(
    django_assert_num_queries,
):
    article = make_article()
    make_comment(article, body="Awaits moderation", status=Comment.Status.PENDING)
    make_comment(article, body="Filed as spam", status=Comment.Status.SPAM)
    article = as_read(article)
    with django_assert_num_queries(0):
        html = render(article)
    assert "No comments yet." in html and "Awaits" not in html and "spam" not in html


def test_a_removed_comment_above_a_reply_is_counted_and_shown():
    article = make_article()
    parent = make_comment(article, body="Words its writer took back")
    make_comment(article, parent=parent, body="A reply that stays")
    comment_delete(comment=parent)
    html = render(as_read(article))
    assert "This comment was removed by its writer." in html and "A reply that stays" in html


def test_a_readers_own_comment_awaiting_moderation_is_shown_where_the_card_counts_none():
    article = make_article()
    mine = make_comment(article, body="My words, awaiting", status=Comment.Status.PENDING)
    own = OwnComments()
    own.add(mine)
    response = HttpResponse()
    own.save(response, RequestFactory().get("/"))
    request = RequestFactory().get(article.get_absolute_url())
    request.COOKIES[COOKIE_NAME] = response.cookies[COOKIE_NAME].value
    template = engines["jinja"].from_string("{{ comments_section(article) }}")
    html = template.render({"article": as_read(article), "csrf_token": ""}, request)
    assert "My words, awaiting" in html


def test_open_article_gets_a_form_with_honeypot_and_timestamp():
    html = render(make_article())
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert 'name="started"' in html
    assert "Leave a comment" in html


def test_closed_article_shows_no_form():
    article = make_article(allow_comments=False)
    make_comment(article, body="Earlier words")
    html = render(as_read(article))
    assert 'name="body"' not in html and "Comments are closed." in html
    assert "Earlier words" in html


def test_only_top_level_approved_comments_offer_a_reply_link():
    article = make_article()
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    html = render(as_read(article))
    assert f"/comments/{parent.pk}/reply/" in html
    assert f"/comments/{reply.pk}/reply/" not in html


def test_other_readers_pending_comments_are_not_in_the_section():
    article = make_article()
    make_comment(article, body="Not yet", status=Comment.Status.PENDING)
    assert "Not yet" not in render(article)
