"""Spam heuristics: too many links, known phrases, a body repeated from a recent comment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.spam import repeated_body, spam_phrase, spam_reason, too_many_links
from tests.factories import make_article, make_comment

LONG = "This is a perfectly ordinary comment about the article above."


def test_more_links_than_the_setting_allows_is_spam(settings):
    settings.NEWSROOM_COMMENTS_MAX_LINKS = 2
    assert too_many_links("https://a.example https://b.example") == ""
    reason = too_many_links("https://a.example https://b.example http://c.example")
    assert reason == "3 links (more than 2)"


def test_spam_phrases_match_whatever_the_case_and_spacing(settings):
    settings.NEWSROOM_COMMENTS_SPAM_PHRASES = ["payday loan"]
    assert (
        spam_phrase("Ana", "Get a PAYDAY\n  Loan today") == "contains the spam phrase “payday loan”"
    )
    assert spam_phrase("Payday Loan Kings", "Hello") != ""
    assert spam_phrase("Ana", "I paid my loan") == ""


def test_no_phrases_configured_flags_nothing(settings):
    settings.NEWSROOM_COMMENTS_SPAM_PHRASES = []
    assert spam_phrase("Ana", "viagra") == ""


@pytest.mark.django_db
def test_a_body_repeated_within_a_day_is_spam_whatever_the_case_and_spacing():
    now = timezone.now()
    make_comment(make_article(), body=LONG)
    assert repeated_body(LONG.upper().replace(" ", "  "), now=now) != ""
    assert repeated_body(LONG + " Really.", now=now) == ""
    assert repeated_body(LONG, now=now + timedelta(days=2)) == ""


@pytest.mark.django_db
def test_short_common_replies_may_repeat():
    make_comment(make_article(), body="Thank you!")
    assert repeated_body("Thank you!", now=timezone.now()) == ""


@pytest.mark.django_db
def test_a_comment_is_not_a_repeat_of_itself():
    comment = make_comment(make_article(), body=LONG)
    assert repeated_body(LONG, now=timezone.now(), exclude_pk=comment.pk) == ""


@pytest.mark.django_db
def test_an_ordinary_comment_has_no_spam_reason():
    assert spam_reason(name="Ana", body=LONG, now=timezone.now()) == ""
