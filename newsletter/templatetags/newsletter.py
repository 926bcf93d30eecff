from django import template

from articles.models import Article

from ..forms import SignupForm
from ..models import Subscriber

register = template.Library()


@register.inclusion_tag("newsletter/includes/signup_form.html", takes_context=True)
def newsletter_signup(context, source=Subscriber.Source.PAGE):
    """The signup form. `source` is the article being read, or "home" / "page"."""
    if isinstance(source, Article):
        initial = {"source": Subscriber.Source.ARTICLE, "article": source.pk}
    else:
        initial = {"source": source}
    return {"form": SignupForm(initial=initial), "csrf_token": context.get("csrf_token")}
