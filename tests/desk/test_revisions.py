import json
from datetime import timedelta

import pytest
import reversion
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains
from reversion.models import Revision, Version
from taggit.models import TaggedItem

from articles.models import Article, Correction, FaqItem, RelatedLink
from desk import revisions
from tests.admin_forms import change_url, datetime_fields, errors_of, form_data, submit
from tests.factories import make_article, make_comment, make_ready_article
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def versions_of(article):
    """Oldest first."""
    return list(Version.objects.get_for_object(article).order_by("pk"))


@pytest.fixture
def edited_twice(editor_client):
    """A published article saved twice: FAQ, related link and tags changed in between."""
    target = make_article(headline="Background piece")
    article = make_ready_article(
        headline="First headline", body="The ministry said on Monday.", tags=["Energy", "Oil"]
    )
    first = submit(
        editor_client,
        change_url(article),
        status="published",
        **{
            "faq_items-TOTAL_FORMS": "1",
            "faq_items-0-question": "Why now?",
            "faq_items-0-answer": "Because of the storm.",
            "faq_items-0-order": "0",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-target": str(target.pk),
            "related_links-0-order": "0",
        },
    )
    assert first.status_code == 302, errors_of(first)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        second = submit(
            editor_client,
            change_url(article),
            headline="Second headline",
            body="The ministry said on Tuesday.",
            tags="Energy",
            **{
                "faq_items-0-DELETE": "on",
                "faq_items-TOTAL_FORMS": "2",
                "faq_items-1-question": "Who pays?",
                "faq_items-1-answer": "The operator.",
                "faq_items-1-order": "1",
                "related_links-0-DELETE": "on",
            },
        )
        assert second.status_code == 302, errors_of(second)
    article.refresh_from_db()
    return article, target


def test_each_admin_save_keeps_a_revision_with_inlines_tags_and_who(edited_twice, editor):
    article, target = edited_twice
    first, second = versions_of(article)
    assert first.revision.user == editor and second.revision.user == editor
    state = revisions.ArticleState.of_version(first).inline_items()
    assert state["FAQ"] == ["Why now? — Because of the storm."]
    assert state["Related articles"] == ["Background piece"]
    assert state["Tags"] == ["Energy", "Oil"]
    faq = revisions.ArticleState.of_version(second).inline_items()["FAQ"]
    assert faq == ["Who pays? — The operator."]


def test_history_lists_revisions_with_who_and_compare_choices(edited_twice, editor_client):
    article, _ = edited_twice
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    html = page.content.decode()
    assert html.count('name="from"') == 2 and html.count('name="to"') == 2
    assert "editor" in html
    assert "Compare selected revisions" in html


def test_compare_shows_field_and_inline_differences(edited_twice, editor_client):
    article, _ = edited_twice
    first, second = versions_of(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"from": second.pk, "to": first.pk})  # either order
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert response.context["older"] == first
    headline = next(c for c in comparison.fields if c.label == "Headline")
    assert (headline.before, headline.after) == ("First headline", "Second headline")
    html = response.content.decode()
    assert "<del>Monday.</del><ins>Tuesday.</ins>" in html
    inlines = {inline.label: inline for inline in comparison.inlines}
    assert inlines["FAQ"].removed == ["Why now? — Because of the storm."]
    assert inlines["FAQ"].added == ["Who pays? — The operator."]
    assert inlines["Related articles"].removed == ["Background piece"]
    assert inlines["Tags"].removed == ["Oil"] and inlines["Tags"].kept == ["Energy"]
    assert not inlines["Byline"].changed
    assert list(inlines) == ["Byline", "FAQ", "Related articles", "Tags"]
    assert "Roll back to the revision" in html


def test_compare_refuses_bad_choices(edited_twice, editor_client):
    article, _ = edited_twice
    first, _second = versions_of(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"from": first.pk, "to": first.pk}, follow=True)
    assert b"Choose two different revisions" in response.content
    assert editor_client.get(url, {"from": "x", "to": first.pk}).status_code == 302
    for huge in ("99999999999999999999999", "١"):
        response = editor_client.get(url, {"from": huge, "to": first.pk}, follow=True)
        assert b"Choose two different revisions" in response.content
    other = make_ready_article()
    submit(editor_client, change_url(other), headline="Other")
    foreign = versions_of(other)[0]
    assert editor_client.get(url, {"from": first.pk, "to": foreign.pk}).status_code == 404


