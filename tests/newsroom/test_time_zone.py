"""One site time zone (DJANGO_TIME_ZONE), used and named on the dates of the admin and the site."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from reversion.models import Version

from tests.admin_forms import change_url, submit
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

WINTER = datetime(2025, 12, 6, 10, 2, 7, tzinfo=UTC)
SUMMER = datetime(2025, 7, 6, 10, 2, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def london(settings):
    settings.TIME_ZONE = "Europe/London"


def live_article(when, **fields):
    with time_machine.travel(when, tick=False):
        return make_article(**fields)


def test_the_article_page_names_the_zone_of_its_times(client):
    winter = live_article(WINTER)
    summer = live_article(SUMMER)
    assert "6 December 2025, 10:02 GMT" in client.get(winter.get_absolute_url()).text
    assert "6 July 2025, 11:02 BST" in client.get(summer.get_absolute_url()).text


def test_comment_times_name_the_zone(client):
    article = live_article(WINTER)
    make_comment(article, created_at=WINTER)
    html = client.get(article.get_absolute_url()).text
    assert '<time datetime="2025-12-06T10:02:07+00:00">6 December 2025, 10:02 GMT</time>' in html


def test_the_article_list_names_the_zone(editor_client):
    live_article(SUMMER, headline="Summer story")
    html = editor_client.get(reverse("admin:articles_article_changelist")).text
    assert "6 July 2025, 11:02 BST" in html


def test_the_schedule_box_says_which_zone_its_time_is_in(editor_client):
    article = make_article()
    html = editor_client.get(change_url(article)).text
    assert 'Time <span class="timezone">(Europe/London)</span>:</label>' in html


def test_revisions_show_the_second_they_were_saved(editor_client):
    article = make_article()
    with time_machine.travel(WINTER, tick=False):
        assert submit(editor_client, change_url(article), headline="Saved").status_code == 302
    version = Version.objects.get_for_object(article).get()
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "6 December 2025, 10:02:07 GMT" in history.text
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert "6 December 2025, 10:02:07 GMT" in editor_client.get(url).text
