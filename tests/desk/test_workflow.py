from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk import workflow
from desk.services import article_change_status
from tests.admin_forms import change_url, datetime_fields, errors_of, form_data, submit
from tests.conftest import logged_in
from tests.factories import make_article, make_author, make_ready_article, make_section, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Status.DRAFT, Status.IN_REVIEW),
        (Status.DRAFT, Status.PUBLISHED),
        (Status.IN_REVIEW, Status.PUBLISHED),
        (Status.IN_REVIEW, Status.SCHEDULED),
        (Status.SCHEDULED, Status.PUBLISHED),
        (Status.SCHEDULED, Status.DRAFT),
        (Status.PUBLISHED, Status.DRAFT),
    ],
)
def test_editor_may_make_every_step_of_the_workflow(desk_editor, source, target):
    article = make_article(status=source)
    later = timezone.now() + timedelta(hours=2)
    move = workflow.check_user_move(
        user=desk_editor, article=article, target=target, note="Fix it", publish_at=later
    )
    assert move is workflow.MOVES[source][target]


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (Status.PUBLISHED, Status.SCHEDULED, "already live; unpublish it first"),
        (Status.PUBLISHED, Status.IN_REVIEW, "already live; unpublish it back to draft"),
        (Status.SCHEDULED, Status.IN_REVIEW, "has passed review"),
    ],
)
def test_steps_outside_the_workflow_are_refused_with_a_reason(desk_editor, source, target, message):
    article = make_article(status=source)
    with pytest.raises(workflow.TransitionRefused, match=message):
        workflow.check_user_move(user=desk_editor, article=article, target=target)


def test_sending_back_to_draft_needs_a_note_for_the_writer(desk_editor):
    article = make_article(status=Status.IN_REVIEW)
    with pytest.raises(workflow.TransitionRefused, match="Add a note for the writer") as refused:
        workflow.check_user_move(user=desk_editor, article=article, target=Status.DRAFT, note="  ")
    assert refused.value.field == "note"


def test_scheduling_needs_a_time_in_the_future(desk_editor):
    article = make_article(status=Status.IN_REVIEW)
    with pytest.raises(workflow.TransitionRefused, match="Choose when"):
        workflow.check_user_move(user=desk_editor, article=article, target=Status.SCHEDULED)
    with pytest.raises(workflow.TransitionRefused, match="time in the future"):
        workflow.check_user_move(
            user=desk_editor,
            article=article,
            target=Status.SCHEDULED,
            publish_at=timezone.now() - timedelta(minutes=1),
        )


def test_rescheduling_before_going_live_also_needs_a_future_time(desk_editor):
    article = make_article(status=Status.SCHEDULED)
    past = timezone.now() - timedelta(hours=1)
    with pytest.raises(workflow.TransitionRefused, match="time in the future"):
        workflow.check_user_move(
            user=desk_editor, article=article, target=Status.SCHEDULED, publish_at=past
        )
    live = make_article(status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(seconds=1))
    Article.objects.filter(pk=live.pk).update(published_at=past)
    live.refresh_from_db()
    assert workflow.check_user_move(
        user=desk_editor, article=live, target=Status.SCHEDULED, publish_at=past
    )


def test_publishing_a_scheduled_article_now_makes_it_live_now(desk_editor):
    article = make_ready_article(
        status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1)
    )
    article_change_status(article=article, status=Status.PUBLISHED, user=desk_editor)
    article.refresh_from_db()
    assert article.is_published() and article.published_at <= timezone.now()


def test_cancelling_a_schedule_before_it_comes_leaves_the_article_unpublished(desk_editor):
    article = make_ready_article(
        status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1)
    )
    article_change_status(article=article, status=Status.DRAFT, user=desk_editor)
    article.refresh_from_db()
    assert article.published_at is None
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        article_change_status(article=article, status=Status.PUBLISHED, user=desk_editor)
        article.refresh_from_db()
        assert article.published_at > timezone.now() - timedelta(minutes=1)


def test_writer_submits_own_draft_and_withdraws_it_but_cannot_publish_or_schedule(writer):
    own = make_article(status=Status.DRAFT, created_by=writer)
    assert workflow.check_user_move(user=writer, article=own, target=Status.IN_REVIEW)
    for target in (Status.PUBLISHED, Status.SCHEDULED):
        with pytest.raises(workflow.TransitionRefused, match="Only editors can"):
            workflow.check_user_move(user=writer, article=own, target=target)
    own.status = Status.IN_REVIEW
    withdraw = workflow.check_user_move(user=writer, article=own, target=Status.DRAFT)
    assert withdraw.verb == "withdraw from review" and not withdraw.needs_note


def test_writer_withdraws_own_article_from_review_with_a_revision_saying_so(
    writer, writer_client
):
    own = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    page = writer_client.get(change_url(own))
    assert '<option value="draft">Draft (withdraw from review)</option>' in page.content.decode()
    response = submit(writer_client, change_url(own), status=Status.DRAFT)
    assert response.status_code == 302, errors_of(response)
    own.refresh_from_db()
    assert own.status == Status.DRAFT
    step = "Withdraw from review: In review → Draft."
    revision = Version.objects.get_for_object(own).first().revision
    assert revision.user == writer and revision.comment.startswith(step)
    entry = LogEntry.objects.filter(object_id=str(own.pk)).latest("action_time")
    assert entry.get_change_message().startswith(step)


