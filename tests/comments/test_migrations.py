"""The comments app's data migrations: what they change in rows stored before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import body_fingerprint
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    """Migrate the comments app to `target`; returns the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


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
