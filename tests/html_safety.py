"""What makes sanitised HTML unsafe for a reader: shared by the property tests of the renderer
and the importer."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

SAFE_URL_SCHEMES = {"", "http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "xlink:href", "poster"}
# Browsers ignore these inside a URL's scheme ("jav&#x09;ascript:").
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def url_scheme(value):
    cleaned = IGNORED_IN_SCHEME.sub("", value or "")
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in what looks like a host
        return "?"


def unsafe_parts(html, allowed_tags):
    """Every element, attribute or URL in `html` that could run script or load unexpected
    content; an empty list for HTML safe to show a reader."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    problems = []
    if re.search(r"<\s*script", html, re.IGNORECASE):
        problems.append("a <script> tag")
    for tag, attrs in parser.found:
        if tag not in allowed_tags:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}>")
            if name in {"style", "target", "srcdoc", "formaction"}:
                problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_URL_SCHEMES:
                problems.append(f"<{tag} {name}={value!r}>")
    return problems
