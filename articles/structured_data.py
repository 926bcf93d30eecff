"""
schema.org data for search engines, built as plain dicts; templates emit them with the
`json_ld` filter, which escapes them safely, so no reader-supplied text is ever pasted into JSON.
"""

from django.conf import settings
from django.urls import reverse

from . import cache_keys
from .media import LOGO_WIDTH, SHARE_RATIOS, shared_picture
from .models import Correction


def organization(request, *, logo=None):
    """The publisher as a schema.org Organization: the site's name and home page and, once an
    editor has chosen it (Publisher), its logo. The one description of the publisher: the
    NewsArticle's `publisher` and the home page's Organization both come from here, so what is
    added here reaches both."""
    cache_keys.show_publisher()
    home = request.build_absolute_uri(reverse("articles:home"))
    data = {
        "@type": "Organization",
        "@id": f"{home}#organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": home,
    }
    if picture := shared_picture(logo, home, ratio="original", min_width=LOGO_WIDTH):
        data["logo"] = image_object(picture)
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
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
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
        "keywords": [tag.name for tag in article.tags.all()],
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "publisher": organization(request, logo=logo),
    }
    pictures = [shared_picture(article.lead_image, url, ratio=ratio) for ratio in SHARE_RATIOS]
    if pictures := [image_object(picture) for picture in pictures if picture]:
        data["image"] = pictures
    if article.section:
        data["articleSection"] = article.section.name
    if corrections := correction_comments(article):
        data["correction"] = corrections
    return data


def correction_comments(article):
    """schema.org `correction` entries for the article's NewsArticle JSON-LD, oldest first."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.note
            if correction.kind == Correction.Kind.CORRECTION
            else f"Update: {correction.note}",
            "datePublished": correction.created_at.isoformat(),
        }
        for correction in sorted(article.corrections.all(), key=lambda c: (c.created_at, c.pk))
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
