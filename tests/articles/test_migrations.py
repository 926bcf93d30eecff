"""Migrations run on rows made before them (issues 14 and 15), and the release before them
running against their schema."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

def migrate(targets):
    """Migrate the test database to `targets`; returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrated_back():
    """migrated_back(target) -> the models at `target`; the newest schema comes back after."""
    try:
        yield lambda target: migrate([target])
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_stored_bodies_with_an_address_on_its_own_line_render_it_as_an_embed(migrated_back):
    Article = migrated_back(
        ("articles", "0016_add_lead_image_body_images_and_publisher")
    ).get_model("articles", "Article")
    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    embedded = Article.objects.create(
        headline="Watch", slug="watch", body=f"Look:\n\n{video}\n\nEnd.", body_html="<p>old</p>"
    )
    plain = Article.objects.create(
        headline="Read", slug="read", body=f"See [the video]({video}).", body_html="<p>kept</p>"
    )
    after = migrate([("articles", "0017_render_embed_lines_in_stored_bodies")])
    Article = after.get_model("articles", "Article")
    assert '<p class="embed-placeholder"><a href="' in Article.objects.get(pk=embedded.pk).body_html
    assert Article.objects.get(pk=plain.pk).body_html == "<p>kept</p>"


def test_renditions_made_before_learn_their_size_from_storage(migrated_back):
    before = migrated_back(("images", "0001_create_image_and_rendition"))
    Image = before.get_model("images", "Image")
    Rendition = before.get_model("images", "Rendition")
    image = Image.objects.create(
        file="images/originals/0123456789abcdef/a.jpg", alt_text="A", width=10, height=10,
        file_size=10, format="JPEG", file_hash="0123456789abcdef" * 4,
    )  # fmt: skip
    name = default_storage.save("images/renditions/1/a-original-10.0123456789abcdef.jpg",
                                ContentFile(b"x" * 1234))  # fmt: skip
    common = {"image": image, "ratio": "original", "format": "jpeg", "width": 10, "height": 10}
    stored = Rendition.objects.create(fingerprint="0" * 16, file=name, **common)
    lost = Rendition.objects.create(fingerprint="1" * 16, file="images/renditions/1/gone.jpg",
                                    **common)  # fmt: skip
    after = migrate([("images", "0002_add_rendition_file_size")])
    Rendition = after.get_model("images", "Rendition")
    assert Rendition.objects.get(pk=stored.pk).file_size == 1234
    assert Rendition.objects.get(pk=lost.pk).file_size == 0


def test_articles_made_before_types_are_news_with_nothing_else_to_show(migrated_back):
    Article = migrated_back(
        ("articles", "0017_render_embed_lines_in_stored_bodies")
    ).get_model("articles", "Article")
    old = Article.objects.create(headline="Old", slug="old", body="Words.", body_html="<p>W</p>")
    after = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("articles"))
    article = after.get_model("articles", "Article").objects.get(pk=old.pk)
    assert (article.headline, article.body_html) == ("Old", "<p>W</p>")
    assert (article.kind, article.dateline, article.reporting_notes) == ("news", "", "")
    assert article.last_reviewed is None
    assert not after.get_model("articles", "PolicyPage").objects.exists()


def test_articles_made_before_feed_ids_each_get_their_own(migrated_back):
    Article = migrated_back(("articles", "0017_render_embed_lines_in_stored_bodies")).get_model(
        "articles", "Article"
    )
    before = [Article.objects.create(headline=f"Old {n}", slug=f"old-{n}").pk for n in range(5)]
    after = migrate([("articles", "0021_make_article_uuid_unique")])
    Article = after.get_model("articles", "Article")
    uuids = list(Article.objects.filter(pk__in=before).values_list("uuid", flat=True))
    assert len(uuids) == 5 and None not in uuids and len(set(uuids)) == 5
    assert Article.objects.create(headline="New", slug="new").uuid not in uuids


def test_staff_without_a_byline_profile_get_one_on_upgrade(migrated_back):
    before = migrated_back(("articles", "0017_render_embed_lines_in_stored_bodies"))
    User = before.get_model("auth", "User")
    Author = before.get_model("articles", "Author")
    named = User.objects.create(username="ana", first_name="Ana", last_name="Silva", is_staff=True)
    bare = User.objects.create(username="chief.k7m2qx", is_staff=True)
    linked = User.objects.create(username="bo", is_staff=True)
    Author.objects.create(name="Bo Lee", slug="bo-lee", user=linked)
    User.objects.create(username="reader")
    earlier = Author.objects.create(name="Ana Silva", slug="ana-silva", title="Reporter")
    Author.objects.create(name="chief.k7m2qx", slug="chiefk7m2qx", user=None)

    after = migrate([("articles", "0024_author_pairings_and_staff_byline_profiles")])
    Author = after.get_model("articles", "Author")
    assert Author.objects.get(user_id=named.pk).pk == earlier.pk  # linked, not duplicated
    assert Author.objects.get(user_id=bare.pk).name == "chief.k7m2qx"
    assert Author.objects.get(user_id=linked.pk).name == "Bo Lee"
    assert Author.objects.filter(user__username="reader").count() == 0
    assert Author.objects.count() == 3


def test_stored_bodies_with_a_top_heading_or_pull_quote_render_them_again(migrated_back):
    Article = migrated_back(("articles", "0017_render_embed_lines_in_stored_bodies")).get_model(
        "articles", "Article"
    )
    heading = Article.objects.create(
        headline="Audit", slug="audit", body="# Where it went\n\nText.", body_html="<p>old</p>"
    )
    quote = Article.objects.create(
        headline="Mayor", slug="mayor", body="Pull quote: We rebuild.", body_html="<p>old</p>"
    )
    plain = Article.objects.create(
        headline="Plain", slug="plain", body="## Fine\n\nText.", body_html="<p>kept</p>"
    )
    after = migrate([("articles", "0025_top_headings_and_pull_quotes")])
    Article = after.get_model("articles", "Article")
    audit = Article.objects.get(pk=heading.pk)
    assert '<h2 id="where-it-went">Where it went</h2>' in audit.body_html
    assert audit.headings == [{"id": "where-it-went", "title": "Where it went", "level": 2}]
    assert 'class="pull-quote"' in Article.objects.get(pk=quote.pk).body_html
    assert Article.objects.get(pk=plain.pk).body_html == "<p>kept</p>"


def test_the_release_before_the_comment_count_can_still_add_articles():
    """Servers restart one by one after `migrate` (docs/deploy.md): the release before, whose
    Article has no count, inserts articles into the table that has one, which starts them at 0."""
    state = MigrationExecutor(connection).loader.project_state(
        ("articles", "0027_search_prefix_index_on_sqlite")
    )
    Before = state.apps.get_model("articles", "Article")
    assert "comment_count" not in {field.name for field in Before._meta.get_fields()}
    added = Before.objects.create(headline="Filed during the deploy", slug="during-the-deploy")
    assert Article.objects.get(pk=added.pk).comment_count == 0
