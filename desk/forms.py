from django import forms

from articles.models import Author


class BylineProfileForm(forms.ModelForm):
    """What a staff member changes of their own byline; the address of their author page and
    their pairings are the editors' to change."""

    class Meta:
        model = Author
        fields = ["name", "title", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "cols": 60})}
