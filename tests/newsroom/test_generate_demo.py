import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from comments.models import Comment
from images.seeds import seed_images
from newsroom.demo import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_articles_are_published_neutral_and_have_everything_a_page_shows():
    seed_images()
    counts = generate_demo(articles=60, seed=7)
    assert counts.articles == Article.objects.published().count() == 60
    assert all(headline.startswith("Demo: ") for headline in Article.objects.values_list(
        "headline", flat=True
    ))  # fmt: skip
    article = Article.objects.filter(faq_items__isnull=False).first()
    assert article.body_html.startswith("<h2") and article.headings and article.word_count
    assert article.tags.exists() and article.ordered_authors
    assert counts.faq_items and counts.related_links and counts.comments
    assert not Article.objects.filter(lead_image__isnull=True).exists()
    assert Article.objects.values("lead_image").distinct().count() == 4


def test_without_the_seed_pictures_demo_articles_have_no_lead_image():
    generate_demo(articles=5, seed=3)
    assert not Article.objects.filter(lead_image__isnull=False).exists()
    assert Comment.objects.approved().exists()


def test_same_seed_gives_the_same_demo():
    generate_demo(articles=20, seed=3)
    first = list(Article.objects.order_by("import_ref").values_list("headline", flat=True))
    generate_demo(articles=20, seed=3, replace=True)
    again = list(Article.objects.order_by("import_ref").values_list("headline", flat=True))
    assert first == again


def test_command_refuses_to_run_twice_into_the_same_data_unless_asked(capsys):
    call_command("generate_demo", articles=5, verbosity=0)
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo", articles=5, verbosity=0)
    call_command("generate_demo", articles=5, replace=True, verbosity=0)
    assert Article.objects.count() == 5
    call_command("generate_demo", articles=5, seed=2, verbosity=0)
    assert Article.objects.count() == 10
    assert "5 demo articles" in capsys.readouterr().out


def test_demo_pages_render(client):
    generate_demo(articles=30, seed=5)
    article = Article.objects.filter(related_links__isnull=False).first()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def test_demo_articles_count_the_comments_they_were_given():
    """Written in bulk, which sends no signal: the demo counts them itself."""
    generate_demo(articles=40, seed=3)
    shown = {}
    for comment in Comment.objects.approved():
        shown[comment.article_id] = shown.get(comment.article_id, 0) + 1
    counts = dict(Article.objects.values_list("pk", "comment_count"))
    assert any(counts.values())
    assert counts == {pk: shown.get(pk, 0) for pk in counts}
