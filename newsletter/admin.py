import csv

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override

from .emails import EditionEmail, absolute_url
from .models import Edition, EditionArticle, Subscriber
from .services import edition_queue_send, edition_send_test, subscriber_mark_bounced

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# An email keeps its styles inline, as mail clients need, and the preview's sandboxed frame
# inherits the page's policy: inline styles (never scripts) are allowed on that page alone.
EMAIL_PREVIEW_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}


def csv_safe(value):
    """Readers type their own names: keep spreadsheets from running them as formulas."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_PREFIXES) else text


class Echo:
    """A file-like object whose write() hands back the line, for streaming csv.writer output."""

    def write(self, value):
        return value


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "source", "source_article", "created_at"]
    list_filter = ["status", "source", ("source_article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source_article"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["source_article"]
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at", "bounced_at"]
    fields = ["email", "name", "status", "source", "source_article", *readonly_fields]
    date_hierarchy = "created_at"
    actions = ["mark_bounced"]
    export_chunk_size = 2000

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="newsletter_subscriber_export",
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        totals = dict(
            Subscriber.objects.order_by().values_list("status").annotate(total=Count("pk"))
        )
        status_counts = [
            (label, totals.get(value, 0)) for value, label in Subscriber.Status.choices
        ]
        extra_context = {"status_counts": status_counts, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Mark selected subscribers as bounced", permissions=["change"])
    def mark_bounced(self, request, queryset):
        count = subscriber_mark_bounced(subscribers=queryset)
        self.message_user(
            request,
            ngettext(
                "%d subscriber marked as bounced; they will not be mailed again.",
                "%d subscribers marked as bounced; they will not be mailed again.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    def export_view(self, request):
        """Confirmed subscribers as CSV, streamed row by row: 100,000 rows never sit in memory."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = (
            Subscriber.objects.confirmed()
            .order_by("pk")
            .values_list("email", "name", "confirmed_at", "source", "source_article__headline")
            .iterator(chunk_size=self.export_chunk_size)
        )
        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow(["email", "name", "confirmed_at", "source", "source_article"])
            for email, name, confirmed_at, source, headline in rows:
                yield writer.writerow(
                    [
                        csv_safe(email),
                        csv_safe(name),
                        confirmed_at.isoformat() if confirmed_at else "",
                        source,
                        csv_safe(headline),
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        filename = f"confirmed-subscribers-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class EditionArticleInline(admin.TabularInline):
    model = EditionArticle
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "order"]

    def suggestions(self, request):
        if not hasattr(request, "_newsletter_suggestions"):
            request._newsletter_suggestions = list(Edition.suggested_articles())
        return request._newsletter_suggestions

    def get_extra(self, request, obj=None, **kwargs):
        # A new edition starts with the articles published since the previous one.
        if obj is None and request.method == "GET":
            return len(self.suggestions(request))
        return self.extra

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable()) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable()) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable()) and super().has_delete_permission(request, obj)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "created_at", "queued_at", "progress"]
    list_filter = ["status"]
    search_fields = ["subject", "intro"]
    inlines = [EditionArticleInline]
    progress_fields = ["status", "progress", "created_by", "queued_by", "queued_at", "sent_at"]

    def get_fields(self, request, obj=None):
        return ["subject", "intro", *self.progress_fields] if obj else ["subject", "intro"]

    def get_readonly_fields(self, request, obj=None):
        if obj and not obj.is_editable():
            return ["subject", "intro", *self.progress_fields]
        return self.progress_fields

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, EditionArticleInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = [
                {"article": article.pk, "order": order}
                for order, article in enumerate(inline.suggestions(request), start=1)
            ]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Progress")
    def progress(self, obj):
        if obj.status == Edition.Status.DRAFT:
            return "Not sent"
        if obj.planned_at is None:
            return "Queued: waiting for the sender to start"
        parts = [f"{obj.sent_count:,} of {obj.recipient_count:,} sent"]
        if obj.skipped_count:
            parts.append(f"{obj.skipped_count:,} skipped (unsubscribed or bounced meanwhile)")
        in_doubt = obj.in_doubt_count() if obj.status == Edition.Status.SENT else 0
        if in_doubt:
            parts.append(f"{in_doubt:,} in doubt (a run stopped mid-batch; not retried)")
        return ", ".join(parts)

    def get_urls(self):
        def view(function, suffix):
            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(function),
                name=f"newsletter_edition_{suffix.replace('-', '_')}",
            )

        return [
            view(csp_override(EMAIL_PREVIEW_CSP)(self.preview_view), "preview"),
            view(self.send_test_view, "send-test"),
            view(self.send_view, "send"),
            *super().get_urls(),
        ]

    def edition_or_404(self, request, object_id, permission):
        edition = get_object_or_404(Edition, pk=object_id)
        if not permission(request, edition):
            raise PermissionDenied
        return edition

    def has_send_permission(self, request, obj=None):
        return request.user.has_perm("newsletter.send_edition")

    def change_url(self, edition):
        return reverse("admin:newsletter_edition_change", args=[edition.pk])

    def page(self, request, edition, template, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": edition,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"admin/newsletter/edition/{template}", context)

    def preview_view(self, request, object_id):
        """The email as subscribers will see it: the HTML in a sandboxed frame, and the text."""
        edition = self.edition_or_404(request, object_id, self.has_view_permission)
        email = EditionEmail(edition)
        sample_link = absolute_url(reverse("newsletter:signup"))
        message = email.message("reader@example.com", sample_link)
        return self.page(
            request,
            edition,
            "preview.html",
            f"Preview: {edition.subject}",
            message=message,
            html=message.alternatives[0].content,
        )

    def send_test_view(self, request, object_id):
        edition = self.edition_or_404(request, object_id, self.has_change_permission)
        if request.method == "POST":
            try:
                edition_send_test(edition=edition, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, f"A test email was sent to {request.user.email}.", messages.SUCCESS
                )
            return redirect(self.change_url(edition))
        return self.page(request, edition, "send_test.html", "Send a test to me")

    def send_view(self, request, object_id):
        edition = self.edition_or_404(request, object_id, self.has_send_permission)
        if request.method == "POST":
            try:
                edition = edition_queue_send(edition=edition, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(self.change_url(edition))
            edition.refresh_from_db()
            if edition.status == Edition.Status.SENT:
                count = edition.sent_count
                message = (
                    ngettext("Sent to %s subscriber.", "Sent to %s subscribers.", count)
                    % f"{count:,}"
                )
            else:
                message = (
                    "Sending runs in the background (the task worker, or the send_newsletter "
                    "command). Progress is shown on this page."
                )
            self.message_user(request, message, messages.SUCCESS)
            return redirect(self.change_url(edition))
        # Only a draft's page says how many will get it; resuming needs no count.
        recipients = Subscriber.objects.confirmed().count() if edition.is_editable() else None
        return self.page(
            request,
            edition,
            "send.html",
            "Send to all confirmed subscribers",
            recipients=recipients,
        )
