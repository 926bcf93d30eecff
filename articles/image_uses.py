"""Where articles use library pictures, for the picture library's "Used in" (images.usage):
lead images, pictures placed in bodies, and the publisher's logo. Registered in
ArticlesConfig.ready(); each provider answers a whole page of the library in one query."""

from django.urls import reverse

from images.usage import Use

from .models import Article, Publisher


def _article_use(article, where):
    return Use(
        f"{where} “{article.headline}” ({article.get_status_display().lower()})",
        reverse("admin:articles_article_change", args=[article.pk]),
    )


def lead_images(image_ids):
    found = {}
    articles = Article.objects.filter(lead_image__in=image_ids).order_by("-pk")
    for article in articles.only("pk", "headline", "status", "lead_image"):
        found.setdefault(article.lead_image_id, []).append(_article_use(article, "Lead image of"))
    return found


def body_images(image_ids):
    wanted = {str(pk) for pk in image_ids}
    found = {}
    articles = Article.objects.filter(body_images__has_any_keys=sorted(wanted)).order_by("-pk")
    for article in articles.only("pk", "headline", "status", "body_images"):
        for key in wanted.intersection(article.body_images):
            found.setdefault(int(key), []).append(_article_use(article, "In the text of"))
    return found


def publisher_logo(image_ids):
    publisher = Publisher.objects.filter(logo__in=image_ids).first()
    if publisher is None:
        return {}
    url = reverse("admin:articles_publisher_change", args=[publisher.pk])
    return {publisher.logo_id: [Use("The publisher's logo, for search engines", url)]}
