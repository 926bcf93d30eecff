import re
from datetime import UTC, datetime

import pytest
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views import defaults

from comments.cookie import COOKIE_NAME
from newsroom.outage import database_unavailable_response
from tests.factories import make_article


def render(source, **context):
    return engines["jinja"].from_string(source).render(context)


def django_render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    "value",
    [
        'Editor\'s "pick" <b> & co',
        mark_safe("<b>kept</b>"),
        None,
        1234567,
        2.5,
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    ],
)
def test_values_print_as_django_templates_print_them(value):
    assert render("{{ value }}", value=value) == django_render("{{ value }}", value=value)


@override_settings(TIME_ZONE="Europe/Madrid")
def test_dates_are_in_the_current_time_zone_as_in_django_templates():
    when = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert render("{{ when|date('j F Y, H:i') }}", when=when) == "3 March 2026, 00:30"
    assert render("{{ when|date('c') }}", when=when) == django_render(
        "{{ when|date:'c' }}", when=when
    )


def test_a_date_printed_again_in_another_time_zone_or_language_is_printed_for_it():
    when = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    printed = []
    for zone, language in (("UTC", "en"), ("Asia/Tokyo", "en"), ("UTC", "en"), ("UTC", "es")):
        with timezone.override(zone), translation.override(language):
            printed.append(render("{{ when|date('j F Y, H:i') }}", when=when))
    assert printed == [
        "2 March 2026, 23:30",
        "3 March 2026, 08:30",
        "2 March 2026, 23:30",
        "2 marzo 2026, 23:30",
    ]


def test_todays_date_is_the_current_time_zones_however_often_it_is_printed():
    printed = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Pacific/Kiritimati"):  # 25 h apart
        with timezone.override(zone):
            printed.setdefault(zone, set()).add(render("{{ today('Y-m-d') }}"))
            assert printed[zone] == {timezone.localdate().isoformat()}
    assert printed["Pacific/Kiritimati"] != printed["Pacific/Pago_Pago"]
    assert render("{{ today('Y') }}") == str(timezone.localdate().year)


def test_a_static_files_address_follows_the_static_settings():
    local = render("{{ static('css/site.css') }}")
    assert local.startswith("/static/css/site.")
    with override_settings(STATIC_URL="https://static.example.com/"):
        assert render("{{ static('css/site.css') }}").startswith("https://static.example.com/css/")
    assert render("{{ static('css/site.css') }}") == local


def test_filters_match_djangos():
    text = "One & two\nthree"
    assert render("{{ t|linebreaksbr }}", t=text) == django_render("{{ t|linebreaksbr }}", t=text)
    assert render("{{ n|pluralize }}", n=2) == "s" and render("{{ n|pluralize }}", n=1) == ""
    assert render("{{ q|urlencode }}", q="a b&c") == django_render("{{ q|urlencode }}", q="a b&c")


@pytest.mark.django_db
def test_pages_for_everyone_carry_no_csrf_token_and_pages_for_one_reader_do(client):
    article = make_article()
    for_everyone = client.get(article.get_absolute_url()).text
    assert "csrfmiddlewaretoken" not in for_everyone
    client.cookies[COOKIE_NAME] = "expired"  # comments of their own: a page for them alone
    for_one = client.get(article.get_absolute_url()).text
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="\w+"', for_one)) == 2


@pytest.mark.django_db
def test_a_page_for_one_reader_masks_their_csrf_token_once_for_all_its_forms(client):
    client.cookies[COOKIE_NAME] = "expired"
    page = client.get(make_article().get_absolute_url()).text
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page)
    assert len(tokens) == 2 and tokens[0] == tokens[1]


@pytest.mark.django_db
def test_test_client_sees_the_template_and_its_context(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response.templates[0].name == "articles/article_detail.html"
    assert response.context["article"] == article


@pytest.mark.parametrize(
    "name",
    [
        "base.html",
        "404.html",
        "500.html",
        "comments/includes/comments.html",
        "comments/comment_form.html",
        "newsletter/includes/signup_form.html",
        "newsletter/subscriber_signup.html",
        "articles/includes/faq.html",
    ],
)
def test_reader_templates_are_jinjas_alone(name):
    """One copy of the frame and of each page, which Django finds by name across engines."""
    assert get_template(name).backend is engines["jinja"]
    with pytest.raises(TemplateDoesNotExist):
        engines["django"].get_template(name)


def test_djangos_own_500_view_renders_the_page_with_no_context_and_no_database():
    """django.views.defaults.server_error renders 500.html with an empty context; no database
    (this test may not reach one)."""
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong | </title>" in html
    assert '<a href="/corrections/">Corrections</a>' in html


def test_the_outage_page_renders_without_the_database():
    response = database_unavailable_response()
    assert response.status_code == 503
    assert "<h1>Back in a moment</h1>" in response.content.decode()
