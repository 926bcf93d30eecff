from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from articles.models import ArticleAuthor, Correction, FaqItem, RelatedLink

from .. import bylines, workflow
from ..models import PreviewLink
from ..widgets import ZONED_DATETIMES
from .forms import PreviewLinkForm


class ArticleInline:
    """Inlines follow the article: editable only where the article itself is."""

    formfield_overrides = {models.DateTimeField: ZONED_DATETIMES}

    def article_editable(self, request, obj):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.article_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.article_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.article_editable(request, obj)


class BylineForm(forms.ModelForm):
    """A byline row offering, and accepting, only the names this person may put on it."""

    def __init__(self, *args, user, article, **kwargs):
        super().__init__(*args, **kwargs)
        author = self.fields["author"]
        if not workflow.is_editor(user):
            author.queryset = bylines.bylineable_authors(user, article=article)
        author.error_messages["invalid_choice"] = bylines.REFUSED


class BylineFormSet(BaseInlineFormSet):
    user = None  # set by ArticleAuthorInline.get_formset for the request's person

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user, "article": self.instance}


class ArticleAuthorInline(ArticleInline, admin.TabularInline):
    model = ArticleAuthor
    form = BylineForm
    formset = BylineFormSet
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (authors in order)"

    def get_autocomplete_fields(self, request):
        # Writers choose from a short list (themselves and their co-authors); editors search all.
        return self.autocomplete_fields if workflow.is_editor(request.user) else []

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})


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


class PreviewLinkInline(ArticleInline, admin.TabularInline):
    """Writers share their own drafts and articles in review; editors any article."""

    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    fields = ["shared_with", "expires_at", "link", "is_active", "created_by", "revoke"]
    readonly_fields = ["link", "is_active", "created_by"]
    verbose_name_plural = "Preview links for people without an account (work for 48 hours)"

    class Media:
        js = ["desk/copy-link.js"]
        css = {"all": ["desk/desk-layout.css"]}

    @admin.display(description="Link to share")
    def link(self, obj):
        if not obj.pk:
            return "Save to create the link."
        # The whole address, wrapped in a box to select by hand; copy-link.js adds the button.
        field_id = f"preview-link-{obj.pk}"
        return format_html(
            '<span class="copy-field"><textarea readonly class="copy-source" id="{}" rows="4" '
            'aria-label="Preview link{}" spellcheck="false">{}</textarea>'
            '<button type="button" class="button copy-button" data-copy="{}" hidden>Copy</button>'
            '<span class="copy-status" role="status"></span></span>',
            field_id,
            f" for {obj.shared_with}" if obj.shared_with else "",
            settings.NEWSROOM_SITE_URL + obj.get_absolute_url(),
            field_id,
        )
