from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from desk import dashboard
from tests.factories import make_article, make_author, make_comment

pytestmark = pytest.mark.django_db

Status = Article.Status


def panels_by_title(response):
    return {panel.title: panel for panel in response.context["panels"]}


def test_writer_sees_own_drafts_and_own_review_queue(writer, writer_client):
    mine = make_article(headline="My draft", status=Status.DRAFT, created_by=writer)
    mine.review_note = "Check the figures."
    mine.save()
    make_article(headline="Byline draft", status=Status.DRAFT, authors=[writer.author])
    make_article(headline="Someone else's draft", status=Status.DRAFT)
    make_article(headline="My submission", status=Status.IN_REVIEW, created_by=writer)
    make_article(headline="Other submission", status=Status.IN_REVIEW)
    response = writer_client.get(reverse("admin:index"))
    assert response.status_code == 200
    panels = panels_by_title(response)
    assert panels["Your drafts"].count == 2
    assert panels["Waiting for review"].count == 1
    assert "mine=yes" in panels["Waiting for review"].url
    html = response.content.decode()
    assert "My draft" in html and "Byline draft" in html and "Someone else" not in html
    assert "Check the figures." in html
    assert "Comments awaiting moderation" not in html  # writers do not moderate comments


def test_editor_sees_the_whole_review_queue_and_what_goes_live_next(desk_editor_client):
    now = timezone.now()
    for n in range(3):
        make_article(headline=f"Submission {n}", status=Status.IN_REVIEW, authors=[make_author()])
    soon = make_article(
        headline="Goes live soon", status=Status.SCHEDULED, publish_at=now + timedelta(hours=1)
    )
    make_article(
        headline="Goes live later", status=Status.SCHEDULED, publish_at=now + timedelta(days=1)
    )
    already = make_article(
        headline="Already live", status=Status.SCHEDULED, publish_at=now + timedelta(seconds=1)
    )
    Article.objects.filter(pk=already.pk).update(published_at=now - timedelta(hours=1))
    response = desk_editor_client.get(reverse("admin:index"))
    panels = panels_by_title(response)
    assert panels["Waiting for review"].count == 3
    scheduled = panels["Scheduled next"]
    assert [a.headline for a in scheduled.articles] == ["Goes live soon", "Goes live later"]
    assert scheduled.articles[0] == soon


def test_panel_links_open_the_matching_filtered_list(writer, writer_client, desk_editor_client):
    make_article(headline="My draft", status=Status.DRAFT, created_by=writer)
    make_article(headline="Their draft", status=Status.DRAFT)
    make_article(
        headline="Upcoming",
        status=Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    make_article(headline="Live")
    panels = panels_by_title(writer_client.get(reverse("admin:index")))
    drafts = writer_client.get(panels["Your drafts"].url).content.decode()
    assert "My draft" in drafts and "Their draft" not in drafts
    upcoming = desk_editor_client.get(panels["Scheduled next"].url).content.decode()
    assert "Upcoming" in upcoming and ">Live<" not in upcoming


def test_moderators_see_pending_comments_counted_and_linked(desk_editor_client):
    article = make_article()
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article)  # approved
    response = desk_editor_client.get(reverse("admin:index"))
    panel = panels_by_title(response)["Comments awaiting moderation"]
    assert panel.count == 2
    assert panel.url == "/admin/comments/comment/?status__exact=pending"
    queue = desk_editor_client.get(panel.url)
    assert queue.status_code == 200
    assert queue.context["cl"].result_count == 2


def test_dashboard_queries_do_not_grow_with_the_number_of_articles(
    desk_editor, django_assert_max_num_queries
):
    for n in range(12):
        make_article(headline=f"Draft {n}", status=Status.DRAFT, created_by=desk_editor)
    with django_assert_max_num_queries(11):
        dashboard.editorial_dashboard(desk_editor)


def test_editor_sees_what_went_live_including_schedules_that_came(editor_client):
    came = make_article(
        headline="Scheduled earlier",
        status=Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(minutes=1),
    )
    make_article(headline="Still to come", status=Status.SCHEDULED)
    Article.objects.filter(pk=came.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    panels = panels_by_title(editor_client.get(reverse("admin:index")))
    assert [a.headline for a in panels["Published lately"].articles] == ["Scheduled earlier"]
    assert panels["Published lately"].url.endswith("?status=published")
    assert [a.headline for a in panels["Scheduled next"].articles] == ["Still to come"]
