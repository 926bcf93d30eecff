"""Each article keeps the count of the comments readers see (comments.models.count_comments):
count the comments stored before it did."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_comments(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    # Comment.objects.approved() as it stands here: approved, not removed by its writer, and if
    # a reply, under an approved comment.
    shown = Comment.objects.filter(
        Q(status="approved"),
        Q(removed_at__isnull=True),
        Q(parent__isnull=True) | Q(parent__status="approved"),
    )
    counts = (
        shown.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    Article.objects.update(comment_count=Coalesce(Subquery(counts), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0028_article_comment_count"),
        ("comments", "0004_add_staff_replies"),
    ]

    operations = [migrations.RunPython(count_comments, migrations.RunPython.noop)]
