"""Many readers posting at once: every comment stored exactly once, no errors (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from tests.factories import comment_post_data, make_article

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers with a database-wide lock, so concurrent posting "
        "is only meaningful on PostgreSQL; set DATABASE_URL to run it.",
    ),
]

POSTERS = 50


def test_fifty_concurrent_posts_are_each_stored_exactly_once(settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 1000
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 0
    article = make_article()
    url = reverse("articles:comment_post", kwargs={"slug": article.slug})
    forms = [
        comment_post_data(article, body=f"Concurrent comment number {n}, with its own words.")
        for n in range(POSTERS)
    ]
    start = threading.Barrier(POSTERS)
    statuses, errors = [None] * POSTERS, []

    def post(n):
        try:
            start.wait(timeout=30)
            response = Client().post(url, forms[n], REMOTE_ADDR=f"10.1.0.{n}")
            statuses[n] = response.status_code
        except Exception as exc:  # reported below, with the thread's number
            errors.append((n, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(POSTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * POSTERS
    bodies = list(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert sorted(bodies) == sorted(form["body"] for form in forms)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == POSTERS
