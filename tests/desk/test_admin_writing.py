"""The writing desk's endpoints on the article form: preview, autosave and presence. Each takes
POSTs only, with the CSRF token, and lets through exactly whom the form lets save."""

from datetime import UTC, datetime
from unittest import mock

import markdown
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from desk import checklist, writing
from desk.models import Autosave, Presence
from tests.admin_forms import change_url, form_data, submit
from tests.factories import make_article, make_ready_article, make_staff
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db

Status = Article.Status


def url(name, article=None):
    if article is None:
        return reverse(f"admin:articles_article_new_{name}")
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


def writer_client(writer):
    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def writer():
    return make_staff("writer")


def own_draft(writer, **fields):
    fields.setdefault("status", Status.DRAFT)
    return make_article(created_by=writer, **fields)


# The preview


def test_preview_renders_the_body_as_the_site_does_with_figures_and_checklist(editor_client):
    article = make_ready_article(body="Old.")
    body = "# Where it went\n\nPro Tip: Read the audit.\n\nPull quote: Never again.\n— A clerk"
    response = editor_client.post(url("preview_body", article), {"headline": "Audit", "body": body})
    assert response.status_code == 200
    answer = response.json()
    assert '<h2 id="where-it-went">Where it went</h2>' in answer["html"]
    assert 'class="callout callout-tip"' in answer["html"]
    assert '<p class="pull-quote-source">A clerk</p>' in answer["html"]
    assert "<h1>Audit</h1>" in answer["html"]
    saved = Article(body=body)
    saved.render_body()  # the length the article will have once saved
    assert (answer["words"], answer["reading_time"]) == (saved.word_count, saved.reading_time)
    assert answer["figures"] == f"{saved.word_count} words · 1 min read"
    assert "prepublish-checklist" in answer["checklist"]


def test_preview_shows_the_faq_rows_sent_with_the_form(editor_client):
    article = make_ready_article()
    page = editor_client.get(change_url(article))
    data = form_data(page, "article_form")
    data.update({
        "faq_items-TOTAL_FORMS": "1", "faq_items-0-question": "Why now?",
        "faq_items-0-answer": "The audit.", "faq_items-0-order": "0",
    })  # fmt: skip
    answer = editor_client.post(url("preview_body", article), data).json()
    assert "<summary>Why now?</summary>" in answer["html"]
    assert "✔</span> FAQ" in answer["checklist"]


def test_preview_shows_the_dateline_and_reporting_notes_as_the_page_does(editor_client):
    article = make_ready_article()
    answer = editor_client.post(
        url("preview_body", article),
        {"body": "Text.", "dateline": "LAGOS, Nigeria", "reporting_notes": "We read the audit."},
    ).json()
    assert '<p class="article-dateline">LAGOS, Nigeria</p>' in answer["html"]
    assert "How we reported this" in answer["html"] and "We read the audit." in answer["html"]


def test_preview_places_library_pictures_as_the_article_page_does(editor_client):
    image = make_image(alt_text="Cranes at the quay")
    article = make_ready_article()
    answer = editor_client.post(
        url("preview_body", article), {"body": f"![[image:{image.pk}|16:9|The quay]]"}
    ).json()
    assert "<figure" in answer["html"] and 'alt="Cranes at the quay"' in answer["html"]
    assert "The quay" in answer["html"]


def test_preview_checklist_follows_the_form_not_the_stored_article(editor_client):
    article = make_ready_article()
    page = editor_client.get(change_url(article))
    data = form_data(page, "article_form")
    data["tags"] = ""
    answer = editor_client.post(url("preview_body", article), data).json()
    assert "Tags: Add at least one tag." in answer["checklist"]
    data["tags"] = "Energy"
    answer = editor_client.post(url("preview_body", article), data).json()
    assert "✔</span> Tags" in answer["checklist"]


def test_preview_loads_every_picture_of_the_body_at_once(editor_client):
    article = make_ready_article()
    images = [make_image(alt_text=f"Picture {n}") for n in range(3)]

    def queries(body):
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.post(url("preview_body", article), {"body": body})
        assert response.status_code == 200
        return len(captured)

    three = "\n\n".join(f"![[image:{image.pk}]]" for image in images)
    queries(three)  # the first showing makes the pictures' missing renditions
    assert queries(three) == queries(f"![[image:{images[0].pk}]]")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_preview_renders_the_body_and_runs_the_checklist_once(editor_client, status):
    """Once whether or not the form takes the article live (its clean() runs the checklist)."""
    article = make_ready_article()
    data = form_data(editor_client.get(change_url(article)), "article_form")
    data.update(status=status, body="Pro Tip: Read [the audit](https://example.com/audit).")
    with (
        mock.patch.object(markdown, "Markdown", wraps=markdown.Markdown) as renders,
        mock.patch.object(writing, "figures", wraps=writing.figures) as figures,
        mock.patch.object(checklist, "run", wraps=checklist.run) as checks,
        mock.patch.object(checklist.Draft, "of_article", wraps=checklist.Draft.of_article) as reads,
    ):
        answer = editor_client.post(url("preview_body", article), data).json()
    assert 'class="callout callout-tip"' in answer["html"]
    assert "✔</span> Links" in answer["checklist"]
    assert (renders.call_count, figures.call_count, checks.call_count) == (1, 1, 1)
    assert reads.call_count == 1  # the stored rows the form's inlines leave out, read once


