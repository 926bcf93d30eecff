"""The paste screen and the upload screen."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
PASTE = """Ministers agree on a new energy deal

by Ana Silva

Europe's energy ministers agreed a deal on Tuesday after long talks.

The deal sets out three goals for the next decade.

What the Deal Means

Prices should fall by 2027, according to the International Energy Agency (https://www.iea.org/).

Pro Tip: Compare tariffs every year.

FAQ

Q: When does it start?
A: In January.
"""


def test_paste_shows_the_structured_article_before_anything_is_saved(writer_client):
    response = writer_client.post(
        "/admin/ingest/importrecord/paste/", {"text": PASTE, "headings": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ministers agree on a new energy deal" in html
    assert "<li>What the Deal Means</li>" in html
    assert "<strong>Pro Tip</strong> Compare tariffs every year." in html
    assert "Q: When does it start?" in html
    assert "International Energy Agency → https://www.iea.org/" in html
    assert not Article.objects.exists()


def test_editor_fixes_the_preview_and_creates_a_draft(writer, writer_client):
    response = writer_client.post("/admin/ingest/importrecord/paste/", {
        "create": "1", "headline": "Fixed headline", "standfirst": "A standfirst.",
        "bylines": "Ana Silva", "body": "A body.\n\n## A section\n\nMore.",
        "faq": "Q: Why?\nA: Because.", "source": "abc",
    })  # fmt: skip
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.headline, article.status) == ("Fixed headline", Article.Status.DRAFT)
    assert article.created_by == writer
    assert [a.name for a in article.ordered_authors] == ["Ana Silva"]
    assert [(f.question, f.answer) for f in article.faq_items.all()] == [("Why?", "Because.")]


def test_pasted_text_that_is_not_an_article_is_a_form_error(writer_client):
    response = writer_client.post("/admin/ingest/importrecord/paste/", {"text": "Only a headline"})
    assert "no body" in response.content.decode()


def test_paste_needs_the_add_article_permission(client, django_user_model):
    user = django_user_model.objects.create_user("guest", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/ingest/importrecord/paste/").status_code == 403


def test_upload_needs_the_editor_in_chief_permission(desk_editor_client):
    assert desk_editor_client.get("/admin/ingest/importrecord/upload/").status_code == 403


def test_editor_in_chief_uploads_a_wxr_and_sees_the_summary(client):
    client.force_login(make_staff("editor-in-chief"))  # the role holds it: no grant by hand
    upload = SimpleUploadedFile("site.xml", (FIXTURES / "small.wxr.xml").read_bytes())
    response = client.post("/admin/ingest/importrecord/upload/", {"file": upload})
    html = response.content.decode()
    assert "6 created, 2 skipped" in html
    assert "unknown shortcode [pullquote]" in html
    assert Article.objects.count() == 6


def test_editor_in_chief_uploads_ninjs(client):
    chief = make_staff("editor")
    chief.user_permissions.add(Permission.objects.get(codename="import_archive"))
    client.force_login(chief)
    upload = SimpleUploadedFile("item.json", (FIXTURES / "ninjs" / "item-2x.json").read_bytes())
    response = client.post("/admin/ingest/importrecord/upload/", {"file": upload, "dry_run": "on"})
    assert "1 created" in response.content.decode()
    assert not Article.objects.exists()
