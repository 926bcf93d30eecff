from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.urls import register_converter


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from newsroom import pagecache

        from . import comment_cookie, forms, models
        from .converters import UnicodeSlugConverter
        from .roles import grant_after_migrate
        from .slugs import fill_empty_tag_slug

        # For the app's routes and the project's feed routes alike; registered once.
        register_converter(UnicodeSlugConverter, "unicode_slug")
        # Tags are taggit's model: its save() makes the slug, so the fallback hooks in here.
        pre_save.connect(fill_empty_tag_slug, sender=Tag, dispatch_uid="articles.tag_slug")

        # Connected after django.contrib.auth's handler (auth is listed first), so each app's
        # permissions exist by the time this runs for that app.
        post_migrate.connect(grant_after_migrate, dispatch_uid="articles.grant_role_permissions")

        # Everything readers see on the site: a write to any of it starts a new page generation
        # (as django.contrib.sites clears its cache from model signals). Comments awaiting
        # moderation are seen only by their writer, who gets uncached pages.
        pagecache.watch(
            models.Article, models.Section, models.Author, models.ArticleAuthor,
            models.FaqItem, models.RelatedLink, models.Correction, models.OldSlug,
            Tag, TaggedItem,
        )  # fmt: skip
        pagecache.watch(
            models.Comment, when=lambda comment, created: not created or comment.is_approved()
        )
        pagecache.ends_at(models.next_scheduled_time)
        pagecache.filler("comment-started")(forms.started_token_for_request)
        pagecache.bypass_cookie(comment_cookie.COOKIE_NAME)