def test_preview_shows_the_body_as_the_save_keeps_it(editor_client):
    article = make_ready_article()
    answer = editor_client.post(url("preview_body", article), {"body": "    Indented.\n"}).json()
    assert "<p>Indented.</p>" in answer["html"]  # the form trims it: no code block once saved
    assert "<code>" not in answer["html"]


def test_preview_saves_nothing(editor_client):
    article = make_ready_article(body="Stored body.")
    before = Article.objects.values().get(pk=article.pk)
    editor_client.post(url("preview_body", article), {"body": "Typed body.", "headline": "New"})
    assert Article.objects.values().get(pk=article.pk) == before
    assert not Autosave.objects.exists()


def test_preview_of_a_new_article_needs_the_add_permission(editor_client, writer):
    assert editor_client.post(url("preview"), {"body": "Hello."}).status_code == 200
    assert writer_client(writer).post(url("preview"), {"body": "Hello."}).status_code == 200
    reader = make_staff("writer")
    reader.groups.clear()
    assert writer_client(reader).post(url("preview"), {"body": "Hello."}).status_code == 403


def test_writer_may_preview_their_own_draft_but_not_another_writers(writer):
    client = writer_client(writer)
    mine = own_draft(writer)
    theirs = make_article(status=Status.DRAFT, created_by=make_staff("writer"))
    assert client.post(url("preview_body", mine), {"body": "x"}).status_code == 200
    assert client.post(url("preview_body", theirs), {"body": "x"}).status_code == 403


def test_writer_may_not_preview_their_published_article(writer):
    live = make_article(created_by=writer, status=Status.PUBLISHED)
    response = writer_client(writer).post(url("preview_body", live), {"body": "x"})
    assert response.status_code == 403  # the form is read-only for them, as it is here


def test_preview_of_a_missing_article_is_not_found(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_preview_body", args=[987654]), {"body": "x"}
    )
    assert response.status_code == 404


def test_preview_refuses_get_and_a_post_without_a_body(editor_client):
    article = make_article()
    assert editor_client.get(url("preview_body", article)).status_code == 405
    response = editor_client.post(url("preview_body", article), {"headline": "No body"})
    assert response.status_code == 400
    assert response.json()["error"] == "The form sent no body to preview."


def test_endpoints_need_a_staff_login():
    article = make_article()
    anonymous = Client()
    for name in ("preview_body", "autosave", "presence"):
        response = anonymous.post(url(name, article), {"body": "x"})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Autosave.objects.exists() and not Presence.objects.exists()


def test_endpoints_refuse_a_post_without_the_csrf_token(editor):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    for name in ("preview_body", "autosave", "discard", "presence"):
        assert client.post(url(name, article), {"body": "x"}).status_code == 403, name
    assert not Autosave.objects.exists() and not Presence.objects.exists()


# Autosave


def test_autosave_keeps_the_form_for_its_author_without_touching_the_article(editor_client, editor):
    article = make_ready_article(body="Stored body.")
    before = Article.objects.values().get(pk=article.pk)
    page = editor_client.get(change_url(article))
    data = form_data(page, "article_form")
    data["body"] = "Typed\r\nbody."
    response = editor_client.post(url("autosave", article), data)
    assert response.status_code == 200 and response.json()["clock"]
    kept = Autosave.objects.get(user=editor, article=article)
    assert kept.data["body"] == ["Typed\nbody."]
    assert "csrfmiddlewaretoken" not in kept.data
    assert kept.loaded_version == article.saved_at.isoformat()
    assert Article.objects.values().get(pk=article.pk) == before
    assert not Version.objects.get_for_object(article).exists()


def test_autosave_of_a_new_article_is_kept_without_an_article(editor_client, editor):
    response = editor_client.post(url("autosave"), {"headline": "Fresh", "body": "First lines."})
    assert response.status_code == 200
    assert Autosave.objects.get(user=editor, article=None).values("headline") == ["Fresh"]
    editor_client.post(url("autosave"), {"headline": "Fresher", "body": "First lines."})
    assert Autosave.objects.get(user=editor, article=None).values("headline") == ["Fresher"]


