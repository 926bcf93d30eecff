from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose default site is the desk's (two-factor login; desk/site.py).
    Named in INSTALLED_APPS in place of django.contrib.admin."""

    default = False
    default_site = "desk.site.DeskAdminSite"


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editorial desk"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save
        from reversion.signals import post_revision_commit

        from .bylines import staff_saved
        from .revisions import split_by_article
        from .roles import grant_after_migrate

        # Connected after django.contrib.auth's handler (auth is listed first), so each app's
        # permissions exist by the time this runs for that app.
        post_migrate.connect(grant_after_migrate, dispatch_uid="desk.grant_role_permissions")
        post_revision_commit.connect(split_by_article, dispatch_uid="desk.split_by_article")
        post_save.connect(staff_saved, sender=get_user_model(), dispatch_uid="desk.staff_saved")
