"""Tag maintenance is the editor-in-chief's; merging tags (django-taggit's admin view) takes
the change permission."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse
from taggit.models import Tag

from tests.conftest import logged_in
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")
MERGE = reverse("admin:taggit_tag_merge_tags")


@pytest.fixture
def chief_client():
    return logged_in(make_staff("editor-in-chief"))


@pytest.fixture
def tagged():
    return make_article(tags=["Oil", "Petroleum"])


def choose_tags_to_merge(client, *names):
    pks = [Tag.objects.get(name=name).pk for name in names]
    return client.post(CHANGELIST, {"action": "render_tag_form", ACTION_CHECKBOX_NAME: pks})


def test_editor_merges_tags_and_articles_follow(chief_client, tagged):
    response = choose_tags_to_merge(chief_client, "Oil", "Petroleum")
    assert response.status_code == 302
    response = chief_client.post(MERGE, {"new_tag_name": "Energy"})
    assert response.status_code == 302
    assert sorted(tagged.tags.names()) == ["Energy"]


def test_editors_and_writers_do_not_maintain_tags(writer_client, desk_editor_client):
    assert writer_client.get(CHANGELIST).status_code == 403
    assert desk_editor_client.get(CHANGELIST).status_code == 403


def test_writer_who_may_see_tags_cannot_merge_them(writer, writer_client, tagged):
    writer.user_permissions.add(Permission.objects.get(codename="view_tag"))
    assert writer_client.get(CHANGELIST).status_code == 200
    response = choose_tags_to_merge(writer_client, "Oil", "Petroleum")
    assert "render_tag_form" not in response.text
    session = writer_client.session  # what the action would have stored
    session["selected_tag_ids"] = ",".join(
        str(pk) for pk in Tag.objects.values_list("pk", flat=True)
    )
    session.save()
    assert writer_client.post(MERGE, {"new_tag_name": "Energy"}).status_code == 403
    assert sorted(tagged.tags.names()) == ["Oil", "Petroleum"]
    assert not Tag.objects.filter(name="Energy").exists()


def test_merge_with_no_tags_chosen_goes_back_to_the_list(chief_client, tagged):
    response = chief_client.post(MERGE, {"new_tag_name": "Energy"})
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert not Tag.objects.filter(name="Energy").exists()
