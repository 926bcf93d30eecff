import json

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.db import models, transaction
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from articles import services as article_services
from articles.models import Article, Correction
from images.widgets import ImageChooser

from .. import checklist, services, workflow, writing
from ..models import PreviewLink
from ..widgets import ZONED_DATETIMES, HeadlineInput, TagNamesField
from .forms import ArticleAdminForm, EditorArticleForm
from .history import ArticleHistoryMixin
from .inlines import (
    ArticleAuthorInline,
    CorrectionInline,
    FaqItemInline,
    PreviewLinkInline,
    RelatedLinkInline,
)
from .writing import WritingDeskMixin


class MineFilter(admin.SimpleListFilter):
    title = "by"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Me (created or on the byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.by_person(request.user)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """The status as it stands now: a scheduled article whose time has come is Published."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Article.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Article.Status.values:
            return queryset.in_current_status(self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(WritingDeskMixin, ArticleHistoryMixin, VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "kind",
        "status_now",
        "section",
        "byline",
        "published_at",
        "tag_list",
    ]
    list_filter = [MineFilter, StatusFilter, "kind", "section", "authors", "tags"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image"]
    readonly_fields = [
        "published_at",
        "updated_at",
        "old_addresses",
        "word_count",
        "reading_time",
        "review_note",
        "prepublish_checklist",
        "created_by",
        "last_reviewed",
    ]
    inlines = [
        ArticleAuthorInline,
        FaqItemInline,
        RelatedLinkInline,
        CorrectionInline,
        PreviewLinkInline,
    ]
    actions = [
        "submit_for_review",
        "withdraw_from_review",
        "publish_selected",
        "unpublish_selected",
        "mark_reviewed",
    ]
    change_list_template = "admin/articles/article/change_list.html"
    formfield_overrides = {models.DateTimeField: ZONED_DATETIMES}

    def get_fieldsets(self, request, obj=None):
        publication = ["status", "publish_at"]
        if obj is not None and obj.review_note:
            publication.append("review_note")
        if workflow.is_editor(request.user):
            publication.append("note")
        publication += [
            "published_at",
            "updated_at",
            "old_addresses",
            "created_by",
        ]
        return [
            (None, {"fields": ["headline", "slug", "standfirst", "dateline", "body"]}),
            ("Lead image", {"fields": ["lead_image"]}),
            ("Filing", {"fields": ["kind", "section", "tags", "allow_comments"]}),
            ("For readers' trust", {"fields": ["reporting_notes", "last_reviewed"]}),
            ("Publication", {"fields": publication}),
            ("Pre-publish checklist", {"fields": ["prepublish_checklist"]}),
            (
                "Search engines and sharing",
                {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
            ),
            ("Length", {"fields": ["word_count", "reading_time"], "classes": ["collapse"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Editors get the form that offers every move of the workflow, writers the other one.
        kwargs["form"] = EditorArticleForm if workflow.is_editor(request.user) else self.form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # A save holds the article's row until it commits, so editors saving the version they
            # all opened go one at a time, and the form's check tells each after the first who
            # saved meanwhile. The article is read again once the row is ours.
            Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").get()
            article = super().get_object(request, object_id, from_field)
        return article

    def get_queryset(self, request):
        articles = super().get_queryset(request).with_current_status()
        return articles.prefetch_related("author_links__author", "tags")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "headline":
            kwargs["widget"] = HeadlineInput
        elif db_field.name == "tags":
            kwargs["form_class"] = TagNamesField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            # The autocomplete with a preview and a drop zone for new pictures.
            kwargs["widget"] = ImageChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # An address readers have had, even if the article is off the site for now, keeps
        # working for when it is back.
        stored = form.stored
        if change and stored.published_at and stored.slug != obj.slug:
            article_services.old_slug_record(article=obj, slug=stored.slug)

    @admin.display(description="Old addresses (redirect here)")
    def old_addresses(self, obj):
        return ", ".join(old.slug for old in obj.old_slugs.all()) if obj.pk else ""

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                if correction.pk is None:
                    article_services.correction_add(
                        article=form.instance,
                        note=correction.note,
                        kind=correction.kind,
                        created_at=correction.created_at,
                    )
                else:
                    correction.save()
            for correction in formset.deleted_objects:
                correction.delete()
        elif formset.model is PreviewLink:
            for link in formset.save(commit=False):
                if link.pk is None:
                    link.created_by = request.user
                link.save()
            for link in formset.deleted_objects:
                link.delete()
            for link_form in formset.forms:
                if link_form.instance.pk and link_form.cleaned_data.get("revoke"):
                    services.preview_link_revoke(link=link_form.instance)
        else:
            super().save_formset(request, form, formset, change)

    def construct_change_message(self, request, form, formsets, add=False):
        """Django's message, led by the workflow step a change of status took (“Withdraw from
        review: In review → Draft.”); the revision's comment is the same text."""
        message = super().construct_change_message(request, form, formsets, add)
        before, after = form.stored.current_status(), form.instance.status
        if add or form.move is None or before == after:
            return message
        step = f"{form.move.verb.capitalize()}: {before.label} → {Article.Status(after).label}."
        rest = LogEntry(change_message=json.dumps(message)).get_change_message()
        return f"{step} {rest}".strip()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            article_services.article_touch(article=form.instance, since=form.readers_saw)
        report = form.checklist_report
        if report and report.warnings:
            self.message_user(
                request,
                "Gone through with warnings: " + " ".join(report.warnings),
                messages.WARNING,
            )

    @admin.display(description="Status", ordering="status_now")
    def status_now(self, obj):
        return Article.Status(obj.status_now).label

    @admin.display(description="Byline")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.ordered_authors)

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="Before it goes live")
    def prepublish_checklist(self, obj):
        if obj is None or obj.pk is None:
            return "Save the draft to see what it still needs before it can go live."
        return writing.checklist_html(checklist.run(checklist.Draft.of_article(obj)))

    # Status changes from the list: one service call per article, so each gets the same rules
    # and the checklist; the revision they share becomes one per article (revisions.py).

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.change_status(request, queryset, Article.Status.IN_REVIEW, "submitted for review")

    @admin.action(
        description="Withdraw selected articles from review (back to draft)",
        permissions=["change"],
    )
    def withdraw_from_review(self, request, queryset):
        self.change_status(
            request,
            queryset.filter(status=Article.Status.IN_REVIEW),
            Article.Status.DRAFT,
            "withdrawn from review",
        )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.change_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(
        description="Unpublish selected articles (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self.change_status(request, queryset, Article.Status.DRAFT, "moved back to draft")

    @admin.action(description="Mark selected articles as reviewed today", permissions=["publish"])
    def mark_reviewed(self, request, queryset):
        count = article_services.articles_mark_reviewed(articles=queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d article marked as reviewed today.",
                "%(n)d articles marked as reviewed today.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    def change_status(self, request, queryset, status, done):
        moved, refused, warnings = 0, [], []
        reversion.set_comment(f"{done.capitalize()} from the article list.")
        for article in queryset.select_related("section"):
            if article.status == status:
                continue
            try:
                report = services.article_change_status(
                    article=article, status=status, user=request.user
                )
            except workflow.TransitionRefused as problem:
                refused.append(f"“{article}”: {problem}")
                continue
            moved += 1
            if report and report.warnings:
                warnings.append(f"“{article}”: {' '.join(report.warnings)}")
        if moved:
            self.message_user(
                request,
                ngettext("%(n)d article %(done)s.", "%(n)d articles %(done)s.", moved)
                % {"n": moved, "done": done},
                messages.SUCCESS,
            )
        for line in warnings:
            self.message_user(request, f"Warning: {line}", messages.WARNING)
        for line in refused:
            self.message_user(request, f"Not {done}: {line}", messages.ERROR)

    def changelist_view(self, request, extra_context=None):
        context = {"can_recover": workflow.is_editor(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)
