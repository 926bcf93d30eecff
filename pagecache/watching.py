"""
How the page cache hears of changes: the model signals of every model named in
NEWSROOM_PAGE_CACHE_WATCH, connected once from PagecacheConfig.ready().

The setting maps a model label to None, or to the dotted path of `function(instance, created)`
that says whether a save changes what readers see (a comment awaiting moderation does not).
Deletes and many-to-many changes always count.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import import_string

from .generations import content_changed


def _saved_receiver(seen_by_readers):
    def saved(sender, instance, created=False, **kwargs):
        if seen_by_readers is None or seen_by_readers(instance, created):
            content_changed(using=kwargs.get("using"))

    return saved


def _deleted(sender, instance, **kwargs):
    content_changed(using=kwargs.get("using"))


def _linked(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed(using=kwargs.get("using"))


def watch(watched):
    """Connect the signals of the models in `watched` ({label: predicate path or None})."""
    for label, predicate in watched.items():
        model = apps.get_model(label)
        uid = f"pagecache:{model._meta.label}"
        saved = _saved_receiver(import_string(predicate) if predicate else None)
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_linked, sender=model, dispatch_uid=uid)