def test_word_diff_escapes_html():
    html = revisions.word_diff("a <b>", "a <i>")
    assert html == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"


def test_rollback_restores_faq_items_related_links_and_tags(edited_twice, editor_client):
    article, target = edited_twice
    published_at = article.published_at
    first, _second = versions_of(article)
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and b"Why now?" in page.content
    article.refresh_from_db()
    assert article.headline == "Second headline"  # looking does not change anything

    response = editor_client.post(url, form_data(page, "restore_form"))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert "Monday" in article.body and "Monday" in article.body_html
    assert [(f.question, f.answer) for f in article.faq_items.all()] == [
        ("Why now?", "Because of the storm.")
    ]
    assert [link.target for link in article.related_links.all()] == [target]
    assert sorted(tag.name for tag in article.tags.all()) == ["Energy", "Oil"]
    assert article.status == Article.Status.PUBLISHED and article.published_at == published_at
    assert len(versions_of(article)) == 3
    assert "Reverted" in versions_of(article)[-1].revision.get_comment()


def test_rollback_to_a_draft_revision_keeps_the_first_publication_time(editor_client):
    article = make_ready_article()
    submit(editor_client, change_url(article), headline="Draft wording")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        submit(editor_client, change_url(article), status="published")
    article.refresh_from_db()
    first_published = article.published_at
    draft_version = versions_of(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, draft_version.pk])
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        page = editor_client.get(url)
        response = editor_client.post(url, form_data(page, "restore_form"))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.headline == "Draft wording"  # the words come back; the article stays live
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first_published


def test_bulk_action_keeps_a_revision_with_a_comment(editor_client, editor):
    article = make_ready_article()
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    (version,) = versions_of(article)
    assert version.revision.user == editor
    assert version.revision.get_comment() == "Published from the article list."
    assert version.field_dict["status"] == Article.Status.PUBLISHED


def roll_back(client, article, version, **changes):
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    data = {**form_data(client.get(url), "restore_form"), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)


def test_bulk_action_gives_each_article_its_own_revision(editor_client):
    mine, other = make_ready_article(), make_ready_article()
    changelist = reverse("admin:articles_article_changelist")
    editor_client.post(
        changelist, {"action": "submit_for_review", "_selected_action": [mine.pk, other.pk]}
    )
    (submitted,) = versions_of(mine)
    assert {
        v.object_id for v in submitted.revision.version_set.filter(content_type__model="article")
    } == {str(mine.pk)}
    editor_client.post(changelist, {"action": "publish_selected", "_selected_action": [other.pk]})

    roll_back(editor_client, mine, submitted)
    other.refresh_from_db()
    assert other.status == Article.Status.PUBLISHED and other.is_published()


def share_one_revision(first, second):
    """What bulk actions saved before each article had a revision of its own: one revision
    holding both articles and their rows."""
    shared = versions_of(first)[-1].revision
    Version.objects.filter(revision=versions_of(second)[-1].revision).update(revision=shared)
    return versions_of(first)[-1]


def test_rolling_back_a_revision_shared_with_another_article_leaves_that_article_alone(
    editor_client,
):
    mine = make_ready_article(headline="Mine as it was")
    other = make_ready_article(headline="Other as it was")
    for article in (mine, other):
        with reversion.create_revision():
            article.save()
    shared = share_one_revision(mine, other)
    Article.objects.filter(pk=mine.pk).update(headline="Mine now")
    Article.objects.filter(pk=other.pk).update(headline="Other now")
    other.faq_items.create(question="Added since?", answer="Yes.")

    roll_back(editor_client, mine, shared)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.headline == "Mine as it was"
    assert other.headline == "Other now"
    assert [item.question for item in other.faq_items.all()] == ["Added since?"]


