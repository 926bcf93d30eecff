"""The comment moderation queue in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.admin_forms import errors_of, form_data
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response


def test_queue_lists_pending_comments_first_newest_first(editor_client):
    article = make_article()
    now = timezone.now()
    make_comment(article, body="Approved newest", created_at=now)
    make_comment(
        article, body="Pending older", status="pending", created_at=now - timedelta(hours=2)
    )
    make_comment(
        article, body="Pending newer", status="pending", created_at=now - timedelta(hours=1)
    )
    make_comment(article, body="Spam oldest", status="spam", created_at=now - timedelta(days=1))
    rows = [c.body for c in changelist(editor_client).context["cl"].result_list]
    assert rows == ["Pending newer", "Pending older", "Approved newest", "Spam oldest"]


def test_queue_shows_email_and_links_the_article(editor_client):
    article = make_article(headline="Linked story")
    make_comment(article, email="reader@example.com")
    content = changelist(editor_client).content.decode()
    assert "reader@example.com" in content
    assert f'href="{reverse("admin:articles_article_change", args=[article.pk])}"' in content
    assert "Linked story" in content


def test_queue_filters_by_status_and_article_and_searches(editor_client):
    one, other = make_article(headline="One"), make_article(headline="Other")
    make_comment(one, body="Pending on one", status="pending")
    make_comment(one, body="Approved on one")
    make_comment(other, body="Pending on other", status="pending", name="Zed")

    def bodies(**params):
        return {c.body for c in changelist(editor_client, **params).context["cl"].result_list}

    assert bodies(status__exact="pending") == {"Pending on one", "Pending on other"}
    assert bodies(article__id__exact=one.pk) == {"Pending on one", "Approved on one"}
    assert bodies(q="Zed") == {"Pending on other"}
    assert bodies(q="Other") == {"Pending on other"}  # by article headline


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve_selected", Comment.Status.APPROVED),
        ("reject_selected", Comment.Status.REJECTED),
        ("mark_spam_selected", Comment.Status.SPAM),
    ],
)
def test_bulk_actions_moderate_the_selected_comments(editor_client, action, status):
    article = make_article()
    chosen = [make_comment(article, status="pending") for _ in range(2)]
    untouched = make_comment(article, status="pending")
    response = editor_client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"2 comments" in response.content
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list("status", flat=True)
    ) == {status}
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING


def test_approved_in_the_admin_appears_under_the_article(editor_client):
    article = make_article()
    comment = make_comment(article, body="Worth publishing", status="pending")
    assert b"Worth publishing" not in Client().get(article.get_absolute_url()).content
    editor_client.post(
        reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [comment.pk]}
    )
    assert b"Worth publishing" in Client().get(article.get_absolute_url()).content


@pytest.fixture
def staff_without_moderation(django_user_model):
    user = django_user_model.objects.create_user("intern", "i@example.com", "pw-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_the_moderation_permission_cannot_moderate(staff_without_moderation):
    comment = make_comment(make_article(), status="pending")
    response = staff_without_moderation.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert b"approve_selected" not in response.content
    staff_without_moderation.post(
        reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    form = staff_without_moderation.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert b'name="status"' not in form.content


def test_change_form_shows_details_read_only_and_no_add_button(editor_client):
    comment = make_comment(make_article(), ip_hash="ab" * 32, user_agent="Browser/1")
    response = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert response.status_code == 200
    assert b'name="status"' in response.content
    assert b'name="ip_hash"' not in response.content and b"Browser/1" in response.content
    assert editor_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_readers_and_anonymous_visitors_cannot_see_the_queue():
    make_comment(make_article(), email="secret@example.com")
    response = Client().get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert b"secret@example.com" not in response.content


def test_a_removed_comment_shows_as_such_and_its_words_cannot_be_put_back(editor_client):
    article = make_article()
    parent = make_comment(article)
    make_comment(article, parent=parent)
    services.comment_delete(comment=parent)
    assert "Removed by its writer" in changelist(editor_client).content.decode()
    url = reverse("admin:comments_comment_change", args=[parent.pk])
    form = editor_client.get(url)
    assert form.status_code == 200
    assert set(form.context["adminform"].form.fields) == {"status"}
    response = editor_client.post(url, {"status": "rejected", "name": "Back", "body": "Again"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert (parent.status, parent.name, parent.body) == ("rejected", "", "")


# Replies from the newsroom.


def reply_from_the_queue(client, comment, reply, **changes):
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = form_data(client.get(url), "comment_form")
    data.update(reply=reply, **changes)
    return client.post(url, data)


def test_staff_reply_from_the_queue_shows_on_the_cached_article_page_at_once(
    desk_editor, desk_editor_client, client
):
    article = make_article()
    question = make_comment(article, body="When does the bridge reopen?")
    page = client.get(article.get_absolute_url())
    assert "Staff</span>" not in page.text
    assert client.get(article.get_absolute_url()).text == page.text  # served from the cache
    response = reply_from_the_queue(desk_editor_client, question, "On Monday, the council says.")
    assert response.status_code == 302, errors_of(response)
    reply = Comment.objects.get(parent=question)
    assert reply.is_approved() and reply.from_staff and reply.staff_user == desk_editor
    assert reply.name == desk_editor.author.name
    html = client.get(article.get_absolute_url()).text
    assert "On Monday, the council says." in html
    assert (
        f'<span class="comment-author">{desk_editor.author.name}</span> '
        '<span class="comment-badge">Staff</span>'
    ) in html


def test_approving_and_replying_in_one_save(editor_client):
    pending = make_comment(make_article(), status="pending")
    response = reply_from_the_queue(editor_client, pending, "Thanks.", status="approved")
    assert response.status_code == 302, errors_of(response)
    assert Comment.objects.get(parent=pending).is_approved()


def test_no_reply_under_a_comment_readers_do_not_see(editor_client):
    pending = make_comment(make_article(), status="pending")
    response = reply_from_the_queue(editor_client, pending, "Thanks.")
    assert response.status_code == 200
    assert "Approve the comment to reply" in errors_of(response)
    assert not Comment.objects.filter(parent=pending).exists()


def test_a_reply_to_a_reply_joins_its_thread(editor_client):
    first = make_comment(make_article())
    answer = make_comment(first.article, parent=first)
    assert reply_from_the_queue(editor_client, answer, "Both of you are right.").status_code == 302
    assert Comment.objects.filter(parent=first, from_staff=True).count() == 1


def test_staff_without_an_email_address_may_reply(editor, editor_client):
    editor.email = ""
    editor.save()
    question = make_comment(make_article())
    assert reply_from_the_queue(editor_client, question, "Yes.").status_code == 302
    assert Comment.objects.get(parent=question).email == ""


def test_staff_who_may_not_moderate_get_no_reply_box(writer):
    writer.user_permissions.add(Permission.objects.get(codename="change_comment"))
    comment = make_comment(make_article())
    page = Client()
    page.force_login(writer)
    html = page.get(reverse("admin:comments_comment_change", args=[comment.pk])).text
    assert 'name="reply"' not in html
