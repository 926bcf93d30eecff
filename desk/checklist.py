"""
The pre-publish checklist: what an article needs before it goes live.

Hard failures block publishing and scheduling; warnings are shown but let it through. The rules
read a `Draft`, built either from a saved article (bulk actions, the change form's checklist) or
from a submitted admin form with its inlines, so every path applies the same rules.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils import timezone

from articles.rendering import render_markdown

HEADLINE_SEARCH_LIMIT = 70
META_DESCRIPTION_MIN = 50
META_DESCRIPTION_MAX = 160

FAILURE = "failure"
WARNING = "warning"

HOST_RE = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")
BARE_DOMAIN_RE = re.compile(r"^(?:www\.)?[\w-]+\.[a-z]{2,}(?:/|$)", re.IGNORECASE)


@dataclass
class Draft:
    """What the checklist looks at, however the article reached it."""

    headline: str = ""
    standfirst: str = ""
    body: str = ""
    seo_title: str = ""
    seo_description: str = ""
    section: object = None
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    faq: list = field(default_factory=list)  # (question, answer) pairs
    related: list = field(default_factory=list)  # target Article objects
    goes_live: datetime | None = None  # when the article would become visible

    @classmethod
    def of_article(cls, article, *, goes_live=None):
        return cls(
            headline=article.headline,
            standfirst=article.standfirst,
            body=article.body,
            seo_title=article.seo_title,
            seo_description=article.seo_description,
            section=article.section,
            authors=[link.author for link in article.author_links.all()],
            tags=[tag.name for tag in article.tags.all()],
            faq=[(item.question, item.answer) for item in article.faq_items.all()],
            related=[link.target for link in article.related_links.select_related("target")],
            goes_live=goes_live or article.publish_at,
        )


@dataclass(frozen=True)
class Finding:
    level: str
    message: str


@dataclass
class Check:
    title: str
    findings: list

    @property
    def passed(self):
        return not any(finding.level == FAILURE for finding in self.findings)


@dataclass
class Report:
    checks: list
    draft: Draft | None = None  # what the rules read
    rendered: object = None  # the draft's body as articles.rendering.render_markdown gives it

    @property
    def failures(self):
        return [f.message for check in self.checks for f in check.findings if f.level == FAILURE]

    @property
    def warnings(self):
        return [f.message for check in self.checks for f in check.findings if f.level == WARNING]

    @property
    def passed(self):
        return not self.failures


def check_byline(draft):
    if not draft.authors:
        return [Finding(FAILURE, "Add at least one author to the byline.")]
    return []


def check_section(draft):
    if not draft.section:
        return [Finding(FAILURE, "File the article in a section.")]
    return []


def check_tags(draft):
    if not draft.tags:
        return [Finding(FAILURE, "Add at least one tag.")]
    return []


def check_headline(draft):
    headline = draft.headline.strip()
    if not headline:
        return [Finding(FAILURE, "Write a headline.")]
    if len(headline) > HEADLINE_SEARCH_LIMIT and not draft.seo_title.strip():
        return [
            Finding(
                WARNING,
                f"The headline is {len(headline)} characters; search results cut titles after "
                f"about {HEADLINE_SEARCH_LIMIT}. Shorten it or write an SEO title.",
            )
        ]
    return []


def check_meta_description(draft):
    text = (draft.seo_description or draft.standfirst).strip()
    if not text:
        return [
            Finding(
                FAILURE,
                "Write a standfirst or a meta description: search engines and social cards "
                "show it.",
            )
        ]
    if len(text) < META_DESCRIPTION_MIN:
        return [
            Finding(
                WARNING,
                f"The meta description (or standfirst) is {len(text)} characters; aim for "
                f"{META_DESCRIPTION_MIN}–{META_DESCRIPTION_MAX}.",
            )
        ]
    if len(text) > META_DESCRIPTION_MAX:
        return [
            Finding(
                WARNING,
                f"The meta description (or standfirst) is {len(text)} characters; search "
                f"engines cut it after {META_DESCRIPTION_MAX}. Write a shorter meta description.",
            )
        ]
    return []


def check_faq(draft):
    findings = []
    for number, (question, answer) in enumerate(draft.faq, start=1):
        if not (question or "").strip():
            findings.append(Finding(FAILURE, f"FAQ item {number} has no question."))
        if not (answer or "").strip():
            findings.append(Finding(FAILURE, f"FAQ item {number} has no answer."))
    return findings


def check_related(draft):
    findings = []
    goes_live = draft.goes_live or timezone.now()
    for target in draft.related:
        if target.status not in target.PUBLIC_STATUSES:
            findings.append(
                Finding(
                    FAILURE,
                    f"Related article “{target.headline}” is {target.get_status_display().lower()}"
                    "; link only to published articles.",
                )
            )
        elif target.published_at and target.published_at > goes_live:
            findings.append(
                Finding(
                    WARNING,
                    f"Related article “{target.headline}” goes live after this one; readers "
                    "won't see the link until then.",
                )
            )
    return findings


def check_callouts(rendered):
    findings = []
    for callout in rendered.callouts:
        if not callout["text"].strip():
            findings.append(
                Finding(
                    FAILURE,
                    f"A “{callout['label']}” box is empty: write its text or remove the marker.",
                )
            )
    return findings


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # [href or None, text]
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href"), ""]
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def links_in(html):
    """(href, text) of each link in rendered body HTML; href is None if the sanitiser dropped it."""
    collector = _LinkCollector()
    collector.feed(html)
    return [(href, text.strip()) for href, text in collector.links]


def body_links(body):
    """(href, text) of each link in the Markdown `body`, rendered."""
    return links_in(render_markdown(body).html)


def is_well_formed_web_address(href):
    try:
        parts = urlsplit(href)
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:
        return False
    return bool(parts.hostname and HOST_RE.match(parts.hostname) and " " not in href)


def check_links(rendered):
    findings = []
    for href, text in links_in(rendered.html):
        label = text or href or "(no text)"
        if not href:
            findings.append(
                Finding(FAILURE, f"The link “{label}” has an address readers can't follow.")
            )
            continue
        scheme = urlsplit(href).scheme.lower()
        if scheme in {"http", "https"} and not is_well_formed_web_address(href):
            findings.append(
                Finding(FAILURE, f"The link “{label}” points at “{href}”, not a valid web address.")
            )
        elif not scheme and BARE_DOMAIN_RE.match(href):
            findings.append(
                Finding(
                    WARNING,
                    f"The link “{label}” points at “{href}” without https://, so it stays on "
                    "this site.",
                )
            )
    return findings


CHECKS = (
    ("Byline", check_byline),
    ("Section", check_section),
    ("Tags", check_tags),
    ("Headline", check_headline),
    ("Meta description", check_meta_description),
    ("FAQ", check_faq),
    ("Related articles", check_related),
)
# The rules that read the body as readers will get it: given it rendered once for them all.
BODY_CHECKS = (
    ("Callout boxes", check_callouts),
    ("Links", check_links),
)


def run(draft, *, rendered=None):
    """Every rule applied to `draft`: a Report of failures (blocking) and warnings. `rendered`
    is `render_markdown(draft.body)` when the caller has it already; else it is made here."""
    if rendered is None:
        rendered = render_markdown(draft.body)
    checks = [Check(title, rule(draft)) for title, rule in CHECKS]
    checks += [Check(title, rule(rendered)) for title, rule in BODY_CHECKS]
    return Report(checks=checks, draft=draft, rendered=rendered)
