"""Choosing a library picture in another model's admin form (an article's lead image)."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse

from .forms import ACCEPT


class ImageChooser(AutocompleteSelect):
    """The admin's autocomplete over the picture library, with a preview of the chosen picture,
    the body syntax that places it, and a drop zone that uploads a new picture into the library
    (alt text required) and chooses it (chooser.js). The drop zone needs JavaScript, as the
    autocomplete does; it stays hidden without it, and the library's own form (the "+" beside
    the field) works either way."""

    template_name = "images/widgets/chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = next((v for v in context["widget"]["value"] if v), None)
        site = self.admin_site.name
        context["chooser"] = {
            "chosen": chosen,
            "upload_url": reverse(f"{site}:images_image_upload"),
            # The address of picture 0's thumbnail; chooser.js puts the chosen id in its place.
            "thumbnail_url": reverse(f"{site}:images_image_thumbnail", args=[0]),
            "chosen_thumbnail_url": (
                reverse(f"{site}:images_image_thumbnail", args=[chosen]) if chosen else ""
            ),
            "accept": ACCEPT,
        }
        return context

    @property
    def media(self):
        # After jquery.init.js: chooser.js hears select2's changes through django.jQuery.
        return super().media + forms.Media(
            js=["admin/js/jquery.init.js", "images/chooser.js"],
            css={"screen": ["images/chooser.css"]},
        )
