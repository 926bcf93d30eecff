"""The comments app's data migrations: what they change in rows stored before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment, body_fingerprint
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
    migrate(("comments", "0002_strip_direction_controls"))
    spoofed = Comment.objects.get(pk=spoofed.pk)
    assert (spoofed.name, spoofed.body) == ("Ana", "CV: https://example.com/fdp.exe")
    assert spoofed.body_fingerprint == body_fingerprint(spoofed.body)
    assert Comment.objects.get(pk=untouched.pk).body_fingerprint == "x"
    migrate(("comments", "0001_initial"))  # and back: nothing to undo
