"""
What the frame of every reader page shows besides the page itself: the sections in the
navigation and the publisher's policy pages in the footer (and in its structured data), and
which picture is the publisher's logo. They are remembered (pagecache) until they change, so a
page costs no query for them; pages showing them are purged when a section (NAV) or a policy
page or the publisher (PUBLISHER) changes.

`cached_only=True` reads only what is remembered, for the error page that must not touch the
database (newsroom.outage): None when nothing is.
"""

import pagecache

from . import cache_keys
from .models import PolicyPage, Publisher, Section

SECTIONS = "section-nav"
POLICIES = "policy-links"
LOGO = "publisher-logo"


def nav_sections(*, cached_only=False):
    if cached_only:
        return pagecache.recall(SECTIONS)
    return pagecache.remember(SECTIONS, lambda: list(Section.objects.all()), keys=(cache_keys.NAV,))


def with_sections(articles):
    """`articles` (a list), each with its section from the navigation's: no join, no query."""
    sections = {section.pk: section for section in nav_sections()}
    for article in articles:
        if (section := sections.get(article.section_id)) is not None:
            article.section = section
    return articles


def policy_links(*, cached_only=False):
    """[(kind, title, address)] of the policy pages there are (PolicyPage.links)."""
    if cached_only:
        return pagecache.recall(POLICIES)
    return pagecache.remember(POLICIES, PolicyPage.links, keys=(cache_keys.PUBLISHER,))


def publisher_logo_id():
    """The id of the library image that is the publisher's logo, or None."""
    return pagecache.remember(LOGO, _logo_id, keys=(cache_keys.PUBLISHER,))


def _logo_id():
    return Publisher.objects.values_list("logo", flat=True).first()
