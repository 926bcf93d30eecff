"""The article change form: what the workflow lets this person do, the first save winning over
later ones, and the pre-publish checklist over the form and the rows submitted with it."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles.models import Article, ArticleAuthor, FaqItem, RelatedLink

from .. import checklist, workflow
from ..models import PreviewLink

# The rows the checklist reads, as the change form submits them: the admin's inlines send them
# under these same prefixes. The form reads them from its own data, since it is validated before
# the admin's inline formsets are.
CHECKLIST_ROWS = {
    "authors": (
        inlineformset_factory(Article, ArticleAuthor, fields=["author"], extra=0),
        lambda row: row["author"],
    ),
    "faq": (
        inlineformset_factory(Article, FaqItem, fields=["question", "answer"], extra=0),
        lambda row: (row.get("question", ""), row.get("answer", "")),
    ),
    "related": (
        inlineformset_factory(Article, RelatedLink, fk_name="article", fields=["target"], extra=0),
        lambda row: row["target"],
    ),
}


class ArticleAdminForm(forms.ModelForm):
    """The change form for writers; EditorArticleForm is the one for editors (ArticleAdmin
    picks by role). It works on a copy of the article, so the article as stored (`stored`)
    stays at hand: validation writes the submitted values onto the form's instance, and
    permissions and moves are judged on what is stored."""

    note = forms.CharField(
        required=False,
        label="Note to the writer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you send an article back to draft: say what to change. "
        "The writer sees it on the article.",
    )
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    # Whether this form offers the moves the workflow keeps for editors.
    editor = False

    def __init__(self, *args, instance=None, **kwargs):
        self.stored = instance if instance is not None else Article()
        working_copy = copy.copy(instance) if instance is not None else None
        super().__init__(*args, instance=working_copy, **kwargs)
        self.move = None
        self.checklist_report = None
        self.readers_saw = None
        if "status" in self.fields:
            # Offer only the moves the person may make; clean() still refuses forged values.
            # A scheduled article whose time has come shows as what it is: Published.
            current = self.stored.current_status()
            self.fields["status"].widget.choices = [
                (status.value, workflow.choice_label(status, move, current=current))
                for status, move in workflow.allowed_moves(self.stored, editor=self.editor)
            ]
            if self.stored.pk:
                self.initial["status"] = current
        if self.stored.pk:
            self.fields["loaded_version"].initial = self.stored.saved_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        self.check_not_changed_meanwhile()
        status = cleaned.get("status")
        if not status:
            return cleaned
        try:
            self.move = workflow.check_move(
                article=self.stored,
                target=status,
                editor=self.editor,
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
        stored = self.stored
        if not stored.pk:
            return
        if not loaded:
            # Without it the check below could be skipped at will by leaving the field empty.
            raise ValidationError(
                "This form did not say which version of the article you opened. Copy your "
                "changes, reload the page and make them again.",
                code="no_loaded_version",
            )
        if loaded == stored.saved_at.isoformat():
            return
        last = Version.objects.get_for_object(stored).select_related("revision__user").first()
        who = ""
        if last and last.revision.user:
            who = f" by {last.revision.user.get_full_name() or last.revision.user.get_username()}"
        when = date_format(timezone.localtime(stored.saved_at), "DATETIME_FORMAT")
        raise ValidationError(
            f"This article was saved{who} at {when}, after you opened it. Copy your changes, "
            "reload the page and make them again, so that neither version is lost."
        )

    def submitted_draft(self, cleaned):
        """What the checklist sees of the form and the rows sent with it; None if some rows
        are invalid (the admin's inlines show why)."""
        stored = self.stored
        draft = checklist.Draft.of_article(stored) if stored.pk else checklist.Draft()
        for name in ("headline", "standfirst", "body", "seo_title", "seo_description", "section"):
            setattr(draft, name, cleaned.get(name, getattr(draft, name)))
        draft.tags = cleaned.get("tags") or []
        for attribute, (formset_class, read) in CHECKLIST_ROWS.items():
            prefix = formset_class.get_default_prefix()
            if f"{prefix}-TOTAL_FORMS" not in self.data:
                continue  # not shown to this person: the stored rows stand
            formset = formset_class(self.data, instance=stored, prefix=prefix)
            if not formset.is_valid():
                return None
            rows = [form.cleaned_data for form in formset.forms if form.cleaned_data]
            setattr(draft, attribute, [read(row) for row in rows if not row.get("DELETE")])
        scheduled = cleaned.get("status") == Article.Status.SCHEDULED
        draft.goes_live = cleaned.get("publish_at") if scheduled else timezone.now()
        return draft

    def save(self, commit=True):
        # What readers saw before this save, for telling whether it changed anything for them.
        if self.stored.pk:
            self.readers_saw = self.stored.reader_view()
        workflow.note_after_move(
            self.instance, target=self.instance.status, note=self.cleaned_data.get("note", "")
        )
        return super().save(commit)


class EditorArticleForm(ArticleAdminForm):
    """The change form for editors (holders of articles.publish_article): every move."""

    editor = True


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(
        required=False, help_text="Tick and save to stop this link working at once."
    )

    class Meta:
        model = PreviewLink
        fields = ["shared_with", "expires_at"]
