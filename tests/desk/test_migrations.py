"""The desk's data migrations, run on rows made before them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from desk.roles import EDITORS, EDITORS_IN_CHIEF, WRITERS

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()


def test_editors_and_writers_made_before_lose_the_security_tables_and_tag_maintenance():
    migrate([("desk", "0002_one_article_per_revision")])
    try:
        editors, writers = Group.objects.get(name=EDITORS), Group.objects.get(name=WRITERS)
        editors.permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
        editors.permissions.add(*Permission.objects.filter(content_type__app_label="taggit"))
        writers.permissions.add(Permission.objects.get(codename="view_tag"))
        Group.objects.filter(name=EDITORS_IN_CHIEF).delete()
        migrate([("desk", "0003_move_security_and_tag_permissions_to_editors_in_chief")])
        for group in (editors, writers):
            held = group.permissions.values_list("content_type__app_label", flat=True)
            assert not {"axes", "taggit"} & set(held)
        assert editors.permissions.filter(codename="publish_article").exists()
        assert Group.objects.filter(name=EDITORS_IN_CHIEF).exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