def test_writer_withdraws_from_the_article_list_but_not_someone_elses(writer, writer_client):
    own = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    theirs = make_ready_article(status=Status.IN_REVIEW, authors=[make_author()])
    writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "withdraw_from_review", "_selected_action": [own.pk, theirs.pk]},
    )
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.status == Status.DRAFT
    assert theirs.status == Status.IN_REVIEW


def test_another_writer_cannot_withdraw_by_posting_the_form(writer):
    article = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    other = logged_in(make_staff("writer"))
    data = form_data(logged_in(writer).get(change_url(article)))
    response = other.post(change_url(article), {**data, "status": Status.DRAFT})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_nobody_else_withdraws_a_writers_article_from_review(writer, desk_editor):
    other_writer = make_staff("writer")
    article = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    with pytest.raises(workflow.TransitionRefused, match="your own drafts"):
        article_change_status(article=article, status=Status.DRAFT, user=other_writer)
    # An editor sends it back instead, and says why.
    with pytest.raises(workflow.TransitionRefused, match="Add a note"):
        article_change_status(article=article, status=Status.DRAFT, user=desk_editor)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_a_scheduled_article_whose_time_has_come_is_published(desk_editor):
    article = make_ready_article(
        status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1)
    )
    assert article.current_status() == Status.SCHEDULED
    later = timezone.now() + timedelta(hours=2)
    assert article.current_status(later) == Status.PUBLISHED
    annotated = Article.objects.with_current_status(later).get(pk=article.pk)
    assert annotated.status_now == Status.PUBLISHED
    assert list(Article.objects.in_current_status(Status.PUBLISHED, later)) == [article]
    assert not Article.objects.in_current_status(Status.SCHEDULED, later).exists()
    with time_machine.travel(later):
        # Live, so the workflow treats it as published: rescheduling means unpublishing first.
        assert workflow.allowed_statuses(article, editor=True) == [
            Status.DRAFT, Status.SCHEDULED, Status.PUBLISHED,
        ]  # fmt: skip
        with pytest.raises(workflow.TransitionRefused, match="already live"):
            workflow.permitted_move(article=article, target=Status.IN_REVIEW, editor=True)


def test_writer_owns_articles_they_created_or_have_a_byline_on(writer):
    byline = make_article(status=Status.DRAFT, authors=[writer.author])
    created = make_article(status=Status.DRAFT, created_by=writer)
    someone_elses = make_article(status=Status.DRAFT, authors=[make_author()])
    assert workflow.can_edit(writer, byline) and workflow.can_edit(writer, created)
    assert not workflow.can_edit(writer, someone_elses)
    with pytest.raises(workflow.TransitionRefused, match="your own drafts"):
        workflow.check_user_move(user=writer, article=someone_elses, target=Status.IN_REVIEW)


def test_writer_cannot_change_published_or_scheduled_copy_even_their_own(writer):
    for status in (Status.PUBLISHED, Status.SCHEDULED):
        article = make_article(status=status, created_by=writer)
        assert not workflow.can_edit(writer, article)
        with pytest.raises(workflow.TransitionRefused, match="Only editors can change"):
            workflow.check_user_move(user=writer, article=article, target=status)


def test_allowed_statuses_follow_the_role(writer, desk_editor):
    draft = make_article(status=Status.DRAFT, created_by=writer)
    assert workflow.allowed_statuses(draft, editor=False) == [Status.DRAFT, Status.IN_REVIEW]
    assert workflow.allowed_statuses(draft, editor=True) == list(Status)
    published = make_article()
    assert workflow.allowed_statuses(published, editor=True) == [Status.DRAFT, Status.PUBLISHED]
    assert workflow.allowed_statuses(published, editor=False) == []


def test_only_staff_who_may_change_articles_edit_any(writer, desk_editor):
    draft = make_article(status=Status.DRAFT, created_by=writer)
    assert workflow.can_edit(writer, draft) and workflow.can_edit(desk_editor, draft)
    assert not workflow.can_edit(AnonymousUser(), draft)
    assert not workflow.can_edit(writer, make_article())


def test_editor_note_is_kept_when_sent_back_and_cleared_on_resubmission(desk_editor, writer):
    article = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    article_change_status(
        article=article, status=Status.DRAFT, user=desk_editor, note="Source the quote."
    )
    article.refresh_from_db()
    assert (article.status, article.review_note) == (Status.DRAFT, "Source the quote.")
    article_change_status(article=article, status=Status.IN_REVIEW, user=writer)
    article.refresh_from_db()
    assert (article.status, article.review_note) == (Status.IN_REVIEW, "")


def test_service_refuses_and_changes_nothing(writer):
    article = make_ready_article(created_by=writer)
    with pytest.raises(workflow.TransitionRefused):
        article_change_status(article=article, status=Status.PUBLISHED, user=writer)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.published_at is None


