import json
from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import timezone

from newsroom.templatetags.page_meta import json_ld, machine_time


def render(source, path, **context):
    request = RequestFactory().get(path)
    return Template("{% load page_meta %}" + source).render(
        Context({"request": request, **context})
    )


@pytest.mark.parametrize(
    ("path", "params", "canonical"),
    [
        ("/", ["page"], "http://testserver/"),
        ("/?page=1", ["page"], "http://testserver/"),
        ("/?page=3&utm_source=x&q=casino", ["page"], "http://testserver/?page=3"),
        (
            "/search/?q=oil+%26+gas&fbclid=1",
            ["q", "page"],
            "http://testserver/search/?q=oil+%26+gas",
        ),
        ("/articles/x/?page=7&q=casino", [], "http://testserver/articles/x/"),
    ],
)
def test_canonical_url_keeps_only_the_parameters_the_view_names(path, params, canonical):
    assert render("{% canonical_url %}", path, canonical_params=params) == canonical


def test_canonical_url_keeps_no_parameters_unless_the_view_names_some():
    assert render("{% canonical_url %}", "/about/?page=2&q=x") == "http://testserver/about/"


def test_absolute_url_uses_the_request_host():
    assert render('{% absolute_url "/feeds/rss/" %}', "/") == "http://testserver/feeds/rss/"


def test_json_ld_escapes_markup_and_serialises_dates():
    value = {"headline": "</script><b>&", "date": datetime(2026, 1, 2, 3, 4, tzinfo=UTC)}
    html = json_ld(value)
    assert html.startswith('<script type="application/ld+json">')
    body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"headline": "</script><b>&", "date": "2026-01-02T03:04:00Z"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # HTML allows at most three digits of a second: whole seconds, with the offset.
        (datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=UTC), "2026-03-04T05:06:07+00:00"),
        (date(2026, 3, 4), "2026-03-04"),
        (None, ""),
    ],
)
def test_machine_time_is_a_datetime_html_accepts(value, expected):
    assert machine_time(value) == expected


def test_machine_time_is_in_the_site_time_zone_like_the_date_shown():
    with override_settings(TIME_ZONE="Europe/Lisbon"):
        summer = datetime(2026, 7, 1, 12, 0, 0, 5, tzinfo=UTC)
        assert machine_time(summer) == "2026-07-01T13:00:00+01:00"


def test_one_instant_in_two_time_zones_in_turn_is_written_in_each():
    instant = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    for _ in range(2):
        with override_settings(TIME_ZONE="Europe/Lisbon"):
            assert machine_time(instant) == "2026-07-01T13:00:00+01:00"
        with timezone.override("America/Caracas"):
            assert machine_time(instant) == "2026-07-01T08:00:00-04:00"