def test_a_revision_saving_several_articles_becomes_one_per_article():
    first, second = make_ready_article(tags=["Oil"]), make_ready_article()
    with reversion.create_revision():
        reversion.set_comment("Both at once.")
        first.save()
        second.save()
    (mine,), (theirs,) = versions_of(first), versions_of(second)
    assert mine.revision != theirs.revision
    assert theirs.revision.get_comment() == "Both at once."
    assert revisions.ArticleState.of_version(mine).inline_items()["Tags"] == ["Oil"]
    assert not mine.revision.version_set.filter(object_id=str(second.pk)).exists()


def test_revisions_shared_before_are_split_one_per_article():
    first, second = make_ready_article(tags=["Oil"]), make_ready_article(tags=["Gas"])
    for article in (first, second):
        with reversion.create_revision():
            article.save()
    shared = share_one_revision(first, second).revision
    assert shared.version_set.filter(content_type__model="article").count() == 2
    revisions.split_revision(
        shared,
        list(shared.version_set.order_by("pk")),
        revisions=Revision,
        article_type_id=ContentType.objects.get_for_model(Article).pk,
        tagged_item_type_id=ContentType.objects.get_for_model(TaggedItem).pk,
    )
    (mine,), (theirs,) = versions_of(first), versions_of(second)
    assert mine.revision == shared and theirs.revision != shared
    assert revisions.ArticleState.of_version(theirs).inline_items()["Tags"] == ["Gas"]
    assert set(theirs.revision.version_set.values_list("object_id", flat=True)) == {
        str(second.pk),
        *(str(pk) for pk in second.tagged_items.values_list("pk", flat=True)),
        *(str(pk) for pk in second.author_links.values_list("pk", flat=True)),
    }


def test_rollback_keeps_the_corrections_added_since(editor_client):
    article = make_ready_article()
    assert submit(editor_client, change_url(article), status="published").status_code == 302
    (published,) = versions_of(article)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        corrected = submit(
            editor_client,
            change_url(article),
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-note": "We misnamed the minister.",
                **datetime_fields("corrections-0-created_at", timezone.now()),
            },
        )
        assert corrected.status_code == 302, errors_of(corrected)
    kept = versions_of(article)[-1].revision.version_set
    assert not kept.filter(content_type__model="correction").exists()

    roll_back(editor_client, article, published)
    assert [c.note for c in Correction.objects.filter(article=article)] == [
        "We misnamed the minister."
    ]


def test_rollback_marks_a_live_article_updated_and_never_moves_its_time_back(editor_client):
    article = make_ready_article(headline="Original wording")
    assert submit(editor_client, change_url(article), status="published").status_code == 302
    original = versions_of(article)[0]
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        submit(editor_client, change_url(article), headline="Changed wording")
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        roll_back(editor_client, article, original)
        article.refresh_from_db()
        assert article.headline == "Original wording"
        assert article.updated_at == timezone.now()


def test_recovering_a_deleted_article_brings_back_its_own_rows(edited_twice, editor_client):
    article, _ = edited_twice
    latest, pk = versions_of(article)[-1], article.pk
    article.delete()
    url = reverse("admin:articles_article_recover", args=[latest.pk])
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 302, errors_of(response)
    recovered = Article.objects.get(pk=pk)
    assert recovered.headline == "Second headline"
    assert [item.question for item in recovered.faq_items.all()] == ["Who pays?"]
    assert list(recovered.tags.names()) == ["Energy"]


def stored(revision):
    return sorted(
        (v.content_type_id, v.object_id, v.db, v.format, v.serialized_data, v.object_repr)
        for v in revision.version_set.all()
    )


def test_revisions_created_together_hold_what_reversion_saves_for_each_article():
    target = make_article(headline="Background piece")
    article = make_ready_article(tags=["Oil", "Gas"])
    FaqItem.objects.create(article=article, question="Why?", answer="Because.", order=0)
    RelatedLink.objects.create(article=article, target=target, order=0)
    with reversion.create_revision():
        reversion.set_comment("One at a time.")
        article.save()
    (alone,) = versions_of(article)
    other = make_ready_article(tags=["Oil"])

    mine, theirs = revisions.revisions_create(
        articles=[Article.objects.get(pk=article.pk), other], comments=["Imported.", "Also."]
    )

    assert stored(mine) == stored(alone.revision)
    assert (mine.get_comment(), theirs.get_comment()) == ("Imported.", "Also.")
    assert [v.revision for v in versions_of(other)] == [theirs]
    state = revisions.ArticleState.of_version(versions_of(article)[-1]).inline_items()
    assert state["Tags"] == ["Gas", "Oil"] and state["FAQ"] == ["Why? — Because."]


