from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import Case, Count, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from . import services
from .models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Correction,
    FaqItem,
    RelatedLink,
    Section,
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "title"]
    autocomplete_fields = ["user"]


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (authors in order)"


class FaqItemInline(admin.StackedInline):
    model = FaqItem
    extra = 0
    fields = ["question", "answer", "order"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name_plural = "Related articles (“You may also like”, in order)"


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "created_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "status",
        "is_published",
        "section",
        "byline",
        "published_at",
        "tag_list",
    ]
    list_filter = ["status", "section", "authors", "tags"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    readonly_fields = ["published_at", "updated_at", "old_addresses", "word_count", "reading_time"]
    inlines = [
        ArticleAuthorInline,
        FaqItemInline,
        RelatedLinkInline,
        CorrectionInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Filing", {"fields": ["section", "tags", "allow_comments"]}),
        (
            "Publication",
            {"fields": ["status", "publish_at", "published_at", "updated_at", "old_addresses"]},
        ),
        (
            "Search engines and sharing",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        ("Length", {"fields": ["word_count", "reading_time"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("author_links__author", "tags")

    def save_model(self, request, obj, form, change):
        live_slug = (
            Article.objects.published().filter(pk=obj.pk).values_list("slug", flat=True).first()
        )
        super().save_model(request, obj, form, change)
        if live_slug and live_slug != obj.slug:
            services.old_slug_record(article=obj, slug=live_slug)

    @admin.display(description="Old addresses (redirect here)")
    def old_addresses(self, obj):
        return ", ".join(old.slug for old in obj.old_slugs.all()) if obj.pk else ""

    @admin.display(description="By")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.ordered_authors)

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_selected(self, request, queryset):
        count = queryset.publish()
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        count = queryset.unpublish()
        self.message_user(
            request,
            ngettext("%d article moved back to draft.", "%d articles moved back to draft.", count)
            % count,
            messages.SUCCESS,
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "article_link", "status", "created_at"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body", "article__headline"]
    actions = ["approve_selected", "reject_selected", "mark_spam_selected"]
    fields = [
        "article_link",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "spam_reason",
        "created_at",
        "edited_at",
        "notified_at",
        "ip_hash",
        "user_agent",
    ]
    # Editors may trim a name or body; the rest is the record of what the reader sent.
    readonly_fields = [field for field in fields if field not in {"name", "body", "status"}]

    def get_ordering(self, request):
        # The moderation queue: what awaits a decision first, newest first within each group.
        pending_first = Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1))
        return [pending_first.asc(), "-created_at", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_moderate_permission(self, request):
        opts = self.opts
        codename = get_permission_codename("moderate", opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    @admin.display(description="Comment")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description="Article", ordering="article__headline")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    def moderate(self, request, queryset, status, done):
        count = services.comment_moderate(comments=queryset, status=status)
        self.message_user(
            request, ngettext("%d comment ", "%d comments ", count) % count + done, messages.SUCCESS
        )

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.APPROVED, "approved.")

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.REJECTED, "rejected.")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam_selected(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.SPAM, "marked as spam.")
