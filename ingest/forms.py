from django import forms

from articles.models import Article

from .plaintext import STANDFIRST_MAX

HEADLINE_MAX = Article._meta.get_field("headline").max_length


class PasteForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        max_length=1_000_000,
        help_text="Paste the copy: headline on the first line, an optional “by NAME” line, "
        "then paragraphs separated by blank lines.",
    )
    headings = forms.BooleanField(
        required=False, initial=True, help_text="Make short title-like lines section headings."
    )


class DraftForm(forms.Form):
    """The structured article, as the preview read it, for the editor to fix before saving."""

    headline = forms.CharField(max_length=HEADLINE_MAX)
    standfirst = forms.CharField(
        max_length=STANDFIRST_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    bylines = forms.CharField(
        required=False, help_text="Authors, separated by commas; empty for none."
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}))
    faq = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One “Q: … / A: …” pair per two lines.",
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_faq(self):
        lines = [line.strip() for line in self.cleaned_data["faq"].splitlines() if line.strip()]
        pairs = []
        for question, answer in zip(lines[::2], lines[1::2], strict=False):
            if not (question.startswith("Q:") and answer.startswith("A:")):
                raise forms.ValidationError("Write each item as a Q: line followed by an A: line.")
            pairs.append((question[2:].strip(), answer[2:].strip()))
        if len(lines) % 2:
            raise forms.ValidationError("The last question has no A: answer.")
        return pairs


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A WordPress export (.xml) or NINJS items (.json).")
    dry_run = forms.BooleanField(required=False, help_text="Read and report only; save nothing.")
