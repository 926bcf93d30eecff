from django import template

import pagecache

from .. import cache_keys
from ..models import Section

register = template.Library()


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav(context):
    sections = pagecache.remember(
        "section-nav", lambda: list(Section.objects.all()), keys=(cache_keys.NAV,)
    )
    return {"sections": sections, "current": context.get("section")}
