import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import correction_add
from articles.structured_data import correction_comments
from tests.admin_forms import datetime_fields, errors_of, submit
from tests.factories import make_article, make_author, make_ready_article

pytestmark = pytest.mark.django_db

Status = Article.Status


def dated(article, note, days_ago, kind=Correction.Kind.CORRECTION):
    return article.corrections.create(
        note=note, kind=kind, created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_corrections_page_lists_corrections_of_published_articles_newest_first(client):
    live = make_article(headline="Live story")
    hidden = make_article(headline="Draft story", status=Status.DRAFT)
    dated(live, "Older note.", 3)
    dated(live, "Newer note.", 1, kind=Correction.Kind.UPDATE)
    dated(hidden, "Secret note.", 0)
    response = client.get(reverse("articles:corrections"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer note.") < html.index("Older note.")
    assert "Secret note." not in html and "Draft story" not in html
    assert f'href="{live.get_absolute_url()}"' in html
    assert "<strong>Update</strong>" in html
    assert reverse("articles:corrections-feed") in html


def test_corrections_page_is_paginated(client):
    article = make_article()
    for n in range(31):
        dated(article, f"Note {n}.", n)
    first = client.get(reverse("articles:corrections"))
    assert len(first.context["corrections"]) == 30
    older = first.context["page_obj"].older
    assert f'href="?before={older}" rel="next"' in first.text
    second = client.get(reverse("articles:corrections"), {"before": str(older)})
    assert [c.note for c in second.context["corrections"]] == ["Note 30."]


def test_correction_of_a_scheduled_article_appears_when_the_article_does(client):
    when = timezone.now() + timedelta(hours=1)
    article = make_article(status=Status.SCHEDULED, publish_at=when)
    dated(article, "Scheduled note.", 0)
    with time_machine.travel(when - timedelta(seconds=1), tick=False):
        assert b"Scheduled note." not in client.get(reverse("articles:corrections")).content
        assert b"Scheduled note." not in client.get(reverse("articles:corrections-feed")).content
    with time_machine.travel(when, tick=False):
        assert b"Scheduled note." in client.get(reverse("articles:corrections")).content
        assert b"Scheduled note." in client.get(reverse("articles:corrections-feed")).content


def test_corrections_feed(client):
    live = make_article(headline="Live story")
    correction = dated(live, "We misstated the date.", 1)
    dated(make_article(status=Status.DRAFT), "Secret note.", 0)
    response = client.get(reverse("articles:corrections-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert "<title>Correction: Live story</title>" in xml
    assert "We misstated the date." in xml and "Secret note." not in xml
    link = f"http://testserver{live.get_absolute_url()}#correction-{correction.pk}"
    assert f"<link>{link}</link>" in xml
    guid = uuid.uuid5(live.uuid, f"correction-{correction.pk}").urn
    assert f'<guid isPermaLink="false">{guid}</guid>' in xml


def test_corrections_feed_links_to_the_correction_on_the_article_page(client):
    article = make_article(slug="live")
    correction = dated(article, "We misstated the date.", 1)
    xml = client.get(reverse("articles:corrections-feed")).content.decode()
    link = re.search(r"<link>http://testserver(/articles/live/)#(correction-\d+)</link>", xml)
    assert link.group(2) == f"correction-{correction.pk}"
    page = client.get(link.group(1)).content.decode()
    assert f'<li id="{link.group(2)}">' in page


def test_article_page_shows_corrections_with_dates_and_the_updated_time(client):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=2))
    article.refresh_from_db()
    correction_add(article=article, note="An earlier version misspelled a name.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "An earlier version misspelled a name." in html
    assert f'<time datetime="{article.corrections.get().created_at:%Y-%m-%d}' in html
    assert "Updated" in html


def test_structured_data_lists_corrections_oldest_first_as_correction_comments():
    article = make_article()
    first = dated(article, "Misspelled a name.", 2)
    dated(article, "New figures.", 1, kind=Correction.Kind.UPDATE)
    assert correction_comments(article.corrections.all()) == [
        {
            "@type": "CorrectionComment",
            "text": "Misspelled a name.",
            "datePublished": first.created_at.isoformat(),
        },
        {
            "@type": "CorrectionComment",
            "text": "Update: New figures.",
            "datePublished": article.corrections.first().created_at.isoformat(),
        },
    ]
    assert correction_comments(make_article().corrections.all()) == []


def test_adding_a_correction_to_a_published_article_bumps_its_updated_time():
    article = make_article()
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        correction_add(article=article, note="Fixed a figure.")
    article.refresh_from_db()
    assert article.updated_at == later and article.was_updated()


def test_adding_a_correction_to_a_draft_leaves_its_updated_time():
    article = make_article(status=Status.DRAFT)
    before = article.updated_at
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        correction_add(article=article, note="Not live yet.")
    article.refresh_from_db()
    assert article.updated_at == before


def test_correction_added_in_the_admin_bumps_the_updated_time(desk_editor_client):
    article = make_ready_article(status=Status.PUBLISHED)
    url = reverse("admin:articles_article_change", args=[article.pk])
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        response = submit(
            desk_editor_client,
            url,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-note": "We misnamed the minister.",
                **datetime_fields("corrections-0-created_at", later),
            },
        )
        assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.corrections.get().note == "We misnamed the minister."
    assert article.updated_at == later and article.was_updated()


def test_editor_may_delete_a_correction(desk_editor_client):
    article = make_ready_article(status=Status.PUBLISHED)
    article.corrections.create(note="Wrong one.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = submit(desk_editor_client, url, **{"corrections-0-DELETE": "on"})
    assert response.status_code == 302, errors_of(response)
    assert not article.corrections.exists()


def test_corrections_feed_names_its_articles_and_bylines_for_the_cache(client):
    author = make_author(name="Ana Silva")
    article = make_article(authors=[author])
    dated(article, "We misstated the date.", 1)
    response = client.get(reverse("articles:corrections-feed"))
    assert re.search(r"<dc:creator [^>]*>Ana Silva</dc:creator>", response.text)
    assert {"corrections", f"article-{article.pk}", f"author-{author.pk}"} <= set(
        response["xkey"].split()
    )
