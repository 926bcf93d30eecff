"""
schema.org data for search engines, built as plain dicts; templates emit them with the
`json_ld` filter, which escapes them safely, so no reader-supplied text is ever pasted into JSON.
"""

from django.conf import settings
from django.urls import reverse

from . import cache_keys, site_frame
from .media import LOGO_WIDTH, SHARE_RATIOS, shared_picture
from .models import Article, Correction, PolicyPage

# The schema.org type of each kind of article (Article.Kind).
ARTICLE_TYPES = {
    Article.Kind.NEWS: "NewsArticle",
    Article.Kind.ANALYSIS: "AnalysisNewsArticle",
    Article.Kind.OPINION: "OpinionNewsArticle",
    Article.Kind.REVIEW: "ReviewNewsArticle",
    Article.Kind.EXPLAINER: "BackgroundNewsArticle",
    # Not a NewsArticle: advertising, paid for, never offered as news.
    Article.Kind.SPONSORED: "AdvertiserContentArticle",
}
# The publisher's properties each policy page is given as (schema.org NewsMediaOrganization).
POLICY_PROPERTIES = {
    PolicyPage.Kind.MASTHEAD: ("masthead",),
    PolicyPage.Kind.ETHICS: ("publishingPrinciples", "ethicsPolicy"),
    PolicyPage.Kind.CORRECTIONS: ("correctionsPolicy",),
    PolicyPage.Kind.OWNERSHIP: ("ownershipFundingInfo",),
}


def organization(request, *, logo=None):
    """The publisher as a schema.org NewsMediaOrganization: the site's name and home page, its
    logo once an editor has chosen it (Publisher), and its policy pages (PolicyPage). The one
    description of the publisher: the NewsArticle's `publisher` and the home page's
    Organization both come from here, so what is added here reaches both."""
    cache_keys.show_publisher()
    home = request.build_absolute_uri(reverse("articles:home"))
    data = {
        "@type": "NewsMediaOrganization",
        "@id": f"{home}#organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": home,
    }
    if picture := shared_picture(logo, home, ratio="original", min_width=LOGO_WIDTH):
        data["logo"] = image_object(picture)
    for kind, _, path in site_frame.policy_links():
        for name in POLICY_PROPERTIES[kind]:
            data[name] = request.build_absolute_uri(path)
    return data


def image_object(picture):
    """schema.org ImageObject for a media.SharedPicture."""
    return {
        "@type": "ImageObject",
        "url": picture.url,
        "width": picture.width,
        "height": picture.height,
    }


def website(request):
    """The site as a schema.org WebSite, with the search readers can run from a search engine."""
    home = request.build_absolute_uri(reverse("articles:home"))
    search = request.build_absolute_uri(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": f"{home}#website",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": home,
        "publisher": {"@id": f"{home}#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def news_article(article, request, *, logo=None):
    """The NewsArticle of `article` as its page fills it (views.with_related: bylines, tags,
    corrections)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    page = {"@type": "WebPage", "@id": url}
    if article.last_reviewed:
        page["lastReviewed"] = article.last_reviewed
    data = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES[article.kind],
        "mainEntityOfPage": page,
        "url": url,
        "headline": article.headline,
        "description": article.meta_description,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
                **({"jobTitle": author.title} if author.title else {}),
            }
            for author in article.ordered_authors
        ],
        "keywords": [tag.name for tag in article.shown_tags],
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "publisher": organization(request, logo=logo),
    }
    pictures = [shared_picture(article.lead_image, url, ratio=ratio) for ratio in SHARE_RATIOS]
    if pictures := [image_object(picture) for picture in pictures if picture]:
        data["image"] = pictures
    if article.section:
        data["articleSection"] = article.section.name
    if article.dateline:
        data["dateline"] = article.dateline
    if article.reporting_notes:
        # "Why and how an article was created": the article's "How we reported this".
        data["backstory"] = article.reporting_notes
    if corrections := correction_comments(article.correction_list):
        data["correction"] = corrections
    return data


def correction_comments(corrections):
    """schema.org `correction` entries for an article's NewsArticle JSON-LD, from its
    `corrections`, oldest first."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.note
            if correction.kind == Correction.Kind.CORRECTION
            else f"Update: {correction.note}",
            "datePublished": correction.created_at.isoformat(),
        }
        for correction in sorted(corrections, key=lambda c: (c.created_at, c.pk))
    ]


def faq_page(items):
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in items
        ],
    }


def breadcrumb_list(crumbs, request):
    """`crumbs` are (name, path) pairs from the home page down; the last is the page itself."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
