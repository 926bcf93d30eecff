"""The one write importers end in: many sources at once (articles_import) as one at a time."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article
from ingest.models import ImportRecord, LegacyAddress
from ingest.services import (
    Incoming,
    Names,
    article_import,
    articles_import,
    legacy_addresses_add,
    text_fingerprint,
)
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def incoming(key, **fields):
    fields.setdefault("headline", "Harbour plan approved")
    fields.setdefault("body", "The council *approved* the plan.")
    fields.setdefault("fingerprint", text_fingerprint(fields["body"] + key))
    return Incoming(key=key, format="wxr", source=f"https://old.example/{key}", **fields)


def stored(article):
    article.refresh_from_db()
    return {
        "fields": [
            getattr(article, name)
            for name in ("headline", "standfirst", "body_html", "word_count", "status",
                         "publish_at", "published_at", "allow_comments", "section_id")
        ],  # fmt: skip
        "authors": [author.name for author in article.ordered_authors],
        "tags": sorted(article.tags.names()),
        "faq": list(article.faq_items.values_list("question", "answer")),
        "imported": article.import_record.imported,
        "revision": [v.revision.get_comment().split("/")[-1] for v in
                     Version.objects.get_for_object(article)],  # fmt: skip
    }


@pytest.mark.parametrize("status", ["published", "scheduled", "review", "draft", None])
def test_new_sources_imported_together_are_stored_as_one_at_a_time(status):
    when = datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    fields = {
        "standfirst": "The marina opens next year.",
        "bylines": ["Ana Silva", "ANA SILVA", "Rui Costa"],
        "section": make_section(name="Local"),
        "tags": ["Harbour", "politics", "Politics"],
        "faq": [("Who pays?", "The operator.")],
        "status": status,
        "published_at": when,
        "publish_at": datetime(2031, 1, 1, tzinfo=UTC) if status == "scheduled" else None,
        "allow_comments": False,
    }
    alone = article_import(incoming=incoming("alone", slug="alone", **fields)).article
    (together,) = articles_import(incomings=[incoming("together", slug="together", **fields)])
    assert together.outcome == "created"
    assert stored(together.article) == {**stored(alone), "revision": ["together"]}


def test_a_key_twice_in_one_batch_is_created_then_updated():
    results = articles_import(
        incomings=[incoming("a", headline="First"), incoming("a", headline="Second")]
    )
    assert [r.outcome for r in results] == ["created", "updated"]
    assert Article.objects.get().headline == "Second"


def test_the_same_text_twice_in_one_batch_is_a_duplicate_of_the_latest_import():
    make_article()
    article_import(incoming=incoming("first", fingerprint="same"))
    results = articles_import(
        incomings=[incoming("second", fingerprint="same"), incoming("third", fingerprint="same")]
    )
    assert [r.duplicate_of for r in results] == ["first", "second"]
    assert Article.objects.filter(import_record__isnull=False).count() == 3


def test_sources_seen_before_keep_editors_changes_beside_new_ones():
    edited = article_import(incoming=incoming("seen", headline="Old")).article
    edited.headline = "Fixed by an editor"
    edited.save()
    results = articles_import(
        incomings=[incoming("seen", headline="New"), incoming("new", headline="Other")]
    )
    assert [r.outcome for r in results] == ["conflict", "created"]
    edited.refresh_from_db()
    assert edited.headline == "Fixed by an editor"


def test_new_articles_take_free_slugs_unlike_each_other():
    make_article(slug="harbour")
    results = articles_import(
        incomings=[incoming("a", slug="harbour"), incoming("b", slug="harbour"), incoming("c")]
    )
    assert [r.article.slug for r in results] == ["harbour-2", "harbour-3", "harbour-plan-approved"]


def test_names_are_looked_up_once_a_run_and_a_batch_costs_the_same_for_any_size():
    names = Names()
    articles_import(incomings=[incoming("a", bylines=["Ana"], tags=["Oil"])], names=names)
    counts = []
    for size in (5, 20):
        more = [incoming(f"{size}-{n}", bylines=["Ana"], tags=["Oil"]) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            articles_import(incomings=more, names=names)
        assert not [q for q in queries.captured_queries if "UPPER" in q["sql"]]
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert ImportRecord.objects.count() == 26


def test_an_earlier_claim_to_an_old_address_wins():
    first, second = make_article(), make_article()
    LegacyAddress.objects.create(path="/kept/", article=first)
    outcomes = legacy_addresses_add(
        claims=[(["/kept/", "/new/"], first), (["/new/", "/own/", "/kept/"], second)]
    )
    assert outcomes == [
        {"/kept/": "kept", "/new/": "created"},
        {"/new/": "taken", "/own/": "created", "/kept/": "taken"},
    ]
    assert dict(LegacyAddress.objects.values_list("path", "article")) == {
        "/kept/": first.pk, "/new/": first.pk, "/own/": second.pk,
    }  # fmt: skip


def test_names_kept_are_bounded_and_still_found_once_forgotten(monkeypatch):
    monkeypatch.setattr(Names, "KEPT", 2)
    names = Names()
    first = names.tag("Oil")
    names.tag("Gas")
    names.tag("Coal")
    assert len(names.found) == 1
    assert names.tag("OIL") == first


def test_new_tags_of_a_batch_are_made_together_whatever_their_number():
    counts = []
    for size in (5, 40):
        batch = [incoming(f"{size}-{n}", tags=[f"Topic {size} {n}"]) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            articles_import(incomings=batch, names=Names())
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Tag.objects.get(name="Topic 40 39").slug == "topic-40-39"


def test_tags_made_together_match_existing_ones_as_taggit_would():
    oil = Tag.objects.create(name="Oil")
    Tag.objects.create(name="Gas pipeline", slug="gas-prices")
    (result,) = articles_import(
        incomings=[incoming("a", tags=["OIL", "Gas prices", "Ölpreis", "Oil", "Coal"])],
        names=Names(),
    )
    tags = {tag.name: tag.slug for tag in result.article.tags.all()}
    assert tags == {
        "Oil": "oil",  # the tag there was, in any case
        "Gas prices": "gas-prices_1",  # its slug was taken: numbered as taggit numbers it
        "Ölpreis": "ölpreis",
        "Coal": "coal",
    }
    assert Tag.objects.get(name="Oil") == oil and Tag.objects.count() == 5
