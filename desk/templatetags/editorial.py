from django import template

from ..dashboard import editorial_dashboard

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def editorial_panels(context):
    return {"panels": editorial_dashboard(context["request"].user)}
