import pytest

from articles.models import PolicyPage
from desk.models import PreviewLink
from tests.factories import make_article, make_author, make_comment, make_section, make_subscriber
from tests.images.factories import make_image


@pytest.fixture
def route_samples(db):
    """Valid keyword arguments for each named route that takes some."""
    section = make_section()
    author = make_author()
    article = make_article(section=section, authors=[author], tags=["Energy"])
    draft = make_article(status="draft")
    comment = make_comment(article)
    subscriber = make_subscriber(status="pending")
    link = PreviewLink.objects.create(article=draft)
    image = make_image()
    PolicyPage.objects.create(kind=PolicyPage.Kind.ETHICS, body="We check facts.")
    return {
        "articles:detail": {"slug": article.slug},
        "comments:post": {"slug": article.slug},
        "comments:start": {"slug": article.slug},
        "comments:reply": {"slug": article.slug, "pk": comment.pk},
        "comments:edit": {"slug": article.slug, "pk": comment.pk},
        "comments:delete": {"slug": article.slug, "pk": comment.pk},
        "articles:section": {"slug": section.slug},
        "articles:author": {"slug": author.slug},
        "articles:tag": {"slug": "energy"},
        "desk:preview": {"token": link.token},
        "feeds:section-rss": {"slug": section.slug},
        "feeds:section-atom": {"slug": section.slug},
        "feeds:tag-rss": {"slug": "energy"},
        "feeds:tag-atom": {"slug": "energy"},
        "sitemap-section": {"section": "articles"},
        "newsletter:confirm": {"token": subscriber.confirmation_token()},
        "newsletter:unsubscribe": {"token": subscriber.unsubscribe_token()},
        "images:media": {"path": image.file.name},
        "articles:policy": {"kind": "ethics-policy"},
    }
