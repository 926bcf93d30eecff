from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from .models import Comment, comment_saved_or_deleted

        # Each article keeps the count of the comments readers see (count_comments).
        post_save.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comment_count")
        post_delete.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comment_count")
