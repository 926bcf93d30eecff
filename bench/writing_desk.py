"""
What the writing desk costs the server, side by side in one run: a preview (the body rendered,
pictures placed, the checklist over the form and its rows) at three body lengths, an autosave
and a heartbeat, against saving the same form, which every editor already does.

Each request goes through Django's test client (the admin's views, middleware and templates, no
HTTP server), as an editor, on a scratch test database made and dropped here:

    DJANGO_SECRET_KEY=x python bench/writing_desk.py [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom DJANGO_SECRET_KEY=x \\
        python bench/writing_desk.py

The figures are milliseconds per request (median of --repeat) and queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402

PARAGRAPH = "The harbour authority said the new quay would open to ships next spring. " * 5


def body_of(words):
    paragraphs = max(1, words // 65)
    parts = []
    for n in range(paragraphs):
        if n % 6 == 0:
            parts.append(f"## Section {n // 6 + 1}")
        if n % 9 == 4:
            parts.append("Pro Tip: Check the tide tables before you go.")
        parts.append(PARAGRAPH)
    return "\n\n".join(parts)


def measure(client, url, data, repeat):
    reset_queries()  # the log keeps 9,000 queries; making the database filled it
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    queries = len(captured)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.post(url, data)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        # As the test suite does: plain HTTP, and static addresses without a collectstatic run.
        storages = {
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(
            SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False,
            STORAGES=storages,
        ):  # fmt: skip
            run(args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(repeat):
    from django.contrib.auth import get_user_model

    from tests.admin_forms import form_data
    from tests.factories import make_article, make_author, make_ready_article

    editor = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(editor)
    article = make_ready_article(authors=[make_author(), make_author()])
    for order in range(3):
        article.faq_items.create(question=f"Question {order}?", answer="An answer.", order=order)
        article.related_links.create(target=make_article(), order=order)
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(change), "article_form")

    rows = []
    for words in (500, 2000, 5000):
        data["body"] = body_of(words)
        url = reverse("admin:articles_article_preview_body", args=[article.pk])
        rows.append((f"preview, {words:,} words", *measure(client, url, data, repeat)))
    data["body"] = body_of(2000)
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    rows.append(("autosave, 2,000 words", *measure(client, url, data, repeat)))
    url = reverse("admin:articles_article_presence", args=[article.pk])
    beat = {"loaded_version": data["loaded_version"]}
    rows.append(("heartbeat", *measure(client, url, beat, repeat)))

    saves = []
    for _ in range(max(3, repeat // 4)):
        data = form_data(client.get(change), "article_form")
        data["body"] = body_of(2000) + f"\n\n{len(saves)}"
        data["_continue"] = "1"
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(change, data)
        saves.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302
    rows.append(("save the form, 2,000 words", statistics.median(saves), len(captured)))

    reference = rows[-1][1]
    print(f"{connection.vendor}, load average {os.getloadavg()[0]:.2f}")
    print("| Request | ms | queries | × save |")
    print("| --- | ---: | ---: | ---: |")
    for label, ms, queries in rows:
        print(f"| {label} | {ms:.1f} | {queries} | {ms / reference:.2f} |")


if __name__ == "__main__":
    main()
