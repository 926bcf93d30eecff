import copy
import functools

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import checklist, revisions, services, workflow
from .models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    FaqItem,
    PreviewLink,
    RelatedLink,
    Section,
)

# The admin index doubles as each person's editorial dashboard.
admin.site.index_template = "admin/editorial_index.html"


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # A plain list of staff accounts: an autocomplete would need the permission to view
            # every user account, which editors do not hold.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def live_article(request, article):
    """
    The article as stored when this request began. Form validation writes submitted values onto
    the article object, and reversion's revision view loads an old revision into the database
    before the form runs; permissions and transitions are judged on the stored article instead.
    """
    cache = request.__dict__.setdefault("_live_articles", {})
    if article.pk not in cache:
        cache[article.pk] = copy.copy(article)
    return cache[article.pk]


def reader_view_before(request, article):
    """What readers saw of the article when this request began (see live_article)."""
    cache = request.__dict__.setdefault("_reader_views", {})
    if article.pk not in cache:
        cache[article.pk] = Article.objects.get(pk=article.pk).reader_view()
    return cache[article.pk]


def revision_id(value):
    """`value` as the id of a revision that could exist, or None: the database refuses numbers
    past its integer range, and SQLite's driver fails on them instead of finding nothing."""
    if not (value.isascii() and value.isdigit()):
        return None
    _, largest = connection.ops.integer_field_range(Version._meta.pk.get_internal_type())
    return int(value) if 0 < int(value) <= largest else None


class ArticleInlineFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The article form's pre-publish checklist reads the inlines submitted with it; the admin
        # builds them around the form's instance before it validates the form.
        self.instance.__dict__.setdefault("_submitted_inlines", {})[self.model] = self


class ArticleInline:
    """Inlines follow the article: editable only where the article itself is."""

    formset = ArticleInlineFormSet

    def article_editable(self, request, obj):
        return obj is None or workflow.can_edit(request.user, live_article(request, obj))

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


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(
        required=False, help_text="Tick and save to stop this link working at once."
    )

    class Meta:
        model = PreviewLink
        fields = ["shared_with", "expires_at"]


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


class MineFilter(admin.SimpleListFilter):
    title = "by"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Me (created or on the byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.by_person(request.user)
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = "visible to readers"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("live", "Live now"),
            ("upcoming", "Scheduled, not yet live"),
            ("hidden", "Not visible"),
        ]

    def queryset(self, request, queryset):
        live = Article.objects.published().values("pk")
        if self.value() == "live":
            return queryset.filter(pk__in=live)
        if self.value() == "upcoming":
            return queryset.filter(pk__in=Article.objects.upcoming().values("pk"))
        if self.value() == "hidden":
            return queryset.exclude(pk__in=live)
        return queryset


