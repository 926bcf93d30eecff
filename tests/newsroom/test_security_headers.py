"""Security headers on every response: CSP without nonces or inline scripts, frame, sniffing,
referrer, opener and browser-feature policies, HSTS and the HTTPS redirect."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(section=make_section(), tags=["Energy"])


def pages(article):
    return [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/search/?q=energy",
        "/feeds/rss/",
        "/sitemap.xml",
        "/robots.txt",
        "/newsletter/",
        "/articles/no-such-article/",
        reverse("admin:login"),
        reverse("admin:index"),
    ]


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_page_sends_the_security_headers(client, article):
    for url in pages(article):
        response = client.get(url)
        assert response.status_code < 500, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        csp = csp_directives(response)
        assert csp["script-src"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"], url
        assert csp["object-src"] == ["'none'"], url
        assert csp["base-uri"] == ["'none'"], url
        # Pictures from this site only: the media bucket's origin joins when there is one.
        assert csp["img-src"] == ["'self'"], url


def test_policy_never_allows_inline_scripts_or_carries_a_nonce(client, article):
    for url in pages(article):
        policy = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
        assert "nonce-" not in policy, url


def test_reader_pages_run_no_inline_script(client, article):
    """The only inline <script> blocks are JSON-LD data, which browsers do not execute; a page
    cached whole therefore needs no per-request nonce."""
    for url in ("/", article.get_absolute_url(), "/newsletter/", "/search/?q=x"):
        html = client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in tag or "src=" in tag, (url, tag)
        assert "nonce=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        assert " style=" not in html, url


def test_the_admin_runs_only_script_files_and_carries_no_nonce(editor_client, article):
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_changelist"),
    ):
        html = editor_client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            # Django's admin passes its constants in data- attributes of script files.
            assert "src=" in tag, (url, tag)
        assert "nonce=" not in html, url


def test_https_requests_get_a_preload_ready_hsts_header(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_except_the_health_check(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get("/newsletter/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/newsletter/"
        assert client.get("/healthz").status_code == 200


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_proxy_its_forwarded_protocol_counts_as_https(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get("/newsletter/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_preview_links_send_no_referrer(client, article):
    from articles.models import Article
    from desk.models import PreviewLink

    article.status = Article.Status.DRAFT
    article.save()
    link = PreviewLink.objects.create(article=article)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
