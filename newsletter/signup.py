"""The newsletter's signup form as the reader pages show it (newsletter/includes/signup_form.html,
a Jinja2 include they call through newsroom.jinja)."""

from articles.models import Article

from .forms import SignupForm
from .models import Subscriber


def newsletter_signup(context, source=Subscriber.Source.PAGE):
    """The context of newsletter/includes/signup_form.html: the signup form. `source` is the
    article being read, or "home" / "page"."""
    if isinstance(source, Article):
        initial = {"source": Subscriber.Source.ARTICLE, "article": source.pk}
    else:
        initial = {"source": source}
    return {"form": SignupForm(initial=initial), "csrf_token": context.get("csrf_token")}