class ArticleAdminForm(forms.ModelForm):
    note = forms.CharField(
        required=False,
        label="Note to the writer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you send an article back to draft: say what to change. "
        "The writer sees it on the article.",
    )
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    # Set by ArticleAdmin.get_form for each request.
    user = None
    live = None
    allowed_statuses = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = None
        self.checklist_report = None
        if "status" in self.fields:
            # Offer only the moves the person may make; clean() still refuses forged values.
            self.fields["status"].widget.choices = [
                (status.value, status.label) for status in self.allowed_statuses
            ]
        if self.live.pk:
            self.fields["loaded_version"].initial = self.live.saved_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        self.check_not_changed_meanwhile()
        status = cleaned.get("status")
        if not status:
            return cleaned
        try:
            self.move = workflow.check_move(
                user=self.user,
                article=self.live,
                target=status,
                note=cleaned.get("note", ""),
                publish_at=cleaned.get("publish_at"),
            )
        except workflow.TransitionRefused as refused:
            if refused.field == "publish_at" and not cleaned.get("publish_at"):
                return cleaned  # Article.clean() says so already
            field = refused.field if refused.field in self.fields else None
            self.add_error(field, str(refused))
            return cleaned
        if self.move.runs_checklist:
            draft = self.submitted_draft(cleaned)
            if draft is not None:
                self.checklist_report = checklist.run(draft)
                if not self.checklist_report.passed:
                    raise ValidationError(
                        [
                            f"Not ready to go live: {problem}"
                            for problem in self.checklist_report.failures
                        ]
                    )
        return cleaned

    def check_not_changed_meanwhile(self):
        loaded = self.cleaned_data.get("loaded_version")
        if not (self.live.pk and loaded) or loaded == self.live.saved_at.isoformat():
            return
        last = Version.objects.get_for_object(self.live).select_related("revision__user").first()
        who = ""
        if last and last.revision.user:
            who = f" by {last.revision.user.get_full_name() or last.revision.user.get_username()}"
        when = date_format(timezone.localtime(self.live.saved_at), "DATETIME_FORMAT")
        raise ValidationError(
            f"This article was saved{who} at {when}, after you opened it. Copy your changes, "
            "reload the page and make them again, so that neither version is lost."
        )

    # How each inline's submitted rows read into the checklist's Draft.
    CHECKLIST_INLINES = {
        ArticleAuthor: ("authors", lambda row: row["author"]),
        FaqItem: ("faq", lambda row: (row.get("question", ""), row.get("answer", ""))),
        RelatedLink: ("related", lambda row: row["target"]),
    }

    def submitted_draft(self, cleaned):
        """What the checklist sees of the form and inlines sent; None if an inline is invalid."""
        draft = checklist.Draft.of_article(self.live) if self.live.pk else checklist.Draft()
        for name in ("headline", "standfirst", "body", "seo_title", "seo_description", "section"):
            setattr(draft, name, cleaned.get(name, getattr(draft, name)))
        draft.tags = cleaned.get("tags") or []
        submitted = self.instance.__dict__.get("_submitted_inlines", {})
        for model, (attribute, read) in self.CHECKLIST_INLINES.items():
            formset = submitted.get(model)
            if formset is None:
                continue  # not shown to this person: the stored rows stand
            if not formset.is_valid():
                return None
            rows = [form.cleaned_data for form in formset.forms if form.cleaned_data]
            setattr(draft, attribute, [read(row) for row in rows if not row.get("DELETE")])
        scheduled = cleaned.get("status") == Article.Status.SCHEDULED
        draft.goes_live = cleaned.get("publish_at") if scheduled else timezone.now()
        return draft


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "status",
        "is_published",
        "section",
        "byline",
        "published_at",
        "tag_list",
    ]
    list_filter = [MineFilter, "status", VisibilityFilter, "section", "authors", "tags"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    readonly_fields = [
        "published_at",
        "updated_at",
        "old_addresses",
        "word_count",
        "reading_time",
        "review_note",
        "prepublish_checklist",
        "created_by",
    ]
    inlines = [
        ArticleAuthorInline,
        FaqItemInline,
        RelatedLinkInline,
        CorrectionInline,
        PreviewLinkInline,
    ]
    actions = ["submit_for_review", "publish_selected", "unpublish_selected"]
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    history_latest_first = True

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
            "loaded_version",
        ]
        return [
            (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
            ("Filing", {"fields": ["section", "tags", "allow_comments"]}),
            ("Publication", {"fields": publication}),
            ("Pre-publish checklist", {"fields": ["prepublish_checklist"]}),
            (
                "Search engines and sharing",
                {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
            ),
            ("Length", {"fields": ["word_count", "reading_time"], "classes": ["collapse"]}),
        ]

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # A save holds the article's row until it commits, so editors saving the version they
            # all opened go one at a time, and the form's check tells each after the first who
            # saved meanwhile. The article is read again once the row is ours.
            Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").get()
            article = super().get_object(request, object_id, from_field)
        return article

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        live = live_article(request, obj) if obj is not None else Article()
        return type(
            form.__name__,
            (form,),
            {
                "user": request.user,
                "live": live,
                "allowed_statuses": workflow.allowed_statuses(request.user, live),
            },
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("author_links__author", "tags")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return workflow.can_edit(request.user, live_article(request, obj))

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def save_model(self, request, obj, form, change):
        stored = live_article(request, obj) if change else None
        if stored:
            # A revision being restored carries its own publication and update times; the
            # article's stay, and move only as readers see it change (save_related).
            obj.published_at, obj.updated_at = stored.published_at, stored.updated_at
            reader_view_before(request, obj)
        else:
            obj.created_by = request.user
        workflow.note_after_move(obj, target=obj.status, note=form.cleaned_data.get("note", ""))
        super().save_model(request, obj, form, change)
        # An address readers have had, even if the article is off the site for now, keeps
        # working for when it is back.
        if stored and stored.published_at and stored.slug != obj.slug:
            services.old_slug_record(article=obj, slug=stored.slug)

    @admin.display(description="Old addresses (redirect here)")
    def old_addresses(self, obj):
        return ", ".join(old.slug for old in obj.old_slugs.all()) if obj.pk else ""

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                if correction.pk is None:
                    services.correction_add(
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.article_touch(
                article=form.instance, since=reader_view_before(request, form.instance)
            )
        report = form.checklist_report
        if report and report.warnings:
            self.message_user(
                request,
                "Gone through with warnings: " + " ".join(report.warnings),
                messages.WARNING,
            )

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
        report = checklist.run(checklist.Draft.of_article(obj))
        rows = []
        for check in report.checks:
            if not check.findings:
                rows.append(("ok", "✔", check.title))
            for finding in check.findings:
                mark = "✖" if finding.level == checklist.FAILURE else "⚠"
                rows.append((finding.level, mark, f"{check.title}: {finding.message}"))
        return format_html(
            '<ul class="prepublish-checklist">{}</ul>',
            format_html_join(
                "", '<li class="checklist-{}"><span aria-hidden="true">{}</span> {}</li>', rows
            ),
        )

    # Status changes from the list: one service call per article, so each gets the same rules,
    # the checklist and a revision of its own.

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.change_status(request, queryset, Article.Status.IN_REVIEW, "submitted for review")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.change_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(
        description="Unpublish selected articles (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self.change_status(request, queryset, Article.Status.DRAFT, "moved back to draft")

    def change_status(self, request, queryset, status, done):
        moved, refused, warnings = 0, [], []
        for article in queryset.select_related("section"):
            if article.status == status:
                continue
            try:
                with self.create_revision(request):
                    reversion.set_comment(f"{done.capitalize()} from the article list.")
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

    # Revisions: compare two, roll back to one (reversion's revision view), recover deleted ones.

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        versions = []
        if article is not None:
            versions = Version.objects.get_for_object(article).select_related("revision__user")
        context = {
            "versions": versions,
            "compare_url": reverse("admin:articles_article_compare", args=[object_id]),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        history_url = reverse("admin:articles_article_history", args=[object_id])
        chosen = [revision_id(request.GET.get("from", "")), revision_id(request.GET.get("to", ""))]
        if None in chosen or chosen[0] == chosen[1]:
            self.message_user(request, "Choose two different revisions to compare.", messages.ERROR)
            return redirect(history_url)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        found = {version.pk: version for version in versions.filter(pk__in=chosen)}
        if len(found) != 2:
            raise Http404("No such revision of this article.")
        older, newer = sorted(found.values(), key=lambda v: (v.revision.date_created, v.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "older": older,
            "newer": newer,
            "comparison": revisions.compare(older, newer),
            "history_url": history_url,
            "can_roll_back": self.has_change_permission(request, article),
            "rollback_url": reverse("admin:articles_article_revision", args=[object_id, older.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        # Judged on the article as it stands, before reversion loads the old revision.
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        reader_view_before(request, article)
        return super().revision_view(request, object_id, version_id, extra_context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # django-reversion (6.4) reverts every object in the revision; revisions saved by bulk
        # actions before each article had its own hold several articles. Only this one goes back.
        version.revision.revert = functools.partial(revisions.revert_article, version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def changelist_view(self, request, extra_context=None):
        context = {"can_recover": workflow.is_editor(request.user), **(extra_context or {})}
        # Skips VersionAdmin's, which saves everything a bulk action changes in one revision:
        # rolling one article back would then revert the others. change_status gives each its own.
        return admin.ModelAdmin.changelist_view(self, request, context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
