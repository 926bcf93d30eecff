from datetime import timedelta
from unittest import mock

import markdown
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section
from desk import checklist
from tests.admin_forms import change_url, datetime_fields, errors_of, submit
from tests.factories import make_article, make_ready_article

Status = Article.Status


def ready(**changes):
    """A Draft passing every rule, with `changes` applied."""
    fields = {
        "headline": "Storm cuts power to the coast",
        "standfirst": "Engineers expect repairs to take days as storms keep crews from the lines.",
        "body": "Crews are out. [The operator](https://example.com/outages) has a map.",
        "section": Section(name="World"),
        "authors": [Author(name="Ana Silva")],
        "tags": ["Energy"],
    }
    fields.update(changes)
    return checklist.Draft(**fields)


def messages(report):
    return report.failures, report.warnings


def test_a_complete_draft_passes_without_warnings():
    report = checklist.run(ready())
    assert report.passed and report.warnings == []
    assert [check.title for check in report.checks][:3] == ["Byline", "Section", "Tags"]


def test_the_checklist_renders_the_body_once_for_its_callout_and_link_rules():
    body = "Pro Tip: Call first.\n\nSee [the map](https://example.com/outages)."
    with mock.patch.object(markdown, "Markdown", wraps=markdown.Markdown) as renders:
        report = checklist.run(ready(body=body))
    assert report.passed and renders.call_count == 1


@pytest.mark.parametrize(
    ("changes", "failure"),
    [
        ({"authors": []}, "Add at least one author"),
        ({"section": None}, "File the article in a section"),
        ({"tags": []}, "Add at least one tag"),
        ({"headline": "  "}, "Write a headline"),
        ({"standfirst": "", "seo_description": ""}, "Write a standfirst or a meta description"),
        ({"faq": [("Why?", "")]}, "FAQ item 1 has no answer"),
        ({"faq": [("Why?", "Because."), ("", "Yes.")]}, "FAQ item 2 has no question"),
        ({"body": "Pro Tip:\n\nText."}, "A “Pro Tip” box is empty"),
        ({"body": "[map](https://)"}, "has an address readers can't follow"),
        ({"body": "[map](http://exa mple.com)"}, "has an address readers can't follow"),
        ({"body": "[map](https://example..com/x)"}, "not a valid web address"),
        ({"body": "[map](https://example.com:99999/)"}, "has an address readers can't follow"),
        ({"body": "[map](https://-example.com/)"}, "not a valid web address"),
        ({"body": "[click](javascript:alert(1))"}, "has an address readers can't follow"),
    ],
)
def test_hard_failures(changes, failure):
    report = checklist.run(ready(**changes))
    assert not report.passed
    assert any(failure in message for message in report.failures), report.failures


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"headline": "x" * 71}, "search results cut titles"),
        ({"standfirst": "Too short."}, "aim for 50–160"),
        ({"seo_description": "y" * 161}, "search engines cut it after 160"),
        ({"body": "[map](www.example.com/map)"}, "without https://"),
    ],
)
def test_soft_warnings_do_not_block(changes, warning):
    report = checklist.run(ready(**changes))
    assert report.passed
    assert any(warning in message for message in report.warnings), report.warnings


def test_long_headline_is_fine_with_an_seo_title():
    assert checklist.run(ready(headline="x" * 90, seo_title="Short title")).warnings == []


def test_internal_and_mail_links_are_fine():
    body = "[home](/) [faq](#faq) [mail](mailto:desk@example.com) [site](https://example.com)"
    assert checklist.run(ready(body=body)).passed


