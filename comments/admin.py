from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from . import services
from .models import Comment


class StaffReplyForm(forms.ModelForm):
    """The moderation form, with a box for a reply from the newsroom."""

    reply = forms.CharField(
        required=False,
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reply as staff",
        help_text="Published at once under this comment, with your byline and a staff badge. "
        "Approve the comment to reply to it.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reply", "").strip():
            return cleaned
        # The reply goes in the thread: under this comment, or the one this one replies to.
        comment = self.instance
        if comment.parent_id is None:
            shown = cleaned.get("status", comment.status) == Comment.Status.APPROVED
        else:
            shown = comment.parent.is_approved()
        if not shown or (comment.parent or comment).is_removed:
            raise ValidationError(
                {
                    "reply": "Approve the comment to reply: readers see replies only under "
                    "approved comments."
                }
            )
        return cleaned


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
        "from_staff",
        "name",
        "email",
        "body",
        "status",
        "spam_reason",
        "created_at",
        "edited_at",
        "notified_at",
        "removed_at",
        "ip_hash",
        "user_agent",
    ]
    class Media:
        css = {"all": ["comments/moderation.css"]}

    # Editors may trim a name or body; the rest is the record of what the reader sent.
    readonly_fields = [field for field in fields if field not in {"name", "body", "status"}]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.can_reply(request, obj):
            kwargs["form"] = StaffReplyForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.can_reply(request, obj):
            fields = [*fields, "reply"]
        return fields

    def can_reply(self, request, obj):
        # Not under a comment its writer removed: nobody is left to answer.
        return obj is not None and not obj.is_removed and self.has_moderate_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        body = form.cleaned_data.get("reply", "").strip()
        if body:
            reply = services.comment_reply_as_staff(comment=obj, user=request.user, body=body)
            url = request.build_absolute_uri(reply.get_absolute_url())
            self.message_user(
                request,
                format_html('Your reply is published: <a href="{}">see it on the site</a>.', url),
                messages.SUCCESS,
            )

    def get_ordering(self, request):
        # The moderation queue: what awaits a decision first, newest first within each group.
        pending_first = Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1))
        return [pending_first.asc(), "-created_at", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        readonly = self.readonly_fields
        if obj is not None and obj.is_removed:
            # Its writer took the words back; a moderator may still hide the replies under it.
            readonly = [*readonly, "name", "body"]
        if self.has_moderate_permission(request):
            return readonly
        return [*readonly, "status"]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_moderate_permission(self, request):
        opts = self.opts
        codename = get_permission_codename("moderate", opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    @admin.display(description="Comment")
    def excerpt(self, obj):
        return "Removed by its writer" if obj.is_removed else Truncator(obj.body).chars(80)

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
