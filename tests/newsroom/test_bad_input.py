"""
The bad-input battery: every public route in the URLconf, sent odd parameters, wrong methods,
bytes that are not UTF-8 and bodies over Django's upload limits, answers 2xx, 3xx or 4xx and
never 500. Routes come from the URLconf itself, so a new route without a sample here fails
test_every_public_route_has_a_sample instead of going untested.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.urlconf import public_routes

pytestmark = pytest.mark.django_db

METHODS = ["get", "head", "options", "post", "put", "patch", "delete", "trace"]
ODD_QUERIES = [
    "page=-1",
    "page=0",
    "page=99999999999999999999999",
    "page=abc",
    "page=1.5",
    "page=last",
    "page=1&page=2",
    "before=nonsense",
    "before=20261399T101500Z-4",
    "before=20260105T101500Z-99999999999999999999",
    "after=%FF%FE",
    "before=20260105T101500Z-4&after=20260105T101500Z-4",
    "q=%FF%FE%00",
    "q=%00",
    "q=%",
    "q=%ZZ",
    "q=' OR 1=1--",
    "q=<script>alert(1)</script>",
    "q=" + "a" * 5000,
    "q=" + "%E2%80%AE" * 200,
    "%FF=%FF&=&&&",
    "format=json&callback=alert",
]
# Raw bytes in the query string, not percent-encoded (WSGI hands them over as Latin-1 text).
RAW_QUERIES = ["q=\xff\xfe", "page=\xff", "q=caf\xe9"]
ODD_VALUES = {
    "slug": ["no-such-thing", "a" * 300, "-", "_"],
    "unicodeslug": ["no-such-thing", "a" * 300, "-", "_", "несуществующий", "王" * 300],
    "int": ["0", "99999999999999999999", "9223372036854775808"],
    "string": ["not-a-token", "x" * 2000, "%FF%FE", "abc:def:ghi", "..", "%00"],
    "path": ["../../etc/passwd", "a/" * 1000 + "a.jpg", "%FF%FE.jpg", ".hidden.jpg", "%00.png"],
}
FORM = "application/x-www-form-urlencoded"
OVER_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
BODIES = [
    (FORM, b"name=\xff\xfe&email=a@b.c&body=caf\xe9"),
    (FORM, b"name=%FF%FE&body=%C3%28&email=%00"),
    (FORM, b"&".join(b"f%d=1" % n for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))),
    (FORM, b"body=" + b"a" * OVER_LIMIT),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\n\xff"),
    ("multipart/form-data", b"no boundary"),
    ("application/json", b'{"body": "\xff"'),
    ("text/plain; charset=utf-16", b"\xff\xfe\x00\x00"),
]


def urls_with_odd_parameters(name, converters, valid):
    """The route with each parameter in turn replaced by odd values (unknown, huge, garbage)."""
    for parameter, converter in converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        placeholder = "424242424242" if kind == "int" else "placeholder-4242"
        url = reverse(name, kwargs={**valid, parameter: placeholder})
        for odd in ODD_VALUES[kind]:
            yield url.replace(placeholder, odd)


def bad_requests(route, valid):
    """(method, url, body, content type, WSGI extras) for each bad request sent to `route`."""
    url = reverse(route.name, kwargs=valid)
    for method in METHODS:
        yield method.upper(), url, b"", FORM, {}
    for query in ODD_QUERIES:
        yield "GET", f"{url}?{query}", b"", FORM, {}
    for query in RAW_QUERIES:
        yield "GET", url, b"", FORM, {"QUERY_STRING": query}
    for content_type, body in BODIES:
        yield "POST", url, body, content_type, {}
    for odd_url in urls_with_odd_parameters(route.name, route.converters, valid):
        yield "GET", odd_url, b"", FORM, {}
        yield "POST", odd_url, b"", FORM, {}


def server_errors(client, requests):
    """The requests that raised or answered 5xx, each with what happened."""
    failures = []
    for method, url, body, content_type, extra in requests:
        try:
            status = client.generic(method, url, body, content_type, **extra).status_code
        except Exception as exc:  # the test client re-raises what the view raised
            status = repr(exc)[:200]
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{method} {url[:80]} {body[:30]!r} {extra}: {status}")
    return failures


def test_every_public_route_has_a_sample(route_samples):
    missing = [r.name for r in public_routes() if r.converters and r.name not in route_samples]
    assert missing == []


def test_public_routes_include_the_forms_and_feeds():
    names = {route.name for route in public_routes()}
    assert {"comments:post", "newsletter:signup", "articles:search"} <= names
    assert {"feeds:latest-rss", "healthz", "sitemap"} <= names


def test_no_public_route_answers_bad_input_with_a_server_error(route_samples, mailoutbox):
    requests = [
        request
        for route in public_routes()
        for request in bad_requests(route, route_samples.get(route.name, {}))
    ]
    assert len(requests) > 1000
    assert server_errors(Client(REMOTE_ADDR="203.0.113.7"), requests) == []


def test_odd_headers_are_refused_not_crashed_on(route_samples):
    requests = [
        ("GET", "/", b"", FORM, {"HTTP_HOST": "evil.example"}),
        ("GET", "/", b"", FORM, {"HTTP_HOST": "localhost:abc"}),
        ("GET", "/", b"", FORM, {"HTTP_COOKIE": "\xff\xfe=\x00; csrftoken"}),
        ("GET", "/", b"", FORM, {"HTTP_COOKIE": "a=" + "b" * 10000}),
        ("GET", "/", b"", FORM, {"HTTP_X_FORWARDED_FOR": "\xff, ,"}),
        ("GET", "/", b"", FORM, {"HTTP_ACCEPT_LANGUAGE": "\xff" * 500}),
        ("POST", "/newsletter/", b"x", FORM, {"CONTENT_LENGTH": "-5"}),
        ("POST", "/newsletter/", b"x", FORM, {"CONTENT_LENGTH": "abc"}),
        ("POST", "/newsletter/", b"email=a%40b.c", FORM + "; charset=klingon", {}),
    ]
    assert server_errors(Client(), requests) == []
