"""
schema.org data for search engines, built as plain dicts; templates emit them with the
`json_ld` filter, which escapes them safely, so no reader-supplied text is ever pasted into JSON.
"""

from .models import Correction


def news_article(article, request):
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
    }
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
