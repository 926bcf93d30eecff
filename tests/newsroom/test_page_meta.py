import json
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from newsroom.templatetags.page_meta import json_ld


def render(source, path):
    request = RequestFactory().get(path)
    return Template("{% load page_meta %}" + source).render(Context({"request": request}))


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/", "http://testserver/"),
        ("/?page=1", "http://testserver/"),
        ("/?page=3&utm_source=x", "http://testserver/?page=3"),
        ("/search/?q=oil+%26+gas&fbclid=1", "http://testserver/search/?q=oil+%26+gas"),
    ],
)
def test_canonical_url_keeps_only_the_parameters_that_change_the_page(path, canonical):
    assert render("{% canonical_url %}", path) == canonical


def test_absolute_url_uses_the_request_host():
    assert render('{% absolute_url "/feeds/rss/" %}', "/") == "http://testserver/feeds/rss/"


def test_json_ld_escapes_markup_and_serialises_dates():
    value = {"headline": "</script><b>&", "date": datetime(2026, 1, 2, 3, 4, tzinfo=UTC)}
    html = json_ld(value)
    assert html.startswith('<script type="application/ld+json">')
    body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"headline": "</script><b>&", "date": "2026-01-02T03:04:00Z"}
