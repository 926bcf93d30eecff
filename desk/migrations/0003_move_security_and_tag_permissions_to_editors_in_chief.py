"""Accounts, lockouts, two-factor devices and tag maintenance go to the editor-in-chief's group:
editors and writers made before lose those permissions (desk/roles.py says who holds what; its
post_migrate handler grants the new group its permissions after this)."""

from django.db import migrations

CHIEF = "Editors-in-chief"
# As desk.roles.CHIEF_APPS: copied, since a migration keeps what it did when roles change.
CHIEF_APPS = ["auth", "axes", "otp_totp", "otp_static", "taggit"]
# What editors and writers held of them before.
HELD_BEFORE = {"Editors": ["axes", "taggit"], "Writers": ["taggit.view_tag"]}


def move_to_chief(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).get_or_create(name=CHIEF)
    for group in Group.objects.using(db).filter(name__in=HELD_BEFORE):
        moved = group.permissions.filter(content_type__app_label__in=CHIEF_APPS)
        group.permissions.remove(*moved)


def give_back(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.using(db).filter(name__in=HELD_BEFORE):
        for held in HELD_BEFORE[group.name]:
            app_label, _, codename = held.partition(".")
            permissions = Permission.objects.using(db).filter(content_type__app_label=app_label)
            if codename:
                permissions = permissions.filter(codename=codename)
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_one_article_per_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("articles", "0006_create_writer_and_editor_groups"),
    ]

    operations = [migrations.RunPython(move_to_chief, give_back)]
