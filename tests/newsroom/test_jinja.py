import re
from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import RequestFactory, override_settings
from django.utils.safestring import mark_safe

from comments.cookie import COOKIE_NAME
from tests.factories import make_article, make_section


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
def test_test_client_sees_the_template_and_its_context(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response.templates[0].name == "articles/article_detail.html"
    assert response.context["article"] == article


@pytest.mark.django_db
def test_both_languages_bases_frame_a_page_alike():
    """The reader pages' base (Jinja) and the other pages' (Django) must not drift apart."""
    make_section(name="World", slug="world")
    request = RequestFactory().get("/somewhere/", {"q": "x", "page": "2"})
    context = {
        "page_title": "A page",
        "page_description": "What it is about. " * 12,
        "noindex": True,
        "breadcrumbs": [("Home", "/"), ("A page", "/somewhere/")],
        "structured_data": [{"@type": "Thing", "name": "</script>"}],
        "feeds": {"RSS": "/feeds/x/rss/", "Atom": "/feeds/x/atom/"},
        "canonical_params": ["q"],
        "query": "x",
        "csrf_token": "",
    }
    jinja = engines["jinja"].get_template("base.html").render(dict(context), request)
    django = engines["django"].get_template("base.html").render(dict(context), request)

    def normalised(html):
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    assert normalised(jinja) == normalised(django)


def test_both_languages_faq_lists_alike():
    """The desk's writing preview keeps the Django language's FAQ list; the article page's is
    Jinja's."""

    class Item:
        question, answer = "Will <it> last?", "Not yet.\nMaybe & later."

    items = [Item(), Item()]
    jinja = engines["jinja"].get_template("articles/includes/faq.html").render({"items": items})
    django = engines["django"].get_template("articles/includes/faq.html").render({"items": items})
    assert jinja == django
