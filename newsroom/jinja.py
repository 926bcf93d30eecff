"""
Jinja2 for the reader pages, which Django's own template language makes several times slower
than they need be: the second engine in TEMPLATES, first in line, finds the templates in each
app's `jinja2/` folder (every page readers see, with its includes, and the error pages); every
other template (the admin's, e-mails', form widgets') is the Django language's.

Values print as Django's templates print them, so that the pages stay the same bytes
(tests/articles/test_reference_html.py): in the current time zone, localised, and escaped by
Django's escape (which writes quotes as &quot; and &#x27;). The filters and helpers are
Django's own where there is one: `date`, `pluralize`, `linebreaksbr`, `urlencode`,
`truncatechars`; `static()` and `url()` (articles.paths), both kept per process, and
`today()`. Parts other apps put in pages (the comments, the newsletter form, pictures) come
through their template tags' functions: the comments and the signup form are these apps' Jinja
includes, rendered with the context those functions compute.
"""

import functools
import html
from datetime import datetime, time

import jinja2
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from markupsafe import Markup

from articles.fragments import byline, card_text
from articles.paths import path_to
from articles.site_frame import nav_sections, policy_links
from comments.sections import comment_html
from comments.sections import comments_section as comments_context
from images.templatetags.images import figure, picture, with_media
from newsletter.signup import newsletter_signup as signup_context
from newsroom.templatetags.page_meta import canonical_url as canonical_context
from newsroom.templatetags.page_meta import json_ld, machine_time


def finalize(value):
    """A value as Django's templates print it (django.template.base.render_value_in_context)."""
    if type(value) is str:
        # Most values are text, which nothing localises: escaped as django.utils.html.escape
        # does, without the three type checks and the lazy-text wrapper on the way.
        return SafeString(html.escape(value))
    return conditional_escape(localize(timezone.template_localtime(value)))


def csrf_once(request):
    """(csrf_token, csrf_input) for a page: the reader's token masked once, when first printed.
    Django's backend masks it afresh each time either is read: a page with two forms read it
    four times (each form asks `{% if csrf_token %}`, then prints its `csrf_input`)."""
    token = SimpleLazyObject(lambda: get_token(request))
    # django.template.backends.utils.csrf_input, with the token above.
    field = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    return token, SimpleLazyObject(lambda: format_html(field, str(token)))


# Dates formatted, kept: a listing prints a date on every card, each the same on every request,
# and Django's date filter works out its format, time zone and month name afresh each time.
DATES_KEPT = 10_000


@functools.lru_cache(maxsize=DATES_KEPT)
def _formatted(value, zone, format, language):
    return defaultfilters.date(value, format)


def date(value, format=None):
    """Django's date filter, in the current time zone. A datetime's hash is its instant, the
    same in every zone, so the zone is part of the key, as is the language (month names)."""
    value = timezone.template_localtime(value)
    if not isinstance(value, datetime):
        return defaultfilters.date(value, format)
    return _formatted(value, value.tzinfo, format, translation.get_language())


@functools.lru_cache(maxsize=256)
def static_url(path):
    """Django's static(): a static file's address, the same until the files are collected
    again and the process restarts (the manifest is read at start), so kept per path."""
    return static(path)


@receiver(setting_changed)
def settings_changed(**kwargs):
    _formatted.cache_clear()  # formats, time zones and languages are settings
    static_url.cache_clear()  # and so are the static files' storage and address


def today(format):
    """Today's date in the current time zone, as Django's date filter formats it. The masthead
    and the footer print it on every page: it is a date, the same all day, so it is kept as
    every date printed is (its key is midnight)."""
    tz = timezone.get_current_timezone() if settings.USE_TZ else None
    midnight = datetime.combine(datetime.now(tz=tz).date(), time(), tzinfo=tz)
    return date(midnight, format)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


def canonical_url(request, params):
    return canonical_context({"request": request, "canonical_params": params})


def included(context, template_name, data):
    """`template_name` rendered with `data` and the page's CSRF token, as Django renders an
    inclusion tag: in a context of its own, announced as Template.render announces pages."""
    data = {
        "csrf_token": context.get("csrf_token", ""),
        "csrf_input": context.get("csrf_input", ""),
        **data,
    }
    template = context.environment.get_template(template_name)
    template_rendered.send(sender=template, template=template, context=data)
    return Markup(template.render(data))  # noqa: S704 (an autoescaping template)


@jinja2.pass_context
def comments_section(context, article):
    """The comments under `article` and their form (comments.sections)."""
    data = comments_context(context.get("request"), article)
    return included(context, "comments/includes/comments.html", data)


@jinja2.pass_context
def newsletter_signup(context, *source):
    """The newsletter's signup form (newsletter.signup; `source` as it takes it)."""
    data = signup_context(context, *source)
    return included(context, "newsletter/includes/signup_form.html", data)


def environment(**options):
    options.pop("autoescape", None)
    options.setdefault("keep_trailing_newline", True)  # as Django's templates keep it
    env = jinja2.Environment(autoescape=True, finalize=finalize, **options)
    env.globals.update(
        static=static_url,
        url=path_to,
        today=today,
        canonical_url=canonical_url,
        absolute_url=lambda request, path: request.build_absolute_uri(path),
        nav_sections=nav_sections,
        policy_links=policy_links,
        picture=picture,
        figure=figure,
        comments_section=comments_section,
        newsletter_signup=newsletter_signup,
        byline=byline,
        card_text=card_text,
    )
    env.filters.update(
        date=date,
        pluralize=defaultfilters.pluralize,
        linebreaksbr=linebreaksbr,
        urlencode=defaultfilters.urlencode,
        truncatechars=defaultfilters.truncatechars,
        json_ld=json_ld,
        machine_time=machine_time,
        comment_html=comment_html,
        with_media=with_media,
    )
    return env


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with two differences:

    - a `csrf_token` the view gives stands: pagecache gives "" to pages for everyone, which
      must carry no token (Django's backend would set the reader's);
    - templates announce their rendering as Django's do (django.test.signals), so that the
      test client sees their context and name. Nothing listens outside tests.
    """

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)


class Template(django_jinja2.Template):
    def __init__(self, template, backend):
        super().__init__(template, backend)
        self.name = template.name

    def render(self, context=None, request=None):
        context = {} if context is None else context
        if request is not None:
            context["request"] = request
            if "csrf_token" in context:
                context.setdefault("csrf_input", "")
            else:
                context["csrf_token"], context["csrf_input"] = csrf_once(request)
            for context_processor in self.backend.template_context_processors:
                context.update(context_processor(request))
        template_rendered.send(sender=self, template=self, context=context)
        try:
            return self.template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            error = django_jinja2.TemplateSyntaxError(exc.args)
            error.template_debug = django_jinja2.get_exception_info(exc)
            raise error from exc
