"""The publisher's logo, chosen by editors in the admin."""

import pytest
from django.urls import reverse

from articles.models import Publisher
from images.models import Rendition
from tests.admin_forms import errors_of
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_publisher_add")


def test_editor_chooses_the_logo_and_its_rendition_for_search_engines_is_made(
    desk_editor_client,
):
    logo = make_image(upload_file=upload(width=600, height=200), title="Masthead logo")
    response = desk_editor_client.post(ADD, {"logo": logo.pk})
    assert response.status_code == 302, errors_of(response)
    assert Publisher.objects.get().logo == logo
    assert Rendition.objects.filter(image=logo, ratio="original", format="jpeg").exists()


def test_there_is_one_publisher_at_most(desk_editor_client):
    desk_editor_client.post(ADD, {"logo": make_image().pk})
    assert desk_editor_client.get(ADD).status_code == 403
    changelist = desk_editor_client.get(reverse("admin:articles_publisher_changelist"))
    assert changelist.status_code == 200
    assert ADD not in changelist.text


def test_writers_cannot_change_the_publisher(writer_client):
    assert writer_client.get(ADD).status_code == 403
