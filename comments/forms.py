import time

from django import forms
from django.conf import settings
from django.core import signing

from .models import Comment
from .text import plain_name, plain_text

STARTED_SALT = "articles.comments.form-started"  # kept from before the app moved
# A form older than this is refused (and shown again with a fresh one): a bot may not keep
# reusing one harvested timestamp.
STARTED_MAX_AGE = 24 * 60 * 60


def started_token(article, now=None):
    """A signed note of when the comment form was shown, and for which article."""
    return signing.dumps([article.pk, now or time.time()], salt=STARTED_SALT)


def started_token_for_request(request, article_pk):
    """The start time for a comment form on a page served from the cache (pagecache.per_request)."""
    return signing.dumps([int(article_pk), time.time()], salt=STARTED_SALT)


def started_at(token, article):
    """When the form holding `token` was shown, or None for a missing, forged or stale token."""
    try:
        article_pk, shown_at = signing.loads(token or "", salt=STARTED_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if article_pk != article.pk or not isinstance(shown_at, int | float):
        return None
    if time.time() - shown_at > STARTED_MAX_AGE:
        return None
    return shown_at


class PlainTextField(forms.CharField):
    """Text typed by a reader: one kind of line break, no direction controls or control
    characters (see text.plain_text), and no undecodable bytes."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def clean(self, value):
        # After validation, so that a NUL byte is refused as before rather than dropped.
        return plain_text(super().clean(value))

    def validate(self, value):
        super().validate(value)
        if "\ufffd" in value:
            raise forms.ValidationError(
                "Some characters could not be read. Please check the text and try again.",
                code="undecodable",
            )


class CommentBodyForm(forms.Form):
    body = PlainTextField(
        label="Comment",
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, up to 5,000 characters. Web addresses become links.",
    )


class CommentForm(CommentBodyForm):
    """A reader's new comment or reply, with the bot checks that need no CAPTCHA."""

    name = PlainTextField(label="Name", max_length=80, widget=forms.TextInput(
        attrs={"autocomplete": "name"}
    ))  # fmt: skip
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Never shown on the site.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    # Honeypot: hidden from people (and from screen readers), filled in by form-filling bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["name", "email", "body"]

    def __init__(self, *args, article, started=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.started = started

    def started_token(self):
        return self.started or started_token(self.article)

    def clean_name(self):
        return plain_name(self.cleaned_data["name"])

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean_parent(self):
        pk = self.cleaned_data["parent"]
        if pk is None:
            return None
        parent = (
            Comment.objects.approved()
            .filter(article=self.article, parent__isnull=True, pk=pk)
            .select_related("article")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "That comment cannot be replied to any more.", code="invalid_parent"
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        shown_at = started_at(self.data.get("started"), self.article)
        if self.data.get("website"):
            raise forms.ValidationError(
                "Your comment could not be accepted. Please try again.", code="honeypot"
            )
        if shown_at is None:
            raise forms.ValidationError(
                "This form had expired. Please send your comment again.", code="expired"
            )
        if time.time() - shown_at < settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "That was quick! Please check your comment and send it again.", code="too_fast"
            )
        return cleaned
