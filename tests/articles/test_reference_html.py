"""
Every reader page, made from the same fixed articles at a frozen time, is compared with the HTML
kept in reference_html/ (whitespace between and inside tags normalised): a change to how pages
are made (a template engine, leaner templates, faster URL building) must not change what readers
get. A change meant to alter a page writes the files again, and the diff shows what changed:

    NEWSROOM_WRITE_REFERENCE_HTML=1 pytest tests/articles/test_reference_html.py
"""

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from articles.models import Article, ArticleAuthor, Author, RelatedLink, Section
from articles.services import publisher_logo_set
from comments.models import Comment
from images.services import renditions_make
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference_html"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Ids far above what the rest of the suite reaches, so the pages print the same ones each run
# on SQLite and PostgreSQL (whose sequences do not roll back with a test).
BASE = 7_000_000


def normalised(html):
    """The HTML with every run of whitespace one space, and none between tags."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s+<", "><", html).strip()


def build_site():
    world = Section.objects.create(
        id=BASE + 1, name="World", slug="world", description="News from everywhere."
    )
    Section.objects.create(id=BASE + 2, name="Business", slug="business")
    ana = Author.objects.create(
        id=BASE + 1, name="Ana Silva", slug="ana-silva", title="Chief Editor", bio="Ana edits."
    )
    ben = Author.objects.create(id=BASE + 2, name="Ben Okafor", slug="ben-okafor")
    lead = make_image(id=BASE + 1, upload_file=upload(name="lead.jpg", width=800, height=450))
    inline = make_image(id=BASE + 2, upload_file=upload(name="inline.jpg", width=400, height=300))
    for image in (lead, inline):  # all of them now, not as each page first asks for one
        renditions_make(image=image)
    publisher_logo_set(logo=lead)

    def article(n, headline, days_ago, **fields):
        authors = fields.pop("authors", [ana])
        tags = fields.pop("tags", ["Energy"])
        made = Article.objects.create(
            id=BASE + n,
            slug=f"story-{n}",
            headline=headline,
            standfirst=f"The standfirst of {headline.lower()}.",
            body=fields.pop("body", f"The body of {headline.lower()}."),
            status=Article.Status.PUBLISHED,
            section=fields.pop("section", world),
            **fields,
        )
        for order, author in enumerate(authors):
            ArticleAuthor.objects.create(article=made, author=author, order=order)
        made.tags.set(tags)
        when = NOW - timedelta(days=days_ago)
        Article.objects.filter(pk=made.pk).update(published_at=when, updated_at=when)
        return made

    main = article(
        1,
        "Talks resume",
        2,
        authors=[ana, ben],
        tags=["Energy", "Diplomacy"],
        lead_image=lead,
        body=(
            "Opening paragraph.\n\n## Where things stand\n\nSee [the agency](https://www.iea.org/)."
            f"\n\n![[image:{inline.pk}]]\n\nPro Tip: Watch the oil price.\n\n"
            "## What comes next\n\nDid you know? Talks began in 1999."
        ),
    )
    Article.objects.filter(pk=main.pk).update(updated_at=NOW - timedelta(days=1))
    main.faq_items.create(question="Will sanctions be lifted?", answer="Not yet.\nMaybe later.")
    main.corrections.create(
        id=BASE + 1, note="An earlier version misspelled a name.", created_at=NOW - timedelta(1)
    )
    pick = article(2, "Editor's pick", 3, authors=[ben], tags=["Diplomacy"], lead_image=lead)
    RelatedLink.objects.create(article=main, target=pick, order=0)
    article(3, "Oil output rises", 4, tags=["Energy"], lead_image=lead)
    article(4, "No picture here", 5, authors=[], tags=["Energy"], section=None)
    comment = Comment.objects.create(
        id=BASE + 1, article=main, name="Reader One", email="one@example.com",
        body="A first thought, see https://example.com/a.", status=Comment.Status.APPROVED,
    )  # fmt: skip
    Comment.objects.create(
        id=BASE + 2, article=main, parent=comment, name="Reader Two", email="two@example.com",
        body="A reply.", status=Comment.Status.APPROVED,
    )  # fmt: skip
    Comment.objects.filter(article=main).update(created_at=NOW - timedelta(hours=5))


PAGES = {
    "home": "/",
    "article": "/articles/story-1/",
    "article_without_picture": "/articles/story-4/",
    "section": "/sections/world/",
    "author": "/authors/ana-silva/",
    "tag": "/tags/energy/",
    "search": "/search/?q=talks",
    "search_without_results": "/search/?q=nothing+like+this",
    "search_form": "/search/",
    "corrections": "/corrections/",
}


@pytest.fixture
def site(settings):
    # Every page made afresh: a copy kept in this process by another test, at another time,
    # could look current to a clock set back (time_machine) and be served instead.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # Signed addresses (a preview link, a newsletter confirmation) the same on every machine,
    # whatever secret key its tests run with.
    settings.SECRET_KEY = "reference-html-" + "k" * 50
    # A storage of its own, empty: a picture's file name already taken would get a random suffix.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with time_machine.travel(NOW, tick=False):
        build_site()
        yield


@pytest.mark.parametrize("name", list(PAGES))
def test_reader_page_is_the_same_html_as_its_reference(client, site, name):
    response = client.get(PAGES[name])
    assert response.status_code == 200
    html = normalised(response.text)
    path = REFERENCE / f"{name}.html"
    if os.environ.get("NEWSROOM_WRITE_REFERENCE_HTML"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(html + "\n")
    expected = path.read_text().rstrip("\n")
    assert html == expected, f"{name} differs: {first_difference(html, expected)}"


def first_difference(got, expected, context=120):
    at = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), None)
    at = min(len(got), len(expected)) if at is None else at
    start = max(0, at - context)
    return f"\n got: …{got[start : at + context]}…\n was: …{expected[start : at + context]}…"


def test_normalising_keeps_text_and_drops_only_layout_whitespace():
    assert normalised("<p>\n  Two  words\n</p>\n<p>x</p>") == "<p> Two words </p><p>x</p>"
