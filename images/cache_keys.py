"""The pages a change of a library image affects (NEWSROOM_PAGE_CACHE_WATCH): every page that
shows it names `image-<id>` as it renders the picture (pictures.py)."""


def image_key(pk):
    return f"image-{pk}"


def image_changed(image, event, **details):
    return {image_key(image.pk)}