def test_revisions_created_together_cost_the_same_few_queries_for_any_number(
    django_assert_max_num_queries,
):
    articles = [make_ready_article() for _ in range(5)]
    with django_assert_max_num_queries(10):
        revisions.revisions_create(articles=articles, comments=["Imported."] * 5)
    assert all(len(versions_of(article)) == 1 for article in articles)


def test_rollback_brings_back_the_type_dateline_and_how_we_reported_this(editor_client):
    article = make_ready_article()
    submit(editor_client, change_url(article), kind="analysis", dateline="KYIV",
           reporting_notes="Six interviews.")  # fmt: skip
    submit(editor_client, change_url(article), kind="opinion", dateline="", reporting_notes="")
    first = versions_of(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = editor_client.get(url)
    assert b"Six interviews." in page.content
    response = editor_client.post(url, form_data(page, "restore_form"))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert (article.kind, article.dateline, article.reporting_notes) == (
        "analysis", "KYIV", "Six interviews."
    )  # fmt: skip


@pytest.fixture
def photo_swapped(editor_client):
    """An article saved with one lead image, then with another: two revisions."""
    harbour = make_image(title="Harbour at dawn")
    quay = make_image(title="Cranes at the quay")
    article = make_ready_article(headline="With the harbour", lead_image=harbour)
    submitted = submit(editor_client, change_url(article))
    assert submitted.status_code == 302, errors_of(submitted)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        swapped = submit(
            editor_client, change_url(article), headline="With the quay", lead_image=str(quay.pk)
        )
        assert swapped.status_code == 302, errors_of(swapped)
    article.refresh_from_db()
    assert article.lead_image == quay
    return article, harbour, quay


def test_rollback_brings_back_the_lead_image(photo_swapped, editor_client):
    article, harbour, _quay = photo_swapped
    first, _second = versions_of(article)
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = editor_client.get(url)
    assert b"Harbour at dawn" in page.content and b"Cranes at the quay" in page.content
    roll_back(editor_client, article, first)
    article.refresh_from_db()
    assert (article.headline, article.lead_image) == ("With the harbour", harbour)
    assert versions_of(article)[-1].field_dict["lead_image_id"] == harbour.pk


def test_rollback_of_a_revision_saved_before_the_desk_restored_lead_images(editor_client):
    """A revision made by django-reversion alone, as every revision saved before was."""
    harbour, quay = make_image(title="Harbour at dawn"), make_image(title="Cranes at the quay")
    article = make_ready_article(headline="Old wording", lead_image=harbour)
    with reversion.create_revision():
        article.save()
    (old,) = versions_of(article)
    # django-reversion serialises every concrete field: the lead image is in revisions already.
    assert json.loads(old.serialized_data)[0]["fields"]["lead_image"] == harbour.pk
    Article.objects.filter(pk=article.pk).update(headline="New wording", lead_image=quay)
    left_out = revisions.restore(Article.objects.get(pk=article.pk), old)
    article.refresh_from_db()
    assert left_out == []
    assert (article.headline, article.lead_image) == ("Old wording", harbour)


def test_compare_lists_the_lead_image_change(photo_swapped, editor_client):
    article, _harbour, _quay = photo_swapped
    first, second = versions_of(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"from": first.pk, "to": second.pk})
    changes = {change.label: change for change in response.context["comparison"].fields}
    lead = changes["Lead image"]
    assert (lead.before, lead.after) == ("Harbour at dawn", "Cranes at the quay")
    assertContains(
        response,
        '<tr class="field-change"><th scope="row">Lead image</th>'
        "<td><del>Harbour at dawn</del></td><td><ins>Cranes at the quay</ins></td></tr>",
        html=True,
    )