def test_the_add_form_offers_the_new_article_autosave_back(editor_client, editor):
    editor_client.post(url("autosave"), {"headline": "Fresh", "body": "First lines."})
    page = editor_client.get(reverse("admin:articles_article_add"))
    differences = {d.label: d.after for d in page.context["writing_desk"]["differences"]}
    assert differences == {"Headline": "Fresh", "Body": "First lines."}
    assert b"Your unsaved changes from" in page.content
    assert b"data-presence-url" not in page.content  # no one else can have it open


def test_autosave_refuses_get_and_a_post_without_a_body(editor_client):
    article = make_article()
    assert editor_client.get(url("autosave", article)).status_code == 405
    assert editor_client.post(url("autosave", article), {"headline": "x"}).status_code == 400
    assert not Autosave.objects.exists()


def test_writer_may_not_autosave_another_writers_article(writer):
    theirs = make_article(status=Status.DRAFT, created_by=make_staff("writer"))
    response = writer_client(writer).post(url("autosave", theirs), {"body": "Mine now."})
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_reopening_offers_the_persons_own_autosave_with_what_differs(editor_client, editor):
    article = make_ready_article(headline="Harbour reopens", body="The quay is open.")
    page = editor_client.get(change_url(article))
    data = form_data(page, "article_form")
    data.update(headline="Harbour reopens at dawn", body="The new quay is open.")
    editor_client.post(url("autosave", article), data)

    page = editor_client.get(change_url(article))
    html = page.content.decode()
    assert "Your unsaved changes from" in html
    assert 'id="writing-autosave-data"' in html
    differences = {d.label: d for d in page.context["writing_desk"]["differences"]}
    assert set(differences) == {"Headline", "Body"}
    assert differences["Headline"].after == "Harbour reopens at dawn"
    assert str(differences["Body"].diff) == "The<ins> new</ins> quay is open."
    assert page.context["writing_desk"]["saved_since"] is False


def test_another_persons_autosave_is_never_shown(editor_client, writer):
    article = own_draft(writer, body="Stored.")
    writer_client(writer).post(url("autosave", article), {"body": "The writer's secret draft."})
    assert Autosave.objects.filter(user=writer).exists()
    page = editor_client.get(change_url(article))
    assert b"secret draft" not in page.content
    assert b"Your unsaved changes" not in page.content
    assert "autosave" not in page.context["writing_desk"]
    # and dismissing one's own (none) leaves the writer's alone
    editor_client.post(url("discard", article))
    assert Autosave.objects.filter(user=writer).exists()


def test_the_offer_says_when_the_article_was_saved_since(editor_client, editor):
    article = make_ready_article(body="Old.")
    editor_client.post(url("autosave", article), {"body": "Mine.", "loaded_version": "2020-01-01"})
    page = editor_client.get(change_url(article))
    assert page.context["writing_desk"]["saved_since"] is True
    assert b"The article has been saved since you made them" in page.content


def test_dismissing_deletes_the_autosave(editor_client, editor):
    article = make_ready_article()
    editor_client.post(url("autosave", article), {"body": "Kept."})
    assert editor_client.get(url("discard", article)).status_code == 405
    response = editor_client.post(url("discard", article))
    assert response.json() == {"discarded": 1}
    assert not Autosave.objects.exists()


def test_a_successful_save_deletes_the_autosave(editor_client, editor):
    article = make_ready_article(body="Old.")
    editor_client.post(url("autosave", article), {"body": "New."})
    response = submit(editor_client, change_url(article), body="New.", _continue="1")
    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_an_autosave_arriving_after_its_own_save_is_not_kept(editor_client, editor):
    article = make_ready_article(body="Old.")
    opened = article.saved_at.isoformat()
    response = submit(editor_client, change_url(article), body="New.", _continue="1")
    assert response.status_code == 302
    late = editor_client.post(url("autosave", article), {"body": "New.", "loaded_version": opened})
    assert late.status_code == 409
    assert not Autosave.objects.exists()


def test_an_autosave_of_a_form_someone_else_saved_over_is_kept(editor_client, editor, writer):
    article = own_draft(writer, body="Old.")
    opened = article.saved_at.isoformat()
    client = writer_client(writer)
    assert submit(client, change_url(article), body="Writer's.").status_code == 302
    response = editor_client.post(
        url("autosave", article), {"body": "Editor's.", "loaded_version": opened}
    )
    assert response.status_code == 200  # the editor's save will be refused: this keeps the work
    assert Autosave.objects.get(user=editor).values("body") == ["Editor's."]


