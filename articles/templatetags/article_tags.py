from django import template

import pagecache

from ..models import Section

register = template.Library()


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav(context):
    sections = pagecache.remember("section-nav", lambda: list(Section.objects.all()))
    return {"sections": sections, "current": context.get("section")}