def test_first_publication_time_is_kept_through_unpublish_and_republish(desk_editor):
    article = make_ready_article()
    article_change_status(article=article, status=Status.PUBLISHED, user=desk_editor)
    first = article.published_at
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        article_change_status(article=article, status=Status.DRAFT, user=desk_editor)
        article_change_status(article=article, status=Status.PUBLISHED, user=desk_editor)
        article.refresh_from_db()
        assert article.published_at == first
        assert not article.was_updated()  # back as it was: nothing new for readers


def test_unpublished_article_scheduled_again_is_hidden_and_listed_as_scheduled_next(
    desk_editor, client
):
    article = make_ready_article()
    article_change_status(article=article, status=Status.PUBLISHED, user=desk_editor)
    article_change_status(article=article, status=Status.DRAFT, user=desk_editor)
    when = timezone.now() + timedelta(days=3)
    article.publish_at = when
    article_change_status(article=article, status=Status.SCHEDULED, user=desk_editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert list(Article.objects.upcoming()) == [article]
    with time_machine.travel(when + timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_sends_back_through_the_change_form_and_the_writer_sees_the_note(
    desk_editor_client, writer
):
    article = make_ready_article(status=Status.IN_REVIEW, created_by=writer)
    response = submit(desk_editor_client, change_url(article), status="draft", note="")
    assert "Add a note for the writer" in errors_of(response)
    response = submit(
        desk_editor_client, change_url(article), status="draft", note="Cut the second half."
    )
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.review_note == "Cut the second half."
    page = logged_in(writer).get(change_url(article))
    assert "Cut the second half." in page.content.decode()


def test_invalid_step_in_the_change_form_is_refused_with_a_message(desk_editor_client):
    article = make_ready_article(status=Status.PUBLISHED)
    response = submit(desk_editor_client, change_url(article), status="review")
    assert response.status_code == 200
    assert "already live; unpublish it back to draft" in errors_of(response)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def opened_then_saved_by_someone_else(client):
    """An article open in `client`'s change form, saved by someone else five minutes later;
    returns it and what the form would send."""
    article = make_ready_article()
    page = client.get(change_url(article))
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        Article.objects.get(pk=article.pk).save()
    return article, form_data(page)


def test_saving_over_a_newer_save_is_refused(desk_editor_client):
    article, data = opened_then_saved_by_someone_else(desk_editor_client)
    data["headline"] = "My stale edit"
    response = desk_editor_client.post(change_url(article), data)
    assert "after you opened it" in errors_of(response)
    article.refresh_from_db()
    assert article.headline != "My stale edit"


@pytest.mark.parametrize("loaded_version", ["", None])
def test_saving_an_article_without_the_version_it_was_opened_at_is_refused(
    desk_editor_client, loaded_version
):
    """Security finding 13.9: an empty or missing `loaded_version` skipped "first save wins"."""
    article, data = opened_then_saved_by_someone_else(desk_editor_client)
    data["headline"] = "My edit over theirs"
    if loaded_version is None:
        del data["loaded_version"]
    else:
        data["loaded_version"] = loaded_version
    response = desk_editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "reload the page" in errors_of(response)
    article.refresh_from_db()
    assert article.headline != "My edit over theirs"


def listing_urls(article):
    return [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        article.ordered_authors[0].get_absolute_url(),
    ]


def test_writer_drafts_and_submits_editor_schedules_and_it_appears_at_its_time(client):
    """The issue's 'done when': a writer account and an editor account, start to finish."""
    writer, editor = make_staff("writer"), make_staff("editor")
    section = make_section(name="World", slug="world")
    writer_client, editor_client = logged_in(writer), logged_in(editor)

    add = submit(
        writer_client,
        reverse("admin:articles_article_add"),
        headline="Power cuts spread across the coast",
        slug="power-cuts",
        standfirst="Engineers expect repairs to take days as storms keep crews from the lines.",
        body="Crews are out.",
        section=str(section.pk),
        tags="Energy, Weather",
        status="review",
        **{
            "author_links-TOTAL_FORMS": "1",
            "author_links-0-author": str(writer.author.pk),
            "author_links-0-order": "0",
        },
    )
    assert add.status_code == 302, errors_of(add)
    article = Article.objects.get(slug="power-cuts")
    assert article.status == Status.IN_REVIEW and article.created_by == writer

    go_live = (timezone.now() + timedelta(days=1)).replace(microsecond=0, second=0)
    schedule = submit(
        editor_client,
        change_url(article),
        status="scheduled",
        **datetime_fields("publish_at", go_live),
    )
    assert schedule.status_code == 302, errors_of(schedule)
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED and article.published_at == go_live

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        for url in listing_urls(article):
            assert b"Power cuts spread" not in client.get(url).content, url
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(go_live, tick=False):
        for url in listing_urls(article):
            assert b"Power cuts spread" in client.get(url).content, url
        assert client.get(article.get_absolute_url()).status_code == 200
