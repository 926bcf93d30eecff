"""Who is editing an article, as the heartbeats of open forms say."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.models import Presence
from desk.presence import LIFETIME, editing, presence_beat
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def test_no_one_is_editing_an_article_no_one_has_open(article):
    assert editing(article).holder is None


def test_the_first_to_open_the_article_is_editing_it_since_then(article):
    ana, ben = make_staff("editor"), make_staff("writer")
    start = timezone.now()
    presence_beat(article=article, user=ana, now=start)
    state = presence_beat(article=article, user=ben, now=start + timedelta(seconds=30))
    assert state.holder == ana and state.holder_since == start
    assert state.others == [ben]
    # Ana's later heartbeats keep her start time
    state = presence_beat(article=article, user=ana, now=start + timedelta(seconds=40))
    assert state.holder_since == start


def test_someone_is_gone_a_minute_after_their_last_heartbeat(article):
    ana, ben = make_staff("editor"), make_staff("writer")
    start = timezone.now()
    presence_beat(article=article, user=ana, now=start)
    later = start + LIFETIME + timedelta(seconds=1)
    state = presence_beat(article=article, user=ben, now=later)
    assert state.holder == ben and state.others == []
    assert not Presence.objects.filter(user=ana).exists()  # cleared away


def test_coming_back_after_a_break_starts_a_new_stretch(article):
    ana = make_staff("editor")
    start = timezone.now()
    presence_beat(article=article, user=ana, now=start)
    back = start + timedelta(minutes=10)
    assert presence_beat(article=article, user=ana, now=back).holder_since == back


def test_taking_over_makes_the_taker_the_holder_until_someone_takes_it_back(article):
    ana, ben = make_staff("editor"), make_staff("writer")
    start = timezone.now()
    presence_beat(article=article, user=ana, now=start)
    taken = start + timedelta(seconds=30)
    state = presence_beat(article=article, user=ben, take_over=True, now=taken)
    assert state.holder == ben and state.holder_since == taken and state.others == [ana]
    state = presence_beat(article=article, user=ana, now=taken + timedelta(seconds=20))
    assert state.holder == ben  # Ana's heartbeat alone does not take it back
    back = taken + timedelta(seconds=40)
    assert presence_beat(article=article, user=ana, take_over=True, now=back).holder == ana


def test_presence_is_per_article(article):
    ana = make_staff("editor")
    presence_beat(article=article, user=ana)
    assert editing(make_article()).holder is None
