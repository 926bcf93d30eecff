import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsletter.models import Edition, Subscriber
from tests.factories import make_article, make_edition, make_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBERS = reverse("admin:newsletter_subscriber_changelist")
EXPORT = reverse("admin:newsletter_subscriber_export")


def edition_url(name, edition):
    return reverse(f"admin:newsletter_edition_{name}", args=[edition.pk])


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# Subscribers


def test_subscriber_list_shows_counts_by_status_and_filters(editor_client):
    article = make_article(headline="Oil deal")
    make_subscriber(email="ana@example.com", source="article", source_article=article)
    make_subscriber(email="ben@example.com", status="pending", source="home")
    make_subscriber(status="bounced")
    response = editor_client.get(SUBSCRIBERS)
    html = response.content.decode()
    assert "Confirmed: <strong>1</strong>" in html
    assert "Pending confirmation: <strong>1</strong>" in html
    assert "Bounced: <strong>1</strong>" in html
    filtered = editor_client.get(SUBSCRIBERS, {"source_article__id__exact": article.pk})
    assert list(filtered.context["cl"].result_list) == [
        Subscriber.objects.get(email="ana@example.com")
    ]
    by_status = editor_client.get(SUBSCRIBERS, {"status__exact": "pending", "q": "ben"})
    assert [s.email for s in by_status.context["cl"].result_list] == ["ben@example.com"]
    by_source = editor_client.get(SUBSCRIBERS, {"source__exact": "home"})
    assert [s.email for s in by_source.context["cl"].result_list] == ["ben@example.com"]


def test_csv_export_streams_confirmed_subscribers_only(editor_client):
    article = make_article(headline="Oil deal")
    make_subscriber(email="ana@example.com", name="Ana", source="article", source_article=article)
    make_subscriber(email="pending@example.com", status="pending")
    make_subscriber(email="gone@example.com", status="unsubscribed")
    response = editor_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["email", "name", "confirmed_at", "source", "source_article"]
    assert [row[0] for row in rows[1:]] == ["ana@example.com"]
    assert rows[1][1] == "Ana" and rows[1][4] == "Oil deal"


