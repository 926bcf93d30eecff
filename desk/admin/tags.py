from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from taggit.admin import TagAdmin
from taggit.models import Tag


class GuardedTagAdmin(TagAdmin):
    """django-taggit's admin lets anyone who may see tags merge them: its merge view checks no
    permission, and merging retags every article, live ones too. Here it takes the change
    permission, and a merge with no tags chosen goes back to the list instead of failing."""

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        chosen = request.session.get("selected_tag_ids", "").split(",")
        if request.method == "POST" and not all(tag_id.isdigit() for tag_id in chosen):
            self.message_user(request, "Choose the tags to merge first.", messages.WARNING)
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)


admin.site.unregister(Tag)
admin.site.register(Tag, GuardedTagAdmin)
