"""The comments app's data migrations: what they change in rows stored before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from comments.models import body_fingerprint
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(*targets):
    """Migrate the comments app (and any other named) to `targets`; returns the models as they
    were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def newest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_stored_names_and_bodies_lose_their_direction_controls(newest_afterwards):
    """Security finding 13.11, for comments posted before input was cleaned."""
    article = make_article()
    old = migrate(("comments", "0001_initial"))
    OldComment = old.get_model("comments", "Comment")
    spoofed = OldComment.objects.create(
        article_id=article.pk,
        name="\u202eAna",
        email="ana@example.com",
        body="CV: https://example.com/\u202efdp.exe",
        body_fingerprint="stale",
    )
    untouched = OldComment.objects.create(
        article_id=article.pk,
        name="Bea",
        email="bea@example.com",
        body="Joined by a joiner: 👩\u200d💻",
        body_fingerprint="x",
    )
    cleaned = migrate(("comments", "0002_strip_direction_controls"))
    Cleaned = cleaned.get_model("comments", "Comment")
    spoofed = Cleaned.objects.get(pk=spoofed.pk)
    assert (spoofed.name, spoofed.body) == ("Ana", "CV: https://example.com/fdp.exe")
    assert spoofed.body_fingerprint == body_fingerprint(spoofed.body)
    assert Cleaned.objects.get(pk=untouched.pk).body_fingerprint == "x"
    migrate(("comments", "0001_initial"))  # and back: nothing to undo


def test_removing_the_stub_field_goes_back_cleanly(newest_afterwards):
    article = make_article()
    Comment = migrate(("comments", "0003_comment_removed_at_keeps_replies")).get_model(
        "comments", "Comment"
    )
    kept = Comment.objects.create(
        article_id=article.pk, name="Ana", email="a@example.com", body="Kept", body_fingerprint="k"
    )
    Old = migrate(("comments", "0002_strip_direction_controls")).get_model("comments", "Comment")
    assert Old.objects.get(pk=kept.pk).body == "Kept"


def test_articles_count_the_comments_stored_before_they_kept_a_count(newest_afterwards):
    article, quiet = make_article(), make_article()
    old = migrate(
        ("comments", "0004_add_staff_replies"),
        ("articles", "0027_search_prefix_index_on_sqlite"),
    )
    OldComment = old.get_model("comments", "Comment")
    assert "comment_count" not in {
        f.name for f in old.get_model("articles", "Article")._meta.get_fields()
    }
    shown = {"article_id": article.pk, "email": "a@example.com", "status": "approved"}
    parent = OldComment.objects.create(name="Ana", body="Seen", **shown)
    OldComment.objects.create(name="Bea", body="A reply", parent=parent, **shown)
    removed = {"article_id": article.pk, "status": "approved", "removed_at": timezone.now()}
    OldComment.objects.create(name="", email="", body="", **removed)
    OldComment.objects.create(name="Di", body="Held", **{**shown, "status": "pending"})
    rejected = OldComment.objects.create(name="Ed", body="No", **{**shown, "status": "rejected"})
    OldComment.objects.create(name="Fe", body="Under a rejected one", parent=rejected, **shown)
    counted = migrate(("comments", "0005_count_comments_into_articles"))
    Article = counted.get_model("articles", "Article")
    counts = dict(Article.objects.values_list("pk", "comment_count"))
    assert (counts[article.pk], counts[quiet.pk]) == (2, 0)
