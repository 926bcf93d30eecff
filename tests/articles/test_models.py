from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, RelatedLink, Section
from tests.factories import make_article, make_author
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_headline_and_kept_unique():
    first = make_article(headline="Talks resume in Caracas")
    second = make_article(headline="Talks resume in Caracas")
    assert first.slug == "talks-resume-in-caracas"
    assert second.slug == "talks-resume-in-caracas-2"


def test_editor_chosen_slug_is_kept():
    article = make_article(headline="Anything", slug="chosen-slug")
    assert article.slug == "chosen-slug"


def test_duplicate_slug_is_refused_by_the_database():
    make_article(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Other", slug="same")


def test_body_is_rendered_once_on_save_with_word_count_and_reading_time():
    article = make_article(body="## Heading\n\n" + "word " * 460)
    assert '<h2 id="heading">Heading</h2>' in article.body_html
    assert article.word_count == 461
    assert article.reading_time == 3
    assert article.headings == [{"id": "heading", "title": "Heading", "level": 2}]


def test_script_in_body_never_reaches_the_stored_html():
    article = make_article(body="Hello <script>alert('x')</script> <img src=x onerror=alert(1)>")
    assert "<script" not in article.body_html
    assert "alert('x')" not in article.body_html
    assert "onerror" not in article.body_html


def test_publishing_sets_published_at_once():
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.status = Article.Status.PUBLISHED
    article.save()
    first = article.published_at
    assert first is not None
    article.headline = "Edited later"
    article.save()
    article.refresh_from_db()
    assert article.published_at == first


def test_scheduled_article_takes_its_publish_time_as_publication_time():
    when = timezone.now() + timedelta(hours=3)
    article = make_article(status=Article.Status.SCHEDULED, publish_at=when)
    assert article.published_at == when
    assert not article.is_published()
    assert article.is_published(now=when + timedelta(seconds=1))


def test_scheduled_article_without_publish_time_is_a_form_error():
    article = Article(headline="Later", status=Article.Status.SCHEDULED)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "publish_at" in error.value.message_dict


def test_scheduled_without_publish_time_is_refused_by_the_database():
    article = make_article(status=Article.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Article.Status.SCHEDULED)


def test_article_cannot_be_related_to_itself():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, target=article)


def test_related_article_cannot_be_listed_twice():
    article, other = make_article(), make_article()
    RelatedLink.objects.create(article=article, target=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, target=other, order=1)


def test_author_cannot_be_on_one_byline_twice():
    article, author = make_article(), make_author()
    ArticleAuthor.objects.create(article=article, author=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=author, order=1)


def test_byline_keeps_the_editors_order():
    first, second = make_author(name="Zed"), make_author(name="Amy")
    article = make_article(authors=[first, second])
    assert article.ordered_authors == [first, second]


def test_article_url_is_its_stable_slug_address():
    article = make_article(slug="stable")
    assert article.get_absolute_url() == "/articles/stable/"
    assert str(article) == article.headline


def test_updated_is_shown_only_after_a_meaningful_change():
    article = make_article()
    assert not article.was_updated()
    article.updated_at = article.published_at + timedelta(minutes=5)
    assert article.was_updated()


def test_article_published_before_and_scheduled_again_waits_for_its_new_time():
    article = make_article()
    article.status = Article.Status.DRAFT
    article.save()
    when = timezone.now() + timedelta(days=3)
    article.status, article.publish_at = Article.Status.SCHEDULED, when
    article.save()
    assert article.published_at == when
    assert not article.is_published()
    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=when)


def test_non_latin_headline_gives_a_readable_slug():
    assert make_article(headline="Первая статья").slug == "первая-статья"
    assert make_article(headline="!!!").slug == "article"
    assert make_article(headline="???").slug == "article-2"


@pytest.mark.parametrize("model", [Section, Author])
def test_empty_section_or_author_slug_is_refused_by_the_database(model):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(name="Nameless", slug="")


def test_saving_the_body_records_the_library_pictures_it_places():
    article = make_article(body="![[image:3]]\n\nText.\n\n![[image:3|4:3]]\n\n![[image:8]]")
    assert article.body_images == {"3": 2, "8": 1}
    article.body = "Text only."
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_images == {}


def test_a_picture_leading_an_article_cannot_be_deleted():
    image = make_image()
    make_article(lead_image=image)
    with pytest.raises(ProtectedError):
        image.delete()


def test_saving_an_article_read_before_a_comment_came_keeps_the_new_count():
    """An editor's save writes what the form changed, never the count it read."""
    article = make_article()
    read_earlier = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(comment_count=3)  # as the comments app does
    read_earlier.headline = "A better headline"
    read_earlier.save()
    article.refresh_from_db()
    assert (article.headline, article.comment_count) == ("A better headline", 3)


def test_saving_an_article_read_in_part_leaves_the_rest_as_stored():
    article = make_article(standfirst="Kept as stored.")
    partial = Article.objects.only("pk", "headline").get(pk=article.pk)
    partial.headline = "Renamed"
    partial.save()
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("Renamed", "Kept as stored.")
