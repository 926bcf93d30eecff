from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.urls import register_converter


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from taggit.models import Tag

        from images import usage

        from . import image_uses, search_index
        from .converters import UnicodeSlugConverter
        from .slugs import fill_empty_tag_slug

        # For the app's routes and the project's feed routes alike; registered once.
        register_converter(UnicodeSlugConverter, "unicode_slug")
        # Tags are taggit's model: its save() makes the slug, so the fallback hooks in here.
        pre_save.connect(fill_empty_tag_slug, sender=Tag, dispatch_uid="articles.tag_slug")
        # A migration that rebuilds the articles table on SQLite drops the search triggers.
        post_migrate.connect(
            search_index.after_migrate, sender=self, dispatch_uid="articles.search_index"
        )
        # The picture library shows where each picture is used.
        for provider in (image_uses.lead_images, image_uses.body_images, image_uses.publisher_logo):
            usage.register(provider)
