"""Many readers posting at once: every comment stored exactly once, no errors (PostgreSQL)."""

from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.concurrency import at_once, races_on_postgres
from tests.factories import comment_post_data, make_article

pytestmark = races_on_postgres("posting")

POSTERS = 50


def browser():
    """A reader's browser, which says where its posts come from (pagecache.same_site_post)."""
    return Client(headers={"sec-fetch-site": "same-origin"})


def test_fifty_concurrent_posts_are_each_stored_exactly_once(settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 1000
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 0
    article = make_article()
    url = reverse("comments:post", kwargs={"slug": article.slug})
    forms = [
        comment_post_data(article, body=f"Concurrent comment number {n}, with its own words.")
        for n in range(POSTERS)
    ]
    statuses = at_once(
        *(
            lambda n=n: browser().post(url, forms[n], REMOTE_ADDR=f"10.1.0.{n}").status_code
            for n in range(POSTERS)
        )
    )
    assert statuses == [302] * POSTERS
    bodies = list(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert sorted(bodies) == sorted(form["body"] for form in forms)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == POSTERS
