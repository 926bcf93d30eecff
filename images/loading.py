"""The pictures of a page in one query.

A page showing several library images (an article's lead image, the images its body places,
the related articles' cards, the publisher's logo) loads all their renditions at once, joined to
the images they belong to, and gives each image its own (Image.use_renditions). The picture
tags then read nothing more from the database, however many images the page shows.
"""

from dataclasses import dataclass, field

from .models import Image, Rendition


@dataclass
class Media:
    images: dict = field(default_factory=dict)  # {id: Image}, each with its renditions


def load_media(*, images=(), image_ids=(), renditions=None):
    """The Media for `images` (Image objects at hand, e.g. joined to their articles by
    select_related) and the library images with `image_ids`, with their renditions, or only
    those of the `renditions` queryset when given (e.g. one ratio and format).

    One query: the renditions, with their images joined. Images that have no rendition yet
    (just uploaded, before the task has run) take one more.
    """
    # Two articles may show one picture through two Image objects: each gets the renditions.
    at_hand = [image for image in images if image is not None]
    wanted = {image.pk for image in at_hand} | {int(pk) for pk in image_ids}
    if not wanted:
        return Media()
    if renditions is None:
        renditions = Rendition.objects.all()
    renditions = renditions.select_related("image").order_by("width")
    media = Media(images={image.pk: image for image in at_hand})
    loaded = {}
    for rendition in renditions.filter(image_id__in=wanted):
        image = media.images.setdefault(rendition.image_id, rendition.image)
        loaded.setdefault(image.pk, []).append(rendition)
    if missing := wanted - set(media.images):
        media.images.update((image.pk, image) for image in Image.objects.filter(pk__in=missing))
    for image in [*at_hand, *media.images.values()]:
        image.use_renditions(loaded.get(image.pk, []))
    return media
