"""Widgets of the desk's forms: the whole headline in view, tags as plain names, and times
that say which time zone they are in."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone


class ZonedSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, naming the site's time zone the time is read in."""

    template_name = "admin/desk/widgets/zoned_split_datetime.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["time_zone"] = timezone.get_current_timezone_name()
        return context


# The admin's date and time fields with the zone named (ModelAdmin.formfield_overrides).
ZONED_DATETIMES = {"form_class": forms.SplitDateTimeField, "widget": ZonedSplitDateTime}
