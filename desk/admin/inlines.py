from django.contrib import admin
from django.utils.html import format_html

from articles.models import ArticleAuthor, Correction, FaqItem, RelatedLink

from .. import workflow
from ..models import PreviewLink
from .forms import PreviewLinkForm


class ArticleInline:
    """Inlines follow the article: editable only where the article itself is."""

    def article_editable(self, request, obj):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.article_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.article_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.article_editable(request, obj)


class ArticleAuthorInline(ArticleInline, admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (authors in order)"


class FaqItemInline(ArticleInline, admin.StackedInline):
    model = FaqItem
    extra = 0
    fields = ["question", "answer", "order"]


class RelatedLinkInline(ArticleInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name_plural = "Related articles (“You may also like”, in order)"


class CorrectionInline(ArticleInline, admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "created_at"]


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    fields = ["shared_with", "expires_at", "link", "is_active", "created_by", "revoke"]
    readonly_fields = ["link", "is_active", "created_by"]
    verbose_name_plural = "Preview links for people without an account (work for 48 hours)"

    @admin.display(description="Link to share")
    def link(self, obj):
        if not obj.pk:
            return "Save to create the link."
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url())
