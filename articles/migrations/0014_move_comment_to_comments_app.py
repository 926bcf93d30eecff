from django.db import migrations


class Migration(migrations.Migration):
    """Comments become an app of their own: the table is renamed here, and comments.0001_initial
    takes the model over without touching its rows."""

    dependencies = [
        ("articles", "0013_published_at_help_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="comment", table="comments_comment"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Comment"),
            ],
        ),
    ]