def test_a_refused_save_keeps_the_autosave(editor_client, editor):
    article = make_ready_article(body="Old.")
    editor_client.post(url("autosave", article), {"body": "New."})
    response = submit(editor_client, change_url(article), body="New.", loaded_version="stale")
    assert response.status_code == 200  # the form again, with the conflict
    assert Autosave.objects.filter(user=editor, article=article).exists()


def test_saving_a_new_article_deletes_the_new_article_autosave(editor_client, editor):
    editor_client.post(url("autosave"), {"headline": "Fresh", "body": "First lines."})
    response = submit(
        editor_client,
        reverse("admin:articles_article_add"),
        headline="Fresh",
        slug="fresh",
        body="First lines.",
    )
    assert response.status_code == 302
    assert not Autosave.objects.exists()


# Presence


def test_heartbeat_answers_who_is_editing(editor_client, editor, writer):
    article = own_draft(writer)
    writer_client(writer).post(url("presence", article), {})
    answer = editor_client.post(
        url("presence", article), {"loaded_version": article.saved_at.isoformat()}
    ).json()
    assert answer["holder"]["name"] == writer.get_username()
    assert answer["holder"]["you"] is False
    assert answer["heartbeat"] == 20
    assert "saved_by" not in answer


def test_the_second_editor_is_told_who_is_editing_when_the_form_opens(editor_client, writer):
    article = own_draft(writer)
    writer_client(writer).post(url("presence", article), {})
    page = editor_client.get(change_url(article))
    assert f"<strong>{writer.get_username()}</strong> has been editing since".encode() in (
        page.content
    )


def test_the_editor_who_has_the_article_is_not_told_about_themselves(editor_client):
    article = make_ready_article()
    editor_client.post(url("presence", article), {})
    page = editor_client.get(change_url(article))
    assert b"has been editing since" not in page.content


def test_taking_over_makes_the_second_editor_the_holder(editor_client, editor, writer):
    article = own_draft(writer)
    client = writer_client(writer)
    client.post(url("presence", article), {})
    answer = editor_client.post(url("presence", article), {"take_over": "1"}).json()
    assert answer["holder"]["you"] is True
    writer_answer = client.post(url("presence", article), {}).json()
    assert writer_answer["holder"]["name"] == editor.get_username()
    assert writer_answer["holder"]["you"] is False


def test_heartbeat_says_who_saved_since_the_form_was_opened(editor_client, writer):
    article = own_draft(writer, body="Old.")
    opened = article.saved_at.isoformat()
    client = writer_client(writer)
    page = client.get(change_url(article))
    data = form_data(page, "article_form")
    data["body"] = "Writer's change."
    assert client.post(change_url(article), data).status_code == 302
    answer = editor_client.post(url("presence", article), {"loaded_version": opened}).json()
    assert answer["saved_by"] == writer.get_username()
    assert answer["saved_at"] != opened


def test_presence_refuses_get_and_people_who_may_not_change_the_article(writer):
    theirs = make_article(status=Status.DRAFT, created_by=make_staff("writer"))
    client = writer_client(writer)
    assert client.get(url("presence", theirs)).status_code == 405
    assert client.post(url("presence", theirs), {}).status_code == 403
    assert not Presence.objects.exists()


def test_a_writer_who_may_only_view_still_sees_who_is_editing(editor_client, writer):
    article = make_article(status=Status.DRAFT)
    editor_client.post(url("presence", article), {})
    page = writer_client(writer).get(change_url(article))
    assert page.status_code == 200
    assert b"has been editing since" in page.content
    assert b"data-presence-url" not in page.content  # no heartbeat for a read-only form
    assert b"Markdown help" not in page.content


def test_times_are_in_the_site_time_zone_and_name_it(editor_client, writer, settings):
    settings.TIME_ZONE = "Europe/London"
    article = own_draft(writer)
    with time_machine.travel(datetime(2026, 7, 6, 9, 2, tzinfo=UTC), tick=False):
        writer_client(writer).post(url("presence", article), {})
        answer = editor_client.post(url("presence", article), {}).json()
        page = editor_client.get(change_url(article))
        kept = editor_client.post(url("autosave", article), {"body": "Mine."}).json()
    assert answer["holder"]["clock"] == "10:02 BST"
    assert b"has been editing since <time datetime=" in page.content
    assert b">10:02 BST</time>" in page.content
    assert kept["clock"] == "10:02 BST"


def test_the_desk_loads_on_the_article_form_only(editor_client):
    article = make_article()
    assert b"desk/writing.js" in editor_client.get(change_url(article)).content
    assert b"desk/writing.js" in editor_client.get(reverse("admin:articles_article_add")).content
    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert b"desk/writing.js" not in listing.content