def test_rollback_leaves_the_lead_image_deleted_since_and_says_so(photo_swapped, editor_client):
    article, harbour, quay = photo_swapped
    first, _second = versions_of(article)
    harbour_pk = harbour.pk
    harbour.delete()
    url = reverse("admin:articles_article_compare", args=[article.pk])
    compared = editor_client.get(url, {"from": first.pk, "to": versions_of(article)[1].pk})
    lead = next(c for c in compared.context["comparison"].fields if c.label == "Lead image")
    assert (lead.before, lead.after) == (f"image #{harbour_pk}", "Cranes at the quay")

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = editor_client.get(revision_url)
    response = editor_client.post(revision_url, form_data(page, "restore_form"), follow=True)
    article.refresh_from_db()
    assert (article.headline, article.lead_image) == ("With the harbour", quay)
    assert [str(m) for m in response.context["messages"]][1:] == [
        "Not brought back: The lead image, deleted from the library since: the article keeps "
        "its current one."
    ]
    assert versions_of(article)[-1].field_dict["lead_image_id"] == quay.pk


def test_rollback_to_a_revision_without_a_lead_image_removes_it(editor_client):
    article = make_ready_article(headline="No picture yet")
    assert submit(editor_client, change_url(article)).status_code == 302
    quay = make_image(title="Cranes at the quay")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        added = submit(editor_client, change_url(article), lead_image=str(quay.pk))
        assert added.status_code == 302, errors_of(added)
    first, second = versions_of(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"from": first.pk, "to": second.pk})
    lead = next(c for c in response.context["comparison"].fields if c.label == "Lead image")
    assert (lead.before, lead.after) == ("—", "Cranes at the quay")

    roll_back(editor_client, article, first)
    article.refresh_from_db()
    assert article.lead_image is None


def revision_predating(article, *names):
    """A revision of `article` as saved before fields `names` existed: without them."""
    with reversion.create_revision():
        article.save()
    version = versions_of(article)[-1]
    data = json.loads(version.serialized_data)
    for name in names:
        del data[0]["fields"][name]
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))
    return Version.objects.get(pk=version.pk)


def test_rolling_back_a_revision_older_than_a_field_keeps_the_articles_value_and_says_so(
    editor_client,
):
    """Every revision of a site upgraded to lead images, types, datelines and reporting notes
    stores none of them: bringing one back must not empty them."""
    article = make_ready_article(headline="Old wording")
    old = revision_predating(article, "lead_image", "kind", "dateline", "reporting_notes")
    harbour = make_image(title="Harbour at dawn")
    now = {"lead_image": harbour, "kind": Article.Kind.ANALYSIS, "dateline": "LISBON",
           "reporting_notes": "We called three ministries."}  # fmt: skip
    Article.objects.filter(pk=article.pk).update(headline="New wording", **now)

    left_out = revisions.restore(Article.objects.get(pk=article.pk), old)

    article.refresh_from_db()
    assert article.headline == "Old wording"
    assert {name: getattr(article, name) for name in now} == now
    assert left_out == [
        f"{label}: this revision predates it, so the article keeps its current one."
        for label in ("Lead image", "Type", "Dateline", "How we reported this")
    ]


def test_compare_with_a_revision_older_than_a_field_shows_no_change_to_it(editor_client):
    article = make_ready_article(headline="Old wording", dateline="LISBON")
    old = revision_predating(article, "dateline")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        edited = submit(editor_client, change_url(article), headline="New wording")
        assert edited.status_code == 302, errors_of(edited)
    new = versions_of(article)[-1]
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"from": old.pk, "to": new.pk})
    # The old revision was saved by no one (as imports and commands save them).
    assertContains(response, "(—)")
    comparison = response.context["comparison"]
    assert [change.label for change in comparison.fields] == ["Headline"]
    assert "Dateline" in comparison.unchanged_fields


def test_a_revision_neither_keeps_nor_restores_the_comment_count():
    """The count is the comments app's: no revision stores it (the exclusion), and going back to
    old wording keeps today's count (Article.save() leaves it out)."""
    article = make_ready_article(headline="Old wording")
    with reversion.create_revision():
        article.save()
    (old,) = versions_of(article)
    assert "comment_count" not in json.loads(old.serialized_data)[0]["fields"]
    make_comment(article)
    make_comment(article)
    Article.objects.filter(pk=article.pk).update(headline="New wording")
    revisions.restore(Article.objects.get(pk=article.pk), old)
    article.refresh_from_db()
    assert (article.headline, article.comment_count) == ("Old wording", 2)
