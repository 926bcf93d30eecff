from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.models import PreviewLink
from desk.services import preview_link_revoke
from tests.admin_forms import datetime_fields, errors_of, form_data
from tests.factories import make_ready_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_ready_article(headline="Secret draft about the merger")


def test_change_form_links_staff_to_a_preview_of_the_draft(writer, writer_client):
    article = make_ready_article(created_by=writer)
    page = writer_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert f'href="{article.get_absolute_url()}"'.encode() in page.content
    assert b">Preview</a>" in page.content
    preview = writer_client.get(article.get_absolute_url())
    assert preview.status_code == 200 and "no-cache" in preview["Cache-Control"]


def test_editor_shares_a_preview_link_from_the_change_form(desk_editor, desk_editor_client, draft):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = form_data(desk_editor_client.get(url))
    data.update(
        {
            "preview_links-TOTAL_FORMS": "1",
            "preview_links-0-shared_with": "Legal: J. Smith",
            **datetime_fields("preview_links-0-expires_at", timezone.now() + timedelta(hours=48)),
        }
    )
    response = desk_editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    link = PreviewLink.objects.get()
    assert link.created_by == desk_editor and link.shared_with == "Legal: J. Smith"
    page = desk_editor_client.get(url)
    assert link.get_absolute_url().encode() in page.content


def test_new_link_defaults_to_48_hours():
    with time_machine.travel("2030-01-01 12:00Z", tick=False):
        link = PreviewLink(article=Article())
        assert link.expires_at == timezone.now() + timedelta(hours=48)


def test_anonymous_visitor_reads_the_draft_through_the_link(client, draft):
    link = PreviewLink.objects.create(article=draft, shared_with="Legal: outside counsel")
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    # The article's own page (desk/article_preview.html extends articles/article_detail.html).
    assert response.templates[0].name == "desk/article_preview.html"
    assert '<article class="article">' in response.text
    assert response.context["article"] == draft
    html = response.content.decode()
    assert "Secret draft about the merger" in html
    assert "Preview — not for publication." in html
    assert "outside counsel" not in html  # the editors' note on whom it is for
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(draft.get_absolute_url()).status_code == 404  # the link opens only itself


def test_link_stops_working_when_it_expires(client, draft):
    link = PreviewLink.objects.create(article=draft)
    with time_machine.travel(link.expires_at - timedelta(seconds=1), tick=False):
        assert client.get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(link.expires_at, tick=False):
        response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert b"It expired on" in response.content
    assert b"Secret draft" not in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_revoked_link_stops_working_at_once(client, draft):
    link = PreviewLink.objects.create(article=draft)
    preview_link_revoke(link=link)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410 and b"switched it off" in response.content
    assert not link.is_active()


def test_editor_revokes_a_link_from_the_change_form(desk_editor_client, client, draft):
    link = PreviewLink.objects.create(article=draft)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = form_data(desk_editor_client.get(url))
    data["preview_links-0-revoke"] = "on"
    response = desk_editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "x" + token,  # key changed
        lambda token: token.split(":")[0],  # signature removed
        lambda token: "nonsense",
    ],
)
def test_tampered_links_are_not_found(client, draft, tamper):
    link = PreviewLink.objects.create(article=draft)
    url = reverse("desk:preview", kwargs={"token": tamper(link.token)})
    response = client.get(url)
    assert response.status_code == 404
    assert b"Secret draft" not in response.content


def test_link_to_a_deleted_article_is_gone(client, draft):
    link = PreviewLink.objects.create(article=draft)
    url = link.get_absolute_url()
    draft.delete()
    assert client.get(url).status_code == 404


def test_each_link_has_its_own_unguessable_key(draft):
    first, second = (PreviewLink.objects.create(article=draft) for _ in range(2))
    assert first.key != second.key and len(first.key) >= 32
    assert first.key in first.token and first.token != second.token
