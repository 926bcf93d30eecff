"""Upgrading a database from before the restructure (comments, preview links and the article
admin inside the articles app) keeps every row, permission, grant and revision."""


import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision, Version

from articles.models import Article
from comments.models import Comment
from desk.models import PreviewLink
from desk.revisions import ArticleState

pytestmark = pytest.mark.django_db(transaction=True)

# The migration heads before the restructure: comments and preview links lived in articles.
BEFORE = [("articles", "0013_published_at_help_text"), ("comments", None), ("desk", None)]


def migrate(targets):
    """Migrate the test database to `targets`; returns the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def migrate_to_the_newest():
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_the_restructure():
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        migrate_to_the_newest()


def test_comments_preview_links_grants_and_revisions_survive_the_upgrade(
    before_the_restructure,
):
    old = before_the_restructure
    comment_type = ContentType.objects.get(app_label="articles", model="comment")
    preview_type = ContentType.objects.get(app_label="articles", model="previewlink")
    moderate = Permission.objects.get(content_type=comment_type, codename="moderate_comment")
    add_preview = Permission.objects.get(content_type=preview_type, codename="add_previewlink")
    editors = Group.objects.create(name="Night desk")
    editors.permissions.add(moderate, add_preview)
    moderator = User.objects.create_user("moderator", is_staff=True)
    moderator.user_permissions.add(moderate)

    # Articles as that schema has them (later migrations add columns the model now has).
    OldArticle = old.get_model("articles", "Article")
    article, other = (
        OldArticle.objects.create(headline=headline, slug=slugify(headline), status="published",
                                  published_at=timezone.now())
        for headline in ("Before the move", "Saved alongside")
    )  # fmt: skip
    OldComment = old.get_model("articles", "Comment")
    OldPreviewLink = old.get_model("articles", "PreviewLink")
    parent = OldComment.objects.create(
        article_id=article.pk, name="Ana", email="ana@example.com", body="First!",
        body_fingerprint="f" * 64, status="approved",
    )  # fmt: skip
    reply = OldComment.objects.create(
        article_id=article.pk, parent_id=parent.pk, name="Ben", email="ben@example.com",
        body="A reply.", body_fingerprint="e" * 64, status="pending",
    )  # fmt: skip
    link = OldPreviewLink.objects.create(article_id=article.pk, key="k" * 32)
    LogEntry.objects.create(
        user=moderator, content_type=comment_type, object_id=str(parent.pk),
        object_repr="Ana on Before the move", action_flag=CHANGE,
    )  # fmt: skip
    # A revision as bulk actions saved them before each article had its own: both articles,
    # stored as django-reversion stores them (the model's registration is for today's schema).
    shared = Revision.objects.create(date_created=timezone.now(), comment="Published.")
    article_type = ContentType.objects.get(app_label="articles", model="article")
    for each in (article, other):
        Version.objects.create(
            revision=shared, object_id=str(each.pk), content_type=article_type, db="default",
            format="json", serialized_data=serializers.serialize("json", [each]),
            object_repr=each.headline,
        )  # fmt: skip
    versions_before = Version.objects.count()

    migrate_to_the_newest()
    article, other = Article.objects.get(pk=article.pk), Article.objects.get(pk=other.pk)

    assert list(Comment.objects.order_by("pk").values_list("pk", "body", "parent", "status")) == [
        (parent.pk, "First!", None, "approved"),
        (reply.pk, "A reply.", parent.pk, "pending"),
    ]
    assert Comment.objects.get(pk=parent.pk).article == article
    moved = PreviewLink.objects.get()
    assert (moved.pk, moved.article, moved.key) == (link.pk, article, "k" * 32)
    assert PreviewLink.key_from_token(moved.token) == moved.key

    comment_type.refresh_from_db()
    assert (comment_type.app_label, comment_type.model) == ("comments", "comment")
    assert not ContentType.objects.filter(app_label="articles", model="comment").exists()
    assert moderator.has_perm("comments.moderate_comment")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.all()}
    assert {"comments.moderate_comment", "desk.add_previewlink"} <= granted
    assert LogEntry.objects.get().get_edited_object() == Comment.objects.get(pk=parent.pk)

    assert Version.objects.count() == versions_before
    mine, theirs = (Version.objects.get_for_object(a).get() for a in (article, other))
    assert mine.revision != theirs.revision, "each article has a revision of its own"
    assert Revision.objects.count() == 2
    assert ArticleState.of_version(theirs).fields["headline"] == "Saved alongside"


def test_a_content_type_made_while_migrated_back_gives_way_to_the_one_with_the_grants(
    before_the_restructure,
):
    comment_type = ContentType.objects.get(app_label="articles", model="comment")
    moderate = Permission.objects.get(content_type=comment_type, codename="moderate_comment")
    editors = Group.objects.create(name="Night desk")
    editors.permissions.add(moderate)
    # What a `migrate` run in between makes for the installed comments app.
    fresh = ContentType.objects.create(app_label="comments", model="comment")
    Permission.objects.create(content_type=fresh, codename="moderate_comment", name="Fresh")

    migrate_to_the_newest()

    (kept,) = ContentType.objects.filter(model="comment")
    assert kept.pk == comment_type.pk and kept.app_label == "comments"
    assert list(editors.permissions.values_list("pk", flat=True)) == [moderate.pk]


def test_the_restructure_migrations_run_backwards_too(before_the_restructure):
    """Rolling a deploy back: the old layout's tables are where the old code looks."""
    old = before_the_restructure
    article = old.get_model("articles", "Article").objects.create(
        headline="Rolled back", slug="rolled-back", status="published", published_at=timezone.now()
    )
    old.get_model("articles", "Comment").objects.create(
        article_id=article.pk, name="Ana", email="ana@example.com", body="Still here.",
        body_fingerprint="f" * 64,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM articles_comment")
        assert cursor.fetchall() == [("Still here.",)]
    assert ContentType.objects.get(model="comment").app_label == "articles"
