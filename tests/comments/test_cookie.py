"""The signed cookie that lets a browser edit or delete its own comments for 15 minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from comments.cookie import (
    COMMENTER_COOKIE,
    COOKIE_NAME,
    MAX_ENTRIES,
    SALT,
    OwnComments,
    PostedComments,
)
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def request_with(cookie=None):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[COOKIE_NAME] = cookie
    return request


def round_trip(own):
    response = HttpResponse()
    own.save(response, request_with())
    return OwnComments.from_request(request_with(response.cookies[COOKIE_NAME].value))


def test_a_saved_cookie_reads_back_the_comments_it_lists():
    comment = make_comment(make_article())
    own = OwnComments()
    own.add(comment)
    again = round_trip(own)
    assert again.ids() == {comment.pk}
    assert again.can_change(comment)


def test_the_window_closes_15_minutes_after_posting():
    comment = make_comment(make_article())
    own = OwnComments()
    own.add(comment)
    assert own.can_change(comment, now=comment.created_at + timedelta(minutes=14))
    assert not own.can_change(comment, now=comment.created_at + timedelta(minutes=15))


def test_entries_older_than_the_window_are_dropped_on_reading():
    old = make_comment(make_article(), created_at=timezone.now() - timedelta(minutes=20))
    fresh = make_comment(make_article())
    value = signing.dumps(
        [[old.pk, int(old.created_at.timestamp())], [fresh.pk, int(fresh.created_at.timestamp())]],
        salt=SALT,
        compress=True,
    )
    assert OwnComments.from_request(request_with(value)).ids() == {fresh.pk}


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "garbage",
        signing.dumps([[1, 2]], salt="another.salt"),
        signing.dumps("not a list", salt=SALT),
        signing.dumps([["x", "y"]], salt=SALT),
        signing.dumps([[1, 2, 3]], salt=SALT),
    ],
)
def test_a_tampered_or_malformed_cookie_reads_as_empty(cookie):
    assert OwnComments.from_request(request_with(cookie)).ids() == set()


def test_the_cookie_keeps_only_the_newest_entries():
    article = make_article()
    own = OwnComments()
    comments = [make_comment(article) for _ in range(MAX_ENTRIES + 3)]
    for comment in comments:
        own.add(comment)
    assert len(own.ids()) == MAX_ENTRIES
    assert comments[-1].pk in own.ids()


def test_an_empty_list_deletes_the_cookie():
    response = HttpResponse()
    OwnComments().save(response, request_with())
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


# The long-lived cookie that proves a browser posted a comment (known commenters, finding 13.6)


def posted_round_trip(posted, *, later=timedelta()):
    response = HttpResponse()
    posted.save(response, request_with())
    request = RequestFactory().post("/")
    request.COOKIES[COMMENTER_COOKIE] = response.cookies[COMMENTER_COOKIE].value
    with time_machine.travel(timezone.now() + later):
        return PostedComments.from_request(request)


def test_posted_comments_read_back_for_a_year_and_then_read_as_none():
    article = make_article()
    posted = PostedComments()
    comments = [make_comment(article) for _ in range(MAX_ENTRIES + 2)]
    for comment in comments:
        posted.add(comment)
    posted.add(comments[-1])  # posting the same id twice keeps one entry
    assert posted_round_trip(posted).ids == [c.pk for c in comments][-MAX_ENTRIES:]
    assert posted_round_trip(posted, later=timedelta(days=364)).ids
    assert posted_round_trip(posted, later=timedelta(days=366)).ids == []


@pytest.mark.parametrize(
    "raw",
    ["garbage", signing.dumps([1, 2], salt=SALT), signing.dumps(["x"], salt="comments.commenter")],
)
def test_a_forged_or_malformed_commenter_cookie_reads_as_no_comments(raw):
    request = RequestFactory().post("/")
    request.COOKIES[COMMENTER_COOKIE] = raw
    assert PostedComments.from_request(request).ids == []
