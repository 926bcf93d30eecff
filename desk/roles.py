"""
The newsroom's two roles and the permissions each holds.

The groups are created by a migration; `grant_role_permissions` runs after every `migrate` (a
`post_migrate` handler, see apps.py) so permissions added later, by new models or new apps, reach
the groups without anyone editing them by hand. Permissions are only ever added: anything an
administrator granted on top is left alone.
"""

from django.contrib.auth.models import Group, Permission

WRITERS = "Writers"
EDITORS = "Editors"

PUBLISH_PERMISSION = "articles.publish_article"

# Editors hold every permission of these apps; apps not installed simply contribute none.
# axes: editors see login lockouts and lift them by deleting the access attempt.
EDITOR_APPS = (
    "articles", "taggit", "reversion", "comments", "desk", "newsletter", "axes", "images",
)  # fmt: skip

# The publisher's policy pages are the owner's word: editors read them, and whoever is given
# these permissions by hand (the editor-in-chief) or a superuser changes them.
EDITOR_EXCLUDED = {"add_policypage", "change_policypage", "delete_policypage"}

_INLINE_MODELS = ("articleauthor", "faqitem", "relatedlink")
WRITER_PERMISSIONS = (
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    *(f"articles.{action}_{model}" for model in _INLINE_MODELS
      for action in ("add", "change", "delete", "view")),
    # Corrections: writers may add and edit them, never delete them.
    "articles.add_correction",
    "articles.change_correction",
    "articles.view_correction",
    "articles.view_section",
    "articles.view_author",
    "taggit.view_tag",
    # Pictures: writers choose from the library and add to it, for their articles; changing or
    # deleting a picture other articles may use is for editors.
    "images.add_image",
    "images.view_image",
)  # fmt: skip


def role_permissions(app_label, using="default"):
    """{group name: permissions of `app_label` that the group should hold}."""
    in_app = Permission.objects.using(using).filter(content_type__app_label=app_label)
    writer_codenames = [
        name.split(".", 1)[1] for name in WRITER_PERMISSIONS if name.startswith(f"{app_label}.")
    ]
    return {
        EDITORS: list(in_app.exclude(codename__in=EDITOR_EXCLUDED))
        if app_label in EDITOR_APPS
        else [],
        WRITERS: list(in_app.filter(codename__in=writer_codenames)),
    }


def grant_role_permissions(app_label, using="default"):
    """Add the app's role permissions to the groups, creating them if missing; returns a count."""
    granted = 0
    for group_name, permissions in role_permissions(app_label, using).items():
        if not permissions:
            continue
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        missing = set(permissions) - set(group.permissions.all())
        group.permissions.add(*missing)
        granted += len(missing)
    return granted


def grant_after_migrate(sender, app_config, using="default", **kwargs):
    """post_migrate runs once per app, after auth has created that app's permissions."""
    grant_role_permissions(app_config.label, using)
