"""The picture library's "Used in", as the articles app answers it."""

import pytest
from django.urls import reverse

from articles.image_uses import body_images, lead_images, publisher_logo
from articles.models import Article
from articles.services import publisher_logo_set
from images import usage
from tests.factories import make_article
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_lead_images_body_pictures_and_the_logo_are_uses(django_assert_num_queries):
    harbour, map_, logo, unused = (make_image() for _ in range(4))
    lead = make_article(headline="Harbour reopens", lead_image=harbour)
    draft = make_article(headline="Quay plans", status=Article.Status.DRAFT,
                         body=f"![[image:{map_.pk}]]\n\n![[image:{harbour.pk}|1:1]]")  # fmt: skip
    publisher_logo_set(logo=logo)
    ids = [harbour.pk, map_.pk, logo.pk, unused.pk]
    with django_assert_num_queries(3):  # one per provider, however many pictures
        found = usage.uses_of(ids)
    assert found == {
        harbour.pk: [
            usage.Use("Lead image of “Harbour reopens” (published)", change_url(lead)),
            usage.Use("In the text of “Quay plans” (draft)", change_url(draft)),
        ],
        map_.pk: [usage.Use("In the text of “Quay plans” (draft)", change_url(draft))],
        logo.pk: [usage.Use("The publisher's logo, for search engines",
                            reverse("admin:articles_publisher_change", args=[1]))],
        unused.pk: [],
    }  # fmt: skip


def test_a_provider_answers_only_for_the_pictures_asked():
    asked, other = make_image(), make_image()
    make_article(lead_image=other, body=f"![[image:{other.pk}]]")
    publisher_logo_set(logo=other)
    for provider in (lead_images, body_images, publisher_logo):
        assert provider([asked.pk]) == {}
