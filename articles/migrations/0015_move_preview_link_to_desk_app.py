from django.db import migrations


class Migration(migrations.Migration):
    """Preview links belong to the editors' desk: the table is renamed here, and desk.0001_initial
    takes the model over without touching its rows."""

    dependencies = [
        ("articles", "0014_move_comment_to_comments_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="previewlink", table="desk_previewlink"),
            ],
            state_operations=[
                migrations.DeleteModel(name="PreviewLink"),
            ],
        ),
    ]
