"""NINJS 2.x and 3.x items."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from ingest.ninjs import import_ninjs

pytestmark = pytest.mark.django_db

NINJS = Path(__file__).parent / "fixtures" / "ninjs"


def test_a_2x_item_becomes_a_draft_with_its_fields():
    summary = import_ninjs([NINJS / "item-2x.json"])
    assert summary.counts["created"] == 1
    article = Article.objects.get()
    assert article.headline == "Central bank holds rates steady"
    assert article.standfirst == "Policymakers signal a cut may come in the summer."
    assert [a.name for a in article.ordered_authors] == ["Ana Silva"]
    assert article.import_record.credit == "Reuters"
    assert sorted(article.tags.names()) == ["Banking", "Economy"]
    assert article.headings[0]["title"] == "What comes next"
    assert "alert" not in article.body_html
    assert article.status == Article.Status.DRAFT
    assert article.import_record.key == "ninjs:urn:newsml:example.com:20240305:wire-001"


def test_an_embargoed_3x_item_is_held_until_its_embargo():
    summary = import_ninjs([NINJS / "items-3x.json"], publish=True)
    article = Article.objects.get()
    assert article.headline == "Quarterly results under embargo"
    assert article.standfirst == "Profits rose by a third."
    assert article.status == Article.Status.SCHEDULED
    assert article.publish_at.isoformat() == "2099-01-01T09:00:00+00:00"
    assert not article.is_published()
    assert "has no headline" in summary.errors[0]


def test_without_publish_an_embargoed_item_is_a_draft_with_its_time_set():
    import_ninjs([NINJS / "items-3x.json"])
    article = Article.objects.get()
    assert (article.status, article.publish_at.year) == (Article.Status.DRAFT, 2099)


def test_same_version_changes_nothing_and_a_newer_one_updates(tmp_path):
    import_ninjs([NINJS])
    again = import_ninjs([NINJS / "item-2x.json"])
    assert again.counts["unchanged"] == 1
    item = json.loads((NINJS / "item-2x.json").read_text())
    item["versioncreated"] = "2024-03-05T10:00:00Z"
    item["headline"] = "Central bank holds rates, signals cut"
    (tmp_path / "newer.json").write_text(json.dumps(item))
    assert import_ninjs([tmp_path]).counts["updated"] == 1
    assert Article.objects.filter(headline="Central bank holds rates, signals cut").exists()


def test_command_reports_bad_items_and_bad_json(tmp_path, capsys):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="1 item"):
        call_command("import_ninjs", str(tmp_path))
    assert "broken.json" in capsys.readouterr().err


def test_a_plain_text_body_keeps_its_paragraphs_and_its_markup_is_text(tmp_path):
    items = [
        {"uri": "urn:2x", "headline": "Plain 2.x",
         "body_text": "First paragraph.\n\nSecond <b>paragraph</b>.\n"},
        {"uri": "urn:3x", "headlines": [{"role": "main", "value": "Plain 3.x"}],
         "bodies": [{"role": "main", "contenttype": "text/plain",
                     "value": "One.\n\nTwo, with a line\nbreak."}]},
    ]  # fmt: skip
    (tmp_path / "plain.json").write_text(json.dumps(items))
    assert import_ninjs([tmp_path]).counts["created"] == 2
    assert Article.objects.get(headline="Plain 2.x").body_html == (
        "<p>First paragraph.</p>\n<p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>"
    )
    assert Article.objects.get(headline="Plain 3.x").body == "One.\n\nTwo, with a line  \nbreak."
