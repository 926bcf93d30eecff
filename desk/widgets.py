"""Widgets of the desk's forms: the whole headline in view, tags as plain names, and times
that say which time zone they are in."""

import csv

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from taggit.forms import TagField


class ZonedSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, naming the site's time zone the time is read in."""

    template_name = "admin/desk/widgets/zoned_split_datetime.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["time_zone"] = timezone.get_current_timezone_name()
        return context


# The admin's date and time fields with the zone named (ModelAdmin.formfield_overrides).
ZONED_DATETIMES = {"form_class": forms.SplitDateTimeField, "widget": ZonedSplitDateTime}


class HeadlineInput(forms.Textarea):
    """The headline in a box as wide as the form, growing with it, so the whole headline shows
    however long (desk-layout.css). A line break typed or pasted becomes a space."""

    class Media:
        css = {"all": ["desk/desk-layout.css"]}

    def __init__(self, attrs=None):
        super().__init__({"rows": 2, "class": "headline-input", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.split()) if isinstance(value, str) else value


def tag_names_text(names):
    """Tag names as a person types them: "Climate change, Energy". Only a name holding a comma
    goes in double quotes (django-taggit's own widget quotes every name with a space)."""
    return ", ".join(
        '"{}"'.format(name.replace('"', '""')) if "," in name or '"' in name else name
        for name in sorted(names, key=str.casefold)
    )


def tag_names_from_text(text):
    """The names in `text`, separated by commas only, so that a name may hold spaces; sorted,
    each once whatever its case (tags are case-insensitive here)."""
    names = {}
    for name in next(csv.reader([text], skipinitialspace=True), []):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.casefold(), name)
    return sorted(names.values())


class TagNamesInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField tags-input", **(attrs or {})})

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = tag_names_text(tag.name for tag in value)
        return super().format_value(value)


class TagNamesField(TagField):
    """django-taggit's tag field, reading and showing names as tag_names_text() writes them."""

    widget = TagNamesInput

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        try:
            return tag_names_from_text(value)
        except csv.Error:
            raise forms.ValidationError(
                'Separate tags with commas; put a name holding a comma in "double quotes".'
            ) from None
