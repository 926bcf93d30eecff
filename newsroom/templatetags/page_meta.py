import datetime
import functools
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, is_aware, localtime

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address with only the query parameters its view names in `canonical_params`
    (a search's `q`, a list's `page`); anything else, tracking tags or made-up ones, is dropped."""
    request = context["request"]
    params = {
        name: request.GET[name]
        for name in context.get("canonical_params", ())
        if request.GET.get(name) and not (name == "page" and request.GET[name] == "1")
    }
    return request.build_absolute_uri(request.path + (f"?{urlencode(params)}" if params else ""))


@register.filter(is_safe=True)
def json_ld(value):
    """Like Django's json_script, for the script type search engines read."""
    data = json.dumps(value, cls=DjangoJSONEncoder).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.filter
def machine_time(value):
    """A date or time as a `<time datetime>` (and `article:*_time`) value: ISO 8601 in whole
    seconds, with its offset. Django's `date:'c'` adds microseconds, which HTML does not allow."""
    if isinstance(value, datetime.datetime):
        if is_aware(value):
            return _machine_time(value, get_current_timezone())
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


# Kept like newsroom.jinja's dates: a listing prints one on every card. A datetime's hash is its
# instant, the same in every zone, so the zone is part of the key.
@functools.lru_cache(maxsize=10_000)
def _machine_time(value, zone):
    return localtime(value, zone).replace(microsecond=0).isoformat()
