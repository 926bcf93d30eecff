"""The pictures of reader pages, feeds and emails: each page's renditions in one query
(images.loading), and the wide pictures social cards, search engines, feeds and newsletters
are given, at absolute addresses."""

from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.core.files.storage import default_storage

import pagecache
from images.cache_keys import image_key
from images.loading import load_media
from images.models import Rendition
from images.services import rendition_get

from .site_frame import publisher_logo_id

# Google asks NewsArticle pictures to be at least 1200 px wide, in 16:9, 4:3 and 1:1; social
# sites show a large card for 1200 px too.
SHARE_WIDTH = 1200
SHARE_RATIOS = ("16:9", "4:3", "1:1")
# A logo for search engines: at least 112 px; 600 is sharp and small.
LOGO_WIDTH = 600


@dataclass
class PageMedia:
    images: dict = field(default_factory=dict)  # {id: Image} with renditions, for with_media
    logo: object = None  # the publisher's logo (an Image), when it was asked for and is set


def _media(images, image_ids=(), *, logo=False):
    """The PageMedia of `images` (Image objects at hand) and the library images `image_ids`,
    with the publisher's logo when asked for: one query for all their renditions, none when
    there is no picture. (Which picture is the logo is remembered with the site's frame.)"""
    logo_id = publisher_logo_id() if logo else None
    media = load_media(images=images, image_ids=[*image_ids, *([logo_id] if logo_id else [])])
    return PageMedia(media.images, media.images.get(logo_id))


def _lead_image_ids(articles):
    return [article.lead_image_id for article in articles if article.lead_image_id]


def _give_lead_images(articles, images):
    """Each article its lead image from `images` ({id: Image}, loaded with their renditions):
    the images come with their renditions, so the pages' queries need not join them (a third
    of a listing query's cost, with the sections)."""
    for article in articles:
        if (image := images.get(article.lead_image_id)) is not None:
            article.lead_image = image


def _with_lead_images(articles, *, image_ids=(), logo=False):
    """The PageMedia of the articles' lead images and of `image_ids`, each lead image given to
    its article."""
    media = _media([], [*_lead_image_ids(articles), *image_ids], logo=logo)
    _give_lead_images(articles, media.images)
    return media


def article_media(article, related=()):
    """The article's lead image, the pictures its body places, its related cards' lead images
    and the publisher's logo, with their renditions, in one query."""
    return _with_lead_images([article, *related], image_ids=article.body_images, logo=True)


def listing_media(articles, *, logo=False):
    """The cards' lead images with their renditions (and the publisher's logo), in one query;
    none when no card has a picture and there is no logo or none is asked for."""
    return _with_lead_images(articles, logo=logo)


def shared_media(articles, *, ratio="16:9"):
    """The articles' lead images with the renditions shared_picture() picks from (the JPEGs in
    `ratio`), in one query; none without pictures. Feeds show no other, where listing_media()
    reads every rendition of each picture (dozens of rows each, for a page's <picture>s)."""
    shown = Rendition.objects.filter(ratio=ratio, format=Rendition.Format.JPEG)
    media = load_media(image_ids=_lead_image_ids(articles), renditions=shown)
    _give_lead_images(articles, media.images)


@dataclass(frozen=True)
class SharedPicture:
    """A rendition at an absolute address, as social cards, structured data, feeds and emails
    give it."""

    url: str
    width: int
    height: int
    alt: str
    credit: str
    content_type: str
    size: int  # bytes


def shared_picture(image, base_url, *, ratio="16:9", min_width=SHARE_WIDTH):
    """A JPEG of `image` cropped to `ratio`, the narrowest at least `min_width` wide (or the
    widest the picture allows), its address made absolute against `base_url`; None without
    an image."""
    if image is None:
        return None
    pagecache.shows(image_key(image.pk))  # the page shows the picture, if only by address
    rendition = rendition_get(image=image, ratio=ratio, min_width=min_width)
    if rendition is None:
        return None
    return SharedPicture(
        url=urljoin(base_url, rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=image.alt,
        credit=image.credit,
        content_type=rendition.content_type,
        size=rendition.file_size,
    )


def sitemap_pictures(articles):
    """{article id: [picture address]}: the lead image and the body's pictures of each article,
    each as its widest JPEG in its own shape, for the image sitemap. One query, however many
    articles; the addresses are as storage gives them (relative on this server's disk)."""
    wanted = {
        article.pk: list(
            dict.fromkeys(int(pk) for pk in (article.lead_image_id, *article.body_images) if pk)
        )
        for article in articles
    }
    image_ids = {image_id for ids in wanted.values() for image_id in ids}
    if not image_ids:
        return {}
    widest = {}
    renditions = Rendition.objects.filter(image_id__in=image_ids, ratio="original", format="jpeg")
    for image_id, name in renditions.order_by("width").values_list("image_id", "file"):
        widest[image_id] = default_storage.url(name)
    return {pk: [widest[i] for i in ids if i in widest] for pk, ids in wanted.items()}
