from django import template

from articles.models import Author

from .. import revisions
from ..dashboard import editorial_dashboard

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def editorial_panels(context):
    user = context["request"].user
    byline = Author.objects.filter(user=user).first()
    return {"panels": editorial_dashboard(user), "byline": byline}


@register.filter
def revision_time(revision):
    return revisions.revision_time(revision)
