"""
How the page cache hears of changes: the model signals of every model named in
NEWSROOM_PAGE_CACHE_WATCH, connected once from PagecacheConfig.ready().

The setting maps a model label to the dotted path of the owning app's
`function(instance, event, **details)`, which returns the surrogate keys of the pages the
change affects (none when readers see no difference, such as a comment awaiting moderation
being edited). `event` is "created", "updated" or "deleted", or "linked" for a many-to-many
change of the instance, with `model` and `pk_set` as in m2m_changed (pk_set None for a clear).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils.module_loading import import_string

from .purging import pages_changed

_functions = {}


def keys_for(instance, event, **details):
    function = _functions.get(type(instance)._meta.label)
    return set(function(instance, event, **details)) if function else set()


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw:
        pages_changed(keys_for(instance, "created" if created else "updated"), kwargs.get("using"))


def _deleting(sender, instance, **kwargs):
    # Asked before the row goes, while the function can still read what the instance is linked
    # to; the purge is sent when the delete's transaction commits.
    pages_changed(keys_for(instance, "deleted"), kwargs.get("using"))


def _linked(sender, instance, action, model, pk_set, **kwargs):
    if action in ("pre_clear", "post_add", "post_remove"):
        pages_changed(keys_for(instance, "linked", model=model, pk_set=pk_set), kwargs.get("using"))


def watch(watched):
    """Connect the signals of the models in `watched` ({label: keys function path})."""
    for label, path in watched.items():
        model = apps.get_model(label)
        _functions[model._meta.label] = import_string(path)
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_linked, dispatch_uid="pagecache:linked")
