"""
The newsroom's three roles and the permissions each holds: writers, editors, and the
editor-in-chief, who holds the editors' permissions (through both groups) and, besides,
the security tables and tag maintenance editors do not see.

The groups are created by a migration; `grant_role_permissions` runs after every `migrate` (a
`post_migrate` handler, see apps.py) so permissions added later, by new models or new apps, reach
the groups without anyone editing them by hand. Permissions are only ever added: anything an
administrator granted on top is left alone.
"""

from django.contrib.auth.models import Group, Permission

WRITERS = "Writers"
EDITORS = "Editors"
EDITORS_IN_CHIEF = "Editors-in-chief"

PUBLISH_PERMISSION = "articles.publish_article"

# Editors hold every permission of these apps; apps not installed simply contribute none.
EDITOR_APPS = ("articles", "reversion", "comments", "desk", "newsletter", "images")
# The editor-in-chief's on top: accounts and groups, login lockouts (axes: lifted by deleting
# the access attempt), two-factor devices, and tag maintenance (merging and renaming tags
# retags every article, live ones too).
CHIEF_APPS = ("auth", "axes", "otp_totp", "otp_static", "taggit")
# And single permissions of other apps: uploading a whole WordPress or NINJS archive.
CHIEF_PERMISSIONS = ("ingest.import_archive",)
# Taken away from editors and writers by desk's migration 0003 in databases made before.
MOVED_TO_CHIEF = CHIEF_APPS

# The publisher's policy pages are the owner's word: editors read them, and the editor-in-chief
# (or a superuser) changes them.
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
    # Pictures: writers choose from the library and add to it, for their articles; changing or
    # deleting a picture other articles may use is for editors.
    "images.add_image",
    "images.view_image",
    # Preview links for their own drafts (the article admin lets them only there).
    "desk.add_previewlink",
    "desk.change_previewlink",
    "desk.view_previewlink",
)  # fmt: skip


def _codenames(names, app_label):
    return [name.split(".", 1)[1] for name in names if name.startswith(f"{app_label}.")]


def role_permissions(app_label, using="default"):
    """{group name: permissions of `app_label` that the group should hold}."""
    in_app = Permission.objects.using(using).filter(content_type__app_label=app_label)
    writer_codenames = _codenames(WRITER_PERMISSIONS, app_label)
    chief_codenames = [*EDITOR_EXCLUDED, *_codenames(CHIEF_PERMISSIONS, app_label)]
    return {
        EDITORS: list(in_app.exclude(codename__in=EDITOR_EXCLUDED))
        if app_label in EDITOR_APPS
        else [],
        EDITORS_IN_CHIEF: list(in_app)
        if app_label in CHIEF_APPS
        else list(in_app.filter(codename__in=chief_codenames)),
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
