"""Known XSS payloads, posted as comments and approved, all come out inert on the article page.

"Inert" is checked structurally: the page holds no element or attribute that a page with an
ordinary comment does not, and every link in a comment is a plain http(s) link.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_moderate
from tests.factories import comment_post_data, make_article, make_comment
from tests.html_safety import XSS_PAYLOADS as PAYLOADS

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every element on a page: its attributes, and whether it sits inside a comment body."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "source"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.attributes = defaultdict(set)
        self.in_comment_body = []  # (tag, attrs) found inside a comment body
        self._stack = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes[tag].update(attrs)
        inside = any(kind == "comment-body" for kind in self._stack)
        if inside:
            self.in_comment_body.append((tag, attrs))
        if tag not in self.VOID:
            self._stack.append("comment-body" if attrs.get("class") == "comment-body" else tag)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()


def article_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def baseline(client):
    """The elements and attributes of an article page with an ordinary approved comment."""
    article = make_article()
    make_comment(
        article, body="Plain words.\nA new line.\n\nA paragraph with https://example.com/a link."
    )
    return Elements(article_page(client, article))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_an_approved_comment_is_inert(client, settings, baseline, payload):
    settings.NEWSROOM_COMMENTS_MAX_LINKS = 100
    article = make_article()
    data = comment_post_data(article, name=payload[:80], body=f"Before {payload} after")
    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)
    assert response.status_code == 302
    comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)

    html = article_page(client.__class__(), article)
    page = Elements(html)
    for tag, attrs in page.attributes.items():
        assert tag in baseline.attributes, f"new element <{tag}>"
        assert attrs <= baseline.attributes[tag], f"new attributes on <{tag}>: {attrs}"
    for tag, attrs in page.in_comment_body:
        assert tag in {"p", "br", "a"}, tag
        if tag == "a":
            assert set(attrs) == {"href", "rel"}
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc noopener noreferrer"
    # The page's only scripts are its JSON-LD data blocks and our own script files, never
    # anything from a comment.
    scripts = re.findall(r"<script\b[^>]*>", html.lower())
    assert all(
        'type="application/ld+json"' in tag or tag.startswith('<script src="/static/')
        for tag in scripts
    ), scripts
    assert "javascript:alert" not in "".join(
        value.lower() for _, attrs in page.in_comment_body for value in attrs.values()
    )
    assert "Before" in html and "after" in html  # the text is shown, not dropped


def test_there_are_at_least_thirty_payloads():
    assert len(set(PAYLOADS)) >= 30


def test_script_text_is_shown_escaped_as_typed(client):
    article = make_article()
    make_comment(article, body="<script>alert(1)</script> & <b>bold</b>")
    html = article_page(client, article)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
