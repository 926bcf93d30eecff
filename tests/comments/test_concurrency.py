"""Many readers posting, or moderators moderating, at once: every comment stored exactly once,
every count right, no errors (PostgreSQL)."""

import time

from django.db.models import Case, When
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments import models, services
from comments.models import Comment
from tests.concurrency import at_once, races_on_postgres
from tests.factories import comment_post_data, make_article, make_comment

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


def test_two_moderators_approving_under_the_same_articles_in_crossing_order_both_succeed(
    monkeypatch,
):
    """Each save counts its article's comments, holding the article: held in the order the
    comments come, two moderators' actions would each hold an article the other waits for."""
    first, second = make_article(), make_article()
    pending = Comment.Status.PENDING
    mine = [make_comment(first, status=pending), make_comment(second, status=pending)]
    theirs = [make_comment(second, status=pending), make_comment(first, status=pending)]
    counted = models.count_comments

    def count_slowly(article_ids):
        counted(article_ids)
        time.sleep(0.3)  # each moderator holds its first article while the other takes its own

    monkeypatch.setattr(models, "count_comments", count_slowly)

    def approve(comments):
        in_order_given = Case(*(When(pk=c.pk, then=n) for n, c in enumerate(comments)))
        selected = Comment.objects.filter(pk__in=[c.pk for c in comments]).order_by(in_order_given)
        return services.comment_moderate(comments=selected, status=Comment.Status.APPROVED)

    assert sorted(at_once(lambda: approve(mine), lambda: approve(theirs))) == [2, 2]
    assert sorted(Article.objects.values_list("comment_count", flat=True)) == [2, 2]
