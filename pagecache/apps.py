from django.apps import AppConfig
from django.conf import settings


class PagecacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from .watching import watch

        watch(settings.NEWSROOM_PAGE_CACHE_WATCH)
