from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author
from images.models import Image
from tests.admin_forms import change_url, errors_of, submit
from tests.factories import make_article, make_author, make_ready_article, make_section
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def test_changelist_shows_status_section_byline_and_tags(editor_client):
    make_article(headline="Listed story", authors=[make_author(name="Ana Silva")], tags=["Energy"])
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert b"Listed story" in response.content
    assert b"Ana Silva" in response.content
    assert b"Energy" in response.content


def test_changelist_search_and_filters_work(editor_client):
    make_article(headline="Oil talks")
    make_article(headline="Draft copy", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    assert b"Oil talks" in editor_client.get(url, {"q": "oil"}).content
    response = editor_client.get(url, {"status": "draft"})
    assert b"Draft copy" in response.content and b"Oil talks" not in response.content


def test_a_scheduled_article_shows_and_filters_as_published_once_live(editor_client):
    soon = make_article(
        headline="Goes live soon",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(minutes=5),
    )
    make_article(headline="Later story", status=Article.Status.SCHEDULED)
    url = reverse("admin:articles_article_changelist")

    def listed(**filters):
        response = editor_client.get(url, filters)
        rows = response.context["cl"].result_list
        return {article.headline: article.status_now for article in rows}

    assert listed()["Goes live soon"] == "scheduled"
    assert set(listed(status="scheduled")) == {"Goes live soon", "Later story"}
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert listed()["Goes live soon"] == "published"
        assert set(listed(status="published")) == {"Goes live soon"}
        assert set(listed(status="scheduled")) == {"Later story"}
        page = editor_client.get(url).content.decode()
        row = page[page.index("Goes live soon"):]
        assert row.index("Published") < row.index("</tr>")
        form = editor_client.get(change_url(soon)).content.decode()
        assert '<option value="published" selected>Published</option>' in form
    soon.refresh_from_db()
    assert soon.status == Article.Status.SCHEDULED  # nothing was saved by looking


def test_change_form_loads_with_all_inlines_and_callout_help(editor_client):
    article = make_article()
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    for prefix in ("author_links", "faq_items", "related_links", "corrections"):
        assert f'name="{prefix}-TOTAL_FORMS"'.encode() in response.content
    assert b"Pro Tip:" in response.content
    assert b"/articles/" in response.content  # view on site


def test_editor_adds_article_with_faq_through_the_admin(editor_client):
    author, section = make_author(), make_section()
    data = {
        "headline": "Admin-made story",
        "slug": "admin-made-story",
        "kind": "news",
        "standfirst": "A standfirst long enough for search engines to show as the summary.",
        "section": section.pk,
        "body": "Pro Tip: Works.",
        "tags": "Energy, Oil",
        "status": "published",
        "allow_comments": "on",
        "author_links-TOTAL_FORMS": "1",
        "author_links-INITIAL_FORMS": "0",
        "author_links-0-author": author.pk,
        "author_links-0-order": "0",
        "faq_items-TOTAL_FORMS": "1",
        "faq_items-INITIAL_FORMS": "0",
        "faq_items-0-question": "Why?",
        "faq_items-0-answer": "Because.",
        "faq_items-0-order": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    article = Article.objects.get(slug="admin-made-story")
    assert article.is_published()
    assert article.faq_items.get().answer == "Because."
    assert "callout-tip" in article.body_html
    assert article.ordered_authors == [author]


def test_scheduled_without_time_is_a_form_error_and_saves_nothing(editor_client):
    data = {
        "headline": "No time",
        "slug": "no-time",
        "status": "scheduled",
        "author_links-TOTAL_FORMS": "0",
        "author_links-INITIAL_FORMS": "0",
        "faq_items-TOTAL_FORMS": "0",
        "faq_items-INITIAL_FORMS": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert b"Choose when a scheduled article goes live" in response.content
    assert not Article.objects.exists()


def test_bulk_publish_and_unpublish_actions(editor_client):
    draft = make_ready_article()
    url = reverse("admin:articles_article_changelist")
    editor_client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published()
    editor_client.post(url, {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert not draft.is_published()


def test_related_article_autocomplete_finds_by_headline(editor_client):
    make_article(headline="Findable by headline")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "findable",
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target",
        },
    )
    assert response.status_code == 200
    assert "Findable by headline" in response.content.decode()


def test_section_and_author_admins_load(editor_client):
    assert editor_client.get(reverse("admin:articles_section_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:articles_author_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:articles_author_add")).status_code == 200


def test_editor_picks_a_staff_account_to_link_to_an_author(
    desk_editor, desk_editor_client, writer, django_user_model
):
    django_user_model.objects.create_user("not-staff")
    author = make_author(name="Freelancer")
    url = reverse("admin:articles_author_change", args=[author.pk])
    page = desk_editor_client.get(url)
    assert page.status_code == 200
    assert f'<option value="{writer.pk}">{writer.username}</option>' in page.text
    assert "not-staff" not in page.text
    Author.objects.filter(user=writer).update(user=None)
    response = submit(desk_editor_client, url, form_id="author_form", user=str(writer.pk))
    assert response.status_code == 302, errors_of(response)
    author.refresh_from_db()
    assert author.user == writer
    assert not desk_editor.has_perm("auth.view_user")  # nothing granted for it


def test_editor_may_give_a_section_a_slug_in_its_own_script(editor_client, client):
    response = editor_client.post(
        reverse("admin:articles_section_add"),
        {"name": "Экономика", "slug": "экономика", "order": 0},
    )
    assert response.status_code == 302, errors_of(response)
    assert client.get("/sections/экономика/").status_code == 200


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_change_form_of_an_unpublished_article_links_to_its_preview(editor_client):
    draft = make_article(status=Article.Status.DRAFT, slug="draft-story")
    response = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    preview = 'href="/articles/draft-story/" class="viewsitelink" target="_blank" rel="noopener">'
    assert preview + "Preview</a>" in response.text
    live = make_article()
    response = editor_client.get(reverse("admin:articles_article_change", args=[live.pk]))
    assert ">Preview</a>" not in response.text


def change_slug(client, article, slug):
    response = submit(client, change_url(article), slug=slug)
    assert response.status_code == 302, errors_of(response)


def test_renaming_a_published_article_keeps_the_old_address_working(editor_client, client):
    article = make_article(slug="first-address")
    change_slug(editor_client, article, "second-address")
    response = client.get("/articles/first-address/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/second-address/"
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "first-address" in response.text  # shown as an old address


def test_renaming_a_draft_records_no_old_address(editor_client):
    article = make_article(slug="draft-address", status=Article.Status.DRAFT)
    change_slug(editor_client, article, "better-address")
    assert not article.old_slugs.exists()


def test_renaming_an_article_taken_off_the_site_keeps_its_old_address(editor_client, client):
    article = make_ready_article(slug="original-address")
    for changes in ({"status": "published"}, {"status": "draft"}, {"slug": "new-address"}):
        response = submit(editor_client, change_url(article), **changes)
        assert response.status_code == 302, errors_of(response)
    assert submit(editor_client, change_url(article), status="published").status_code == 302
    response = client.get("/articles/original-address/")
    assert (response.status_code, response["Location"]) == (301, "/articles/new-address/")


@pytest.mark.parametrize(
    ("changes", "updated"),
    [
        ({}, False),
        ({"allow_comments": None}, False),  # comments closed: not an update
        ({"headline": "A sharper headline"}, True),
        ({"tags": "Energy, Oil"}, True),
        (
            {
                "faq_items-TOTAL_FORMS": "1",
                "faq_items-0-question": "Q?",
                "faq_items-0-answer": "A",
                "faq_items-0-order": "0",
            },
            True,
        ),
    ],
)
def test_saving_a_live_article_marks_it_updated_only_when_readers_see_a_change(
    desk_editor_client, client, changes, updated
):
    article = make_ready_article(status=Article.Status.PUBLISHED)
    first = article.updated_at
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        response = submit(desk_editor_client, change_url(article), **changes)
        assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.updated_at == (later if updated else first)
    assert ("Updated <time" in client.get(article.get_absolute_url()).text) is updated


# The lead image


def test_editor_gives_an_article_a_lead_image_from_the_library(editor_client):
    article = make_article()
    image = make_image(title="Harbour")
    response = submit(editor_client, change_url(article), lead_image=str(image.pk))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.lead_image == image
    page = editor_client.get(change_url(article)).text
    assert f'<option value="{image.pk}" selected>Harbour</option>' in page
    thumbnail = reverse("admin:images_image_thumbnail", args=[image.pk])
    assert f'<img class="image-chooser-preview" src="{thumbnail}"' in page
    assert "images/chooser.js" in page


def test_writer_finds_library_pictures_by_typing_for_the_lead_image(writer_client):
    make_image(title="Harbour at dawn")
    make_image(title="Parliament")
    response = writer_client.get(
        reverse("admin:autocomplete"),
        {"term": "harb", "app_label": "articles", "model_name": "article",
         "field_name": "lead_image"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Harbour at dawn"]


def test_a_picture_leading_an_article_cannot_be_deleted_from_the_library(editor_client):
    image = make_image(title="Harbour")
    make_article(headline="Harbour reopens", lead_image=image)
    delete = reverse("admin:images_image_delete", args=[image.pk])
    page = editor_client.get(delete)
    assert "protected" in page.text and "Harbour reopens" in page.text
    editor_client.post(delete, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_editor_marks_evergreen_articles_reviewed_today_from_the_list(desk_editor_client):
    evergreen, other = make_article(), make_article()
    with time_machine.travel("2026-05-06 10:00 +00:00"):
        response = desk_editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "mark_reviewed", "_selected_action": [evergreen.pk]},
            follow=True,
        )
    assert "1 article marked as reviewed today." in response.text
    evergreen.refresh_from_db()
    other.refresh_from_db()
    assert (evergreen.last_reviewed.isoformat(), other.last_reviewed) == ("2026-05-06", None)


def test_writers_cannot_mark_articles_reviewed(writer, writer_client):
    article = make_article(created_by=writer)
    writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "mark_reviewed", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.last_reviewed is None


def test_article_form_offers_the_type_dateline_and_how_we_reported_this(editor_client):
    article = make_article(kind="opinion", dateline="KYIV", reporting_notes="Six interviews.")
    form = editor_client.get(change_url(article)).context["adminform"].form
    assert (form["kind"].value(), form["dateline"].value()) == ("opinion", "KYIV")
    assert form["reporting_notes"].value() == "Six interviews."
    response = submit(
        editor_client, change_url(article), kind="sponsored", dateline="", reporting_notes=""
    )
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert (article.kind, article.dateline, article.reporting_notes) == ("sponsored", "", "")
