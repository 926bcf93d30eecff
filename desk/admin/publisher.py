from django.contrib import admin

from articles.models import PolicyPage, Publisher
from articles.services import publisher_logo_set
from images.widgets import ImageChooser


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    """The publisher's identity for search engines: its logo (one row at most)."""

    list_display = ["__str__", "logo"]
    autocomplete_fields = ["logo"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Publisher.objects.exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "logo":
            kwargs["widget"] = ImageChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        publisher_logo_set(logo=obj.logo)


@admin.register(PolicyPage)
class PolicyPageAdmin(admin.ModelAdmin):
    """The publisher's pages about itself, linked in every page's footer: changing one is the
    owner's word, so editors may read them and only those granted the permission (the
    editor-in-chief) or superusers change them (desk/roles.py)."""

    list_display = ["__str__", "kind", "updated_at"]
    readonly_fields = ["updated_at"]
    fields = ["kind", "title", "body", "updated_at"]