def test_csv_export_reads_rows_only_while_streaming(editor_client):
    for _ in range(5):
        make_subscriber()
    with CaptureQueriesContext(connection) as before:
        response = editor_client.get(EXPORT)
    assert not any("newsletter_subscriber" in q["sql"] for q in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        rows = read_csv(response)
    assert len(rows) == 6
    assert any("newsletter_subscriber" in q["sql"] for q in during.captured_queries)


def test_csv_export_defuses_spreadsheet_formulas_in_names(editor_client):
    make_subscriber(name='=HYPERLINK("http://evil")')
    rows = read_csv(editor_client.get(EXPORT))
    assert rows[1][1].startswith("'=")


def test_csv_export_needs_view_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("intern", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(EXPORT).status_code == 403


def test_mark_bounced_action(editor_client):
    a, b = make_subscriber(), make_subscriber()
    response = editor_client.post(
        SUBSCRIBERS, {"action": "mark_bounced", "_selected_action": [a.pk]}, follow=True
    )
    assert "1 subscriber marked as bounced" in response.content.decode()
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == ("bounced", "confirmed")


def test_subscriber_added_in_the_admin_is_stored_in_lower_case(editor_client):
    response = editor_client.post(
        reverse("admin:newsletter_subscriber_add"),
        {"email": "Ana@Example.com", "name": "", "status": "confirmed", "source": "admin"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Subscriber.objects.get().email == "ana@example.com"


# Editions


def test_new_edition_starts_with_the_articles_since_the_previous_one(editor_client):
    older, newer = make_article(headline="Older"), make_article(headline="Newer")
    make_article(headline="Draft", status=Article.Status.DRAFT)
    response = editor_client.get(reverse("admin:newsletter_edition_add"))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial["article"] for form in formset.forms] == [newer.pk, older.pk]


def test_editor_composes_an_edition_with_ordered_articles(editor_client, editor):
    first, second = make_article(), make_article()
    response = editor_client.post(
        reverse("admin:newsletter_edition_add"),
        {
            "subject": "Weekly", "intro": "Hello.",
            "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
            "items-0-article": second.pk, "items-0-order": "1",
            "items-1-article": first.pk, "items-1-order": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.ordered_articles() == [second, first]
    assert (edition.created_by, edition.status) == (editor, Edition.Status.DRAFT)


def test_an_unpublished_article_cannot_be_put_in_an_edition(editor_client):
    draft = make_article(status=Article.Status.DRAFT)
    response = editor_client.post(
        reverse("admin:newsletter_edition_add"),
        {
            "subject": "Weekly", "intro": "",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
            "items-0-article": draft.pk, "items-0-order": "1",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Only published articles" in response.content.decode()
    assert not Edition.objects.exists()


def test_preview_shows_the_rendered_email(editor_client):
    article = make_article(headline="Oil & gas")
    edition = make_edition(subject="Weekly", articles=[article])
    response = editor_client.get(edition_url("preview", edition))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Weekly" in html and "List-Unsubscribe-Post" in html
    assert 'sandbox srcdoc="' in html
    assert "Oil &amp;amp; gas" in html  # the email's HTML, escaped once more inside srcdoc
    assert "Oil &amp; gas" in html  # the plain-text version


def test_preview_page_alone_allows_the_emails_inline_styles_and_still_no_scripts(editor_client):
    edition = make_edition(articles=[make_article()])
    policy = editor_client.get(edition_url("preview", edition))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy
    change = editor_client.get(reverse("admin:newsletter_edition_change", args=[edition.pk]))
    assert "unsafe-inline" not in change["Content-Security-Policy"]


def test_change_page_links_preview_test_and_send(editor_client):
    edition = make_edition(articles=[make_article()])
    html = editor_client.get(edition_url("change", edition)).content.decode()
    for name in ("preview", "send_test", "send"):
        assert edition_url(name, edition) in html


def test_send_a_test_to_me(editor_client, editor, mailoutbox):
    edition = make_edition(subject="Weekly", articles=[make_article()])
    assert editor.email in editor_client.get(edition_url("send_test", edition)).content.decode()
    response = editor_client.post(edition_url("send_test", edition), follow=True)
    assert f"A test email was sent to {editor.email}" in response.content.decode()
    assert [(m.to, m.subject) for m in mailoutbox] == [([editor.email], "[Test] Weekly")]


def test_send_a_test_explains_a_missing_editor_email(editor_client, editor, mailoutbox):
    editor.email = ""
    editor.save()
    edition = make_edition(articles=[make_article()])
    response = editor_client.post(edition_url("send_test", edition), follow=True)
    assert "Your account has no email address" in response.content.decode()
    assert mailoutbox == []


def test_send_to_all_asks_first_then_queues(
    editor_client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    make_subscriber(), make_subscriber(), make_subscriber(status="pending")
    edition = make_edition(subject="Weekly", articles=[make_article()])
    confirm = editor_client.get(edition_url("send", edition))
    assert "all <strong>2</strong> confirmed subscribers" in confirm.content.decode()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        response = editor_client.post(edition_url("send", edition), follow=True)
    assert len(enqueued) == 1
    assert "Sending runs in the background" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING and mailoutbox == []
    assert "Queued" in response.content.decode()
    assert '<meta http-equiv="refresh"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_send_to_all_with_an_immediate_task_backend_reports_the_count(
    editor_client, mailoutbox, settings
):
    """Outside a test transaction, as in production, the task starts when the queueing commits."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    make_subscriber(), make_subscriber()
    edition = make_edition(articles=[make_article()])
    response = editor_client.post(edition_url("send", edition), follow=True)
    assert "Sent to 2 subscribers." in response.content.decode()
    assert "2 of 2 sent" in response.content.decode()
    assert len(mailoutbox) == 2


def test_sent_edition_is_read_only_and_cannot_be_sent_again(editor_client, mailoutbox):
    now = timezone.now()
    edition = make_edition(
        subject="Done", articles=[make_article()], status=Edition.Status.SENT,
        queued_at=now, sent_at=now, planned_at=now, recipient_count=3, sent_count=3,
    )  # fmt: skip
    html = editor_client.get(edition_url("change", edition)).content.decode()
    assert 'name="subject"' not in html
    assert "3 of 3 sent" in html
    assert edition_url("send", edition) not in html
    response = editor_client.post(edition_url("send", edition), follow=True)
    assert "already been sent" in response.content.decode()
    assert mailoutbox == []


def test_sending_to_everyone_needs_the_send_permission(client, django_user_model):
    user = django_user_model.objects.create_user("desk", "desk@example.com", "x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_edition", "change_edition"])
    )
    client.force_login(user)
    edition = make_edition(articles=[make_article()])
    assert client.get(edition_url("preview", edition)).status_code == 200
    assert client.post(edition_url("send", edition)).status_code == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


@pytest.mark.parametrize("page", ["preview", "send_test", "send"])
def test_action_pages_use_the_admins_breadcrumb_list(editor_client, page):
    edition = make_edition()
    html = editor_client.get(edition_url(page, edition)).content.decode()
    crumbs = html[html.index('<ol class="breadcrumbs">') :].split("</ol>")[0]
    change = reverse("admin:newsletter_edition_change", args=[edition.pk])
    assert f'<li><a href="{change}">{edition.subject}</a></li>' in crumbs
    assert '<li aria-current="page">' in crumbs
    assert '<div class="breadcrumbs">' not in html
