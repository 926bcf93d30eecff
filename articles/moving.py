"""
For migrations that move a model out of the articles app into another: its content type moves
with it, and with the content type its permissions (and every group and user holding them),
admin log entries and django-reversion versions, which all point at the content type's row.
"""


def move_content_type(apps, schema_editor, *, model, from_app, to_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    moving = content_types.filter(app_label=from_app, model=model).first()
    if moving is None:
        return  # a new database: content types are made after the migrations
    # A content type already under the new label was made by a `migrate` since the model
    # moved back (migrating backwards leaves both apps installed); only its fresh permissions
    # point at it, and the ones that travel with the old row replace them.
    content_types.filter(app_label=to_app, model=model).delete()
    moving.app_label = to_app
    moving.save(update_fields=["app_label"])
    # The running process may have cached the content type under its old label.
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_type_mover(*, model, from_app, to_app):
    """A RunPython pair moving `model`'s content type from `from_app` to `to_app` and back."""

    def forwards(apps, schema_editor):
        move_content_type(apps, schema_editor, model=model, from_app=from_app, to_app=to_app)

    def backwards(apps, schema_editor):
        move_content_type(apps, schema_editor, model=model, from_app=to_app, to_app=from_app)

    return forwards, backwards