@pytest.mark.django_db
def test_related_links_must_point_at_published_articles():
    live = make_article(headline="Live one")
    draft = make_article(headline="Unfinished one", status=Status.DRAFT)
    later = make_article(
        headline="Later one",
        status=Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=2),
    )
    now = timezone.now()
    report = checklist.run(ready(related=[live, draft, later], goes_live=now))
    assert report.failures == [
        "Related article “Unfinished one” is draft; link only to published articles."
    ]
    assert report.warnings == [
        "Related article “Later one” goes live after this one; readers won't see the link "
        "until then."
    ]
    assert checklist.run(ready(related=[later], goes_live=now + timedelta(days=3))).warnings == []


@pytest.mark.django_db
def test_draft_of_a_saved_article_reads_its_inlines():
    target = make_article(headline="Target")
    article = make_ready_article(tags=["Energy", "Oil"])
    article.faq_items.create(question="Q?", answer="")
    article.related_links.create(target=target)
    draft = checklist.Draft.of_article(article)
    assert draft.tags == ["Energy", "Oil"] and draft.faq == [("Q?", "")]
    assert draft.related == [target] and len(draft.authors) == 1
    assert checklist.run(draft).failures == ["FAQ item 1 has no answer."]


@pytest.mark.django_db
def test_change_form_shows_the_checklist(desk_editor_client):
    article = make_article(status=Status.DRAFT, tags=[])
    page = desk_editor_client.get(change_url(article)).content.decode()
    assert "Pre-publish checklist" in page
    assert "Tags: Add at least one tag." in page
    assert "✔</span> Headline" in page


@pytest.mark.django_db
def test_publishing_with_hard_failures_is_blocked_and_the_edits_are_kept(desk_editor_client):
    article = make_ready_article(status=Status.IN_REVIEW)
    response = submit(
        desk_editor_client, change_url(article), status="published", tags="", headline="New"
    )
    assert response.status_code == 200
    assert "Not ready to go live: Add at least one tag." in errors_of(response)
    assert response.context["adminform"].form["headline"].value() == "New"
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW and article.headline != "New"


@pytest.mark.django_db
def test_checklist_sees_inlines_sent_with_the_form(desk_editor_client):
    article = make_ready_article(status=Status.IN_REVIEW)
    response = submit(
        desk_editor_client,
        change_url(article),
        status="published",
        **{"author_links-0-DELETE": "on"},
    )
    assert "Not ready to go live: Add at least one author" in errors_of(response)
    response = submit(
        desk_editor_client,
        change_url(make_article(status=Status.DRAFT, tags=["Energy"], section=article.section)),
        status="published",
        **{
            "author_links-TOTAL_FORMS": "1",
            "author_links-0-author": str(article.ordered_authors[0].pk),
            "author_links-0-order": "0",
        },
    )
    assert response.status_code == 302, errors_of(response)


@pytest.mark.django_db
def test_scheduling_runs_the_checklist_too(desk_editor_client):
    article = make_article(status=Status.IN_REVIEW)  # no section, byline or tags
    response = submit(
        desk_editor_client,
        change_url(article),
        status="scheduled",
        **datetime_fields("publish_at", timezone.now() + timedelta(days=1)),
    )
    errors = errors_of(response)
    assert "File the article in a section" in errors and "Add at least one author" in errors


@pytest.mark.django_db
def test_warnings_are_shown_after_publishing(desk_editor_client):
    article = make_ready_article(status=Status.IN_REVIEW, standfirst="Short.")
    response = submit(desk_editor_client, change_url(article), status="published")
    assert response.status_code == 302, errors_of(response)
    page = desk_editor_client.get(response["Location"]).content.decode()
    assert "Gone through with warnings" in page and "aim for 50–160" in page


@pytest.mark.django_db
def test_bulk_publish_runs_the_same_rules(desk_editor_client):
    complete = make_ready_article(headline="Complete")
    incomplete = make_article(headline="Incomplete", status=Status.DRAFT, tags=[])
    response = desk_editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.is_published() and incomplete.status == Status.DRAFT
    page = response.content.decode()
    assert "1 article published." in page
    assert "Not published: “Incomplete”: Not ready to go live: Add at least one author" in page
