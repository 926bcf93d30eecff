from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html, format_html_join

from . import usage
from .forms import ImageForm
from .models import Image
from .services import image_delete, image_save, rendition_get

PREVIEW_WIDTH = 960
THUMBNAIL_WIDTH = 320


class ImageChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One call per provider for the whole page, not one per image.
        self.result_list = list(self.result_list)
        uses = usage.uses_of(image.pk for image in self.result_list)
        for image in self.result_list:
            image.uses = uses[image.pk]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "alt_text_shown", "format", "size", "credit",
                    "created_at", "use_count"]  # fmt: skip
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["decorative", "format", "created_at", "credit"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    readonly_fields = ["preview", "width", "height", "file_size", "format", "created_by",
                       "created_at", "used_in"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["upload", "title", "alt_text", "decorative", "caption", "credit"]}),
        (
            "Focal point",
            {
                "fields": ["preview", "focal_x", "focal_y"],
                "description": "Click the subject in the preview: crops to 16:9, 4:3 and 1:1 "
                "keep that point in view. Without JavaScript, type fractions from 0 to 1.",
            },
        ),
        ("Used in", {"fields": ["used_in"]}),
        ("File", {"fields": ["format", "width", "height", "file_size", "created_by",
                             "created_at"], "classes": ["collapse"]}),  # fmt: skip
    ]

    class Media:
        css = {"all": ["images/focal-point.css"]}
        js = ["images/focal-point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_renditions().select_related("created_by")

    def get_changelist(self, request, **kwargs):
        return ImageChangeList

    def get_urls(self):
        # For the picture chooser in other forms (widgets.ImageChooser, chooser.js).
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view),
                 name="images_image_upload"),
            path("<int:image_id>/thumbnail/", self.admin_site.admin_view(self.thumbnail_view),
                 name="images_image_thumbnail"),
            *super().get_urls(),
        ]  # fmt: skip

    def upload_view(self, request):
        """Add a picture to the library from another form (an article's drop zone): the same
        checks as the library's own form, alt text required; JSON for chooser.js."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        data = request.POST.copy()
        # The drop zone asks for the alt text and credit; the focal point is set later, in the
        # library, where the preview is.
        data.setdefault("focal_x", "0.5")
        data.setdefault("focal_y", "0.5")
        form = ImageForm(data, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        image = form.save(commit=False)
        image.created_by = request.user
        image_save(image=image, upload=form.cleaned_data["upload"], info=form.upload_info)
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse({"id": image.pk, "text": str(image)}, status=201)

    def thumbnail_view(self, request, image_id):
        """The picture's small rendition, for previews in other forms."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        image = get_object_or_404(Image, pk=image_id)
        rendition = rendition_get(image=image, ratio="original", min_width=THUMBNAIL_WIDTH)
        if rendition is None:
            raise Http404("This picture has no rendition.")
        return HttpResponseRedirect(rendition.url)

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to preview or list yet
            return [(None, {"fields": ["upload", "title", "alt_text", "decorative", "caption",
                                       "credit", "focal_x", "focal_y"]})]  # fmt: skip
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        image_save(image=obj, upload=form.cleaned_data.get("upload"), info=form.upload_info)

    def delete_model(self, request, obj):
        image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            image_delete(image=image)

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        jpegs = [r for r in obj.current_renditions("original") if r.format == "jpeg"]
        if not jpegs:
            return "Renditions pending"
        small = min(jpegs, key=lambda r: r.width)
        return format_html('<img src="{}" width="80" height="{}" alt="">', small.url,
                           max(1, round(80 * small.height / small.width)))  # fmt: skip

    @admin.display(description="Alt text")
    def alt_text_shown(self, obj):
        return "(decorative)" if obj.decorative else obj.alt_text

    @admin.display(description="Size")
    def size(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description="Uses")
    def use_count(self, obj):
        return len(getattr(obj, "uses", []))

    @admin.display(description="Preview")
    def preview(self, obj):
        rendition = rendition_get(image=obj, ratio="original", min_width=PREVIEW_WIDTH)
        if rendition is None:
            return "-"
        return format_html(
            '<div class="focal-point" data-focal-x="{}" data-focal-y="{}">'
            '<img class="focal-point-image" src="{}" width="{}" height="{}" alt="{}">'
            '<span class="focal-point-marker" hidden></span></div>',
            obj.focal_x, obj.focal_y, rendition.url, rendition.width, rendition.height,
            f"Preview of {obj}: click the subject to set the focal point",
        )  # fmt: skip

    @admin.display(description="Used in")
    def used_in(self, obj):
        uses = usage.uses_of([obj.pk])[obj.pk]
        if not uses:
            return "Not used anywhere yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}</li>",
                ((format_html('<a href="{}">{}</a>', u.url, u.label) if u.url else u.label,)
                 for u in uses),
            ),
        )  # fmt: skip
