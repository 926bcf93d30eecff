"""The shared real-world copy (../shared/testdata/wire/): BBC stories and press releases."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article
from ingest.importing import read_text
from ingest.plaintext import decode_character_references

pytestmark = pytest.mark.django_db

WIRE = Path(settings.BASE_DIR).parent / "shared" / "testdata" / "wire"
needs_wire = pytest.mark.skipif(not WIRE.is_dir(), reason=f"the shared test data is not at {WIRE}")
PHONE_RE = re.compile(r"\d{3}[\s.–-]?\d{4}")
URL_RE = re.compile(r"https?://|www\.|\.com\b|@")


def page_text(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    main = response.content.decode()
    return " ".join(html.unescape(strip_tags(main)).split())


def sentences(text):
    """The file's sentences, as a reader would see them: spacing evened out, and a list's
    "- " shown as the list it marks."""
    text = re.sub(r"(?m)^\s*[-*•]\s+", "", decode_character_references(text))
    return [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


@needs_wire
def test_bbc_folder_imports_as_200_articles_whose_pages_hold_every_sentence(client):
    files = sorted((WIRE / "bbc").glob("*.txt"))
    assert len(files) == 200
    call_command("import_article", str(WIRE / "bbc"), "--section", "BBC", "--tags", "News")
    assert Article.objects.count() == 200
    assert Article.objects.values("slug").distinct().count() == 200
    # No byline in the BBC copy, so the checklist would hold them back: publish them by hand.
    Article.objects.update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    by_key = {a.import_record.key: a for a in Article.objects.select_related("import_record")}
    for path in files:
        article = by_key[f"text:{path.name}"]
        shown = page_text(client, article)
        missing = [s for s in sentences(read_text(path)) if s not in shown]
        assert missing == [], f"{path.name}: {missing[:3]}"


@needs_wire
def test_no_phone_number_url_or_end_mark_becomes_a_heading_in_the_press_releases():
    call_command("import_article", str(WIRE / "press-releases"))
    headings = [h["title"] for a in Article.objects.all() for h in a.headings]
    assert headings  # the real ones: "Key Findings", "About Curbio"…
    for title in headings:
        assert not PHONE_RE.search(title), title
        assert not URL_RE.search(title), title
        assert title.strip("#-– ").upper() not in {"", "ENDS", "30", "END"}, title


@needs_wire
def test_press_release_lists_and_numbered_items_keep_their_layout():
    call_command("import_article", str(WIRE / "press-releases"))
    article = Article.objects.get(headline__startswith="November 2025 Biohacking Index")
    assert "<li>100+ verified five-star reviews captured</li>" in article.body_html
    assert "<p>2. Vivobase – 20</p>" in article.body_html
    assert "\\" not in article.body_html
