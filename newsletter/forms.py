from django import forms

from articles.models import Article
from pagecache.forms import RenderedOnce

from .models import Subscriber, normalise_name

# Field ids get their own prefix: the form sits on pages that have other forms (comments).
AUTO_ID = "newsletter-%s"

READER_SOURCES = {
    Subscriber.Source.HOME,
    Subscriber.Source.ARTICLE,
    Subscriber.Source.PAGE,
}


class SignupForm(RenderedOnce, forms.Form):
    """Its empty fields are rendered once per starting value (pagecache.forms)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label="Name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Where the form was shown. Tampering with these only mislabels a signup, so a bad value
    # falls back to the newsletter page rather than failing the reader's signup.
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    article = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return normalise_name(self.cleaned_data["name"])

    def clean_source(self):
        source = self.cleaned_data["source"]
        return source if source in READER_SOURCES else Subscriber.Source.PAGE

    def clean_article(self):
        article_id = self.cleaned_data["article"]
        if not article_id.isdigit():
            return None
        return Article.objects.published().filter(pk=int(article_id)).first()

    def signup_arguments(self):
        source_article = self.cleaned_data["article"]
        source = self.cleaned_data["source"]
        if source == Subscriber.Source.ARTICLE and source_article is None:
            source = Subscriber.Source.PAGE
        return {
            "email": self.cleaned_data["email"],
            "name": self.cleaned_data["name"],
            "source": source,
            "source_article": source_article if source == Subscriber.Source.ARTICLE else None,
        }
