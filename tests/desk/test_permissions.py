"""Who may do what in the admin, including requests forged past the hidden buttons."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk.models import PreviewLink
from desk.roles import EDITOR_EXCLUDED, EDITORS, EDITORS_IN_CHIEF, WRITERS, grant_role_permissions
from tests.admin_forms import change_url, datetime_fields, errors_of, form_data, submit
from tests.conftest import logged_in
from tests.factories import make_article, make_author, make_ready_article, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = "admin:articles_article_changelist"


def codes(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_writers_may_write_but_not_publish_or_delete_corrections():
    writers = codes(WRITERS)
    assert {"articles.add_article", "articles.change_article", "articles.add_correction"} <= writers
    assert "articles.publish_article" not in writers
    assert "articles.delete_correction" not in writers
    assert "articles.delete_article" not in writers


def app_permissions(app_label):
    in_app = Permission.objects.filter(content_type__app_label=app_label)
    assert in_app.exists()
    return {f"{app_label}.{p.codename}" for p in in_app}


def test_editors_hold_every_permission_of_the_editorial_apps():
    editors = codes(EDITORS)
    owners_only = {f"articles.{codename}" for codename in EDITOR_EXCLUDED}
    for app_label in ("articles", "reversion", "comments", "newsletter", "images", "desk"):
        assert app_permissions(app_label) - owners_only <= editors
    assert "articles.publish_article" in editors


def test_editors_read_the_policy_pages_but_only_the_editor_in_chief_changes_them():
    editors, chief = codes(EDITORS), codes(EDITORS_IN_CHIEF)
    changes = {f"articles.{action}_policypage" for action in ("add", "change", "delete")}
    assert "articles.view_policypage" in editors
    assert not changes & editors
    assert changes <= chief


def test_security_tables_and_tag_maintenance_are_the_editor_in_chiefs():
    chief, editors, writers = codes(EDITORS_IN_CHIEF), codes(EDITORS), codes(WRITERS)
    for app_label in ("auth", "axes", "otp_totp", "otp_static", "taggit"):
        assert app_permissions(app_label) <= chief
        assert not app_permissions(app_label) & (editors | writers)


def app_names(client):
    return [app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]]


def test_the_menu_shows_editors_the_newsroom_and_the_chief_the_security_tables_too():
    editor_menu = app_names(logged_in(make_staff("editor")))
    assert editor_menu[:4] == ["articles", "images", "comments", "newsletter"]
    for hidden in ("auth", "axes", "otp_totp", "otp_static", "taggit"):
        assert hidden not in editor_menu
    chief_menu = app_names(logged_in(make_staff("editor-in-chief")))
    assert chief_menu[:4] == editor_menu[:4]
    assert {"auth", "axes", "otp_totp", "otp_static", "taggit"} <= set(chief_menu)
    writer_menu = app_names(logged_in(make_staff("writer")))
    assert "taggit" not in writer_menu and "auth" not in writer_menu


def test_permissions_added_later_reach_editors_after_migrate():
    content_type = ContentType.objects.get(app_label="articles", model="article")
    new = Permission.objects.create(
        codename="feature_article", name="Can feature", content_type=content_type
    )
    assert "articles.feature_article" not in codes(EDITORS)
    call_command("migrate", verbosity=0)
    assert "articles.feature_article" in codes(EDITORS)
    assert "articles.feature_article" not in codes(WRITERS)
    assert grant_role_permissions("articles") == 0  # already in step
    new.delete()


def test_groups_come_back_if_missing():
    Group.objects.filter(name=WRITERS).delete()
    grant_role_permissions("articles")
    assert "articles.add_article" in codes(WRITERS)


def test_writer_is_offered_only_draft_and_review(writer_client):
    page = writer_client.get(reverse("admin:articles_article_add"))
    select = re.search(r'<select name="status".*?</select>', page.content.decode(), re.S).group()
    assert re.findall(r'<option value="(\w+)"', select) == ["draft", "review"]
    assert 'name="note"' not in page.content.decode()


def test_writer_adding_an_article_is_recorded_as_its_creator(writer, writer_client):
    response = submit(
        writer_client, reverse("admin:articles_article_add"), headline="Mine", slug="mine"
    )
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get(slug="mine").created_by == writer


def test_forged_publish_from_the_writers_change_form_is_refused(writer, writer_client):
    article = make_ready_article(created_by=writer)
    for status in ("published", "scheduled"):
        response = submit(
            writer_client,
            change_url(article),
            status=status,
            **datetime_fields("publish_at", timezone.now() + timedelta(days=1)),
        )
        assert response.status_code == 200
        assert "Only editors can" in errors_of(response)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.published_at is None


def test_writer_edits_and_submits_own_draft(writer, writer_client):
    article = make_ready_article(created_by=writer)
    response = submit(writer_client, change_url(article), headline="Better", status="review")
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Better", Status.IN_REVIEW)


def test_writer_sees_but_cannot_post_to_someone_elses_draft(writer_client):
    article = make_ready_article()
    page = writer_client.get(change_url(article))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    data = form_data(page)
    data.update(headline="Hijacked", status="draft")
    assert writer_client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.headline != "Hijacked"


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.SCHEDULED])
def test_writer_cannot_edit_or_unpublish_own_live_article(writer, writer_client, status):
    article = make_ready_article(status=status, created_by=writer)
    page = writer_client.get(change_url(article))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    data = {"headline": "Changed", "status": "draft"}
    assert writer_client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.status == status and article.headline != "Changed"


@pytest.mark.parametrize("action", ["publish_selected", "unpublish_selected"])
def test_forged_bulk_publish_and_unpublish_by_a_writer_change_nothing(
    writer, writer_client, action
):
    draft = make_ready_article(created_by=writer)
    live = make_ready_article(status=Status.PUBLISHED, created_by=writer)
    response = writer_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [draft.pk, live.pk]}
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Status.DRAFT, Status.PUBLISHED)


def test_writer_list_offers_only_submit_for_review(writer, writer_client):
    make_ready_article(created_by=writer)
    page = writer_client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish_selected"' not in page and 'value="unpublish_selected"' not in page


def test_bulk_submit_moves_own_drafts_and_refuses_others(writer, writer_client):
    own, other = make_ready_article(created_by=writer), make_ready_article()
    response = writer_client.post(
        reverse(CHANGELIST),
        {"action": "submit_for_review", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (Status.IN_REVIEW, Status.DRAFT)
    page = response.content.decode()
    assert "1 article submitted for review." in page
    assert "only change your own drafts" in page


def test_writer_cannot_delete_a_correction_even_by_forging_the_form(writer, writer_client):
    article = make_ready_article(created_by=writer)
    correction = article.corrections.create(note="An earlier version misspelled a name.")
    page = writer_client.get(change_url(article))
    assert b'name="corrections-0-DELETE"' not in page.content
    data = form_data(page)
    data["corrections-0-DELETE"] = "on"
    response = writer_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    assert article.corrections.filter(pk=correction.pk).exists()


def test_writer_cannot_delete_articles(writer, writer_client):
    article = make_ready_article(created_by=writer)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert writer_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def preview_link_rows(data):
    return {
        **data,
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-INITIAL_FORMS": "0",
        "preview_links-0-shared_with": "A friend",
        **datetime_fields("preview_links-0-expires_at", timezone.now() + timedelta(days=1)),
    }


def test_writer_shares_a_preview_link_to_their_own_draft_as_a_full_address(
    writer, writer_client
):
    article = make_ready_article(created_by=writer)
    page = writer_client.get(change_url(article))
    assert b"preview_links-TOTAL_FORMS" in page.content
    response = writer_client.post(change_url(article), preview_link_rows(form_data(page)))
    assert response.status_code == 302, errors_of(response)
    link = PreviewLink.objects.get()
    assert link.created_by == writer
    html = writer_client.get(change_url(article)).content.decode()
    assert f'>{settings.NEWSROOM_SITE_URL}{link.get_absolute_url()}</textarea>' in html
    assert 'class="button copy-button" data-copy="preview-link-' in html
    assert "desk/copy-link.js" in html


def test_writer_cannot_forge_a_preview_link_to_someone_elses_draft(writer, desk_editor_client):
    theirs = make_ready_article(authors=[make_author()])
    other_writer_client = logged_in(make_staff("writer"))
    data = preview_link_rows(form_data(desk_editor_client.get(change_url(theirs))))
    assert other_writer_client.post(change_url(theirs), data).status_code == 403
    assert not PreviewLink.objects.exists()


def test_writer_gets_no_preview_links_once_the_article_is_live(writer, writer_client):
    article = make_ready_article(created_by=writer, status=Status.PUBLISHED)
    page = writer_client.get(change_url(article))
    assert b'name="preview_links-0-shared_with"' not in page.content
    response = writer_client.post(change_url(article), preview_link_rows(form_data(page)))
    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


def test_writer_cannot_roll_back_a_published_article(writer, writer_client, desk_editor_client):
    article = make_ready_article(created_by=writer)
    submit(writer_client, change_url(article), headline="Writer's version")
    article.refresh_from_db()
    submit(desk_editor_client, change_url(article), status="published")
    version = Version.objects.get_for_object(article).last()  # the writer's draft
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert writer_client.get(url).status_code == 403
    assert writer_client.post(url, {"status": "draft"}).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_writer_cannot_recover_deleted_articles(writer, writer_client, desk_editor_client):
    make_ready_article(created_by=writer)
    recoverlist = reverse("admin:articles_article_recoverlist")
    assert recoverlist.encode() not in writer_client.get(reverse(CHANGELIST)).content
    assert recoverlist.encode() in desk_editor_client.get(reverse(CHANGELIST)).content
    assert desk_editor_client.get(recoverlist).status_code == 200
    assert writer_client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    recover = reverse("admin:articles_article_recover", args=[1])
    assert writer_client.post(recover).status_code == 403


def test_editor_publishes_edits_live_copy_and_unpublishes(desk_editor_client):
    article = make_ready_article(status=Status.IN_REVIEW)
    response = submit(desk_editor_client, change_url(article), status="published")
    assert response.status_code == 302, errors_of(response)
    response = submit(desk_editor_client, change_url(article), headline="Corrected headline")
    assert response.status_code == 302, errors_of(response)
    desk_editor_client.post(
        reverse(CHANGELIST), {"action": "unpublish_selected", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.headline == "Corrected headline"
    assert article.status == Status.DRAFT and article.published_at is not None


def test_editor_is_offered_preview_links_and_the_note(desk_editor_client):
    page = desk_editor_client.get(change_url(make_article(status=Status.IN_REVIEW)))
    assert b"preview_links-TOTAL_FORMS" in page.content
    assert b'name="note"' in page.content
