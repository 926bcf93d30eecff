from django.apps import AppConfig
from django.conf import settings
from django.core.signals import setting_changed


def _forget_purger(setting, **kwargs):
    if setting.startswith(("NEWSROOM_EDGE_", "NEWSROOM_VARNISH_", "NEWSROOM_FASTLY_",
                           "NEWSROOM_CLOUDFLARE_")):  # fmt: skip
        from .edge import forget

        forget()


class PagecacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from .watching import watch

        watch(settings.NEWSROOM_PAGE_CACHE_WATCH)
        setting_changed.connect(_forget_purger, dispatch_uid="pagecache:forget-purger")
