from django import template

from ..models import Article, Section

register = template.Library()


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav(context):
    return {"sections": Section.objects.all(), "current": context.get("section")}


@register.inclusion_tag("articles/includes/related_list.html")
def related_articles(article):
    return {"articles": Article.objects.for_listing().related_to(article)}
