"""
The paths of reader pages, reversed once each per process: a listing links dozens of articles,
authors, sections and tags, and Django's resolver builds each path afresh. The paths depend on
the URLconf and the script prefix, which are part of the key; a test that changes the URLconf
empties the store, as Django empties its own resolver's.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Paths kept: those of the pages read most; a path not kept is reversed again.
PATHS_KEPT = 20_000


@functools.lru_cache(maxsize=PATHS_KEPT)
def _reversed(urlconf, prefix, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def path_to(name, *args):
    """reverse(name, args=args), kept: e.g. path_to("articles:tag", tag.slug)."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


@receiver(setting_changed)
def urlconf_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
