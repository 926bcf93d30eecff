"""Where each library image is used, asked of the apps that use images.

An app that points at images registers a provider, e.g. in its AppConfig.ready():

    from images import usage

    @usage.register
    def lead_images(image_ids):
        found = {}
        for article in Article.objects.filter(lead_image__in=image_ids):
            found.setdefault(article.lead_image_id, []).append(
                usage.Use(f"Lead image of “{article}”", admin_change_url(article))
            )
        return found

A provider takes a list of image ids and returns {image id: [Use, ...]} for those it knows of,
in as few queries as it can: the library's list asks once per page, not once per image.
"""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Use:
    label: str  # what an editor would call the place, e.g. "Lead image of “Harbour reopens”"
    url: str = ""  # where to see or change it, if anywhere


def register(provider):
    """Add a provider (usable as a decorator); registering one twice keeps it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider):
    if provider in _providers:
        _providers.remove(provider)


def uses_of(image_ids):
    """{image id: [Use, ...]} from every provider, for the given ids (each id present)."""
    image_ids = list(image_ids)
    found = {image_id: [] for image_id in image_ids}
    if not image_ids:
        return found
    for provider in _providers:
        for image_id, uses in provider(image_ids).items():
            if image_id in found:
                found[image_id].extend(uses)
    return found
