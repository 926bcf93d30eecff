from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editorial desk"

    def ready(self):
        from reversion.signals import post_revision_commit

        from .revisions import split_by_article
        from .roles import grant_after_migrate

        # Connected after django.contrib.auth's handler (auth is listed first), so each app's
        # permissions exist by the time this runs for that app.
        post_migrate.connect(grant_after_migrate, dispatch_uid="desk.grant_role_permissions")
        post_revision_commit.connect(split_by_article, dispatch_uid="desk.split_by_article")
