import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache

from pagecache.forms import RenderedOnce

from .models import Comment
from .text import plain_name, plain_text

STARTED_SALT = "articles.comments.form-started"  # kept from before the app moved
# A start token older than this is refused (and the form shown again with a fresh one), and
# each token is good for one comment: a bot may not keep reusing one it harvested.
STARTED_MAX_AGE = 2 * 60 * 60
USED_PREFIX = "comments:started-used:"


def started_token(article, now=None):
    """A signed note of when a reader began a comment on `article`, good for one comment.

    Pages for everyone carry none (they are the same for every reader): the form's script asks
    comments:start for one when the reader starts typing, and a post without one gets the form
    back, made for that reader, with one (views.comment_post)."""
    return signing.dumps(
        [article.pk, now or time.time(), secrets.token_urlsafe(12)], salt=STARTED_SALT
    )


def read_started(token, article):
    """(when the form holding `token` was begun, its nonce), or None for a missing, forged or
    stale token."""
    try:
        article_pk, shown_at, nonce = signing.loads(token or "", salt=STARTED_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if article_pk != article.pk or not isinstance(shown_at, int | float):
        return None
    if time.time() - shown_at > STARTED_MAX_AGE:
        return None
    return shown_at, str(nonce)


def use_started(nonce):
    """Claim a start token's nonce for one comment: False when a comment already used it. The
    cache keeps used nonces (across servers, through Redis) for as long as a token lives; with
    the cache down a token is accepted, as the rate limits are."""
    try:
        return bool(cache.add(USED_PREFIX + nonce, 1, timeout=STARTED_MAX_AGE))
    except Exception:  # any cache backend's connection error
        return True


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


class CommentForm(RenderedOnce, CommentBodyForm):
    """A reader's new comment or reply, with the bot checks that need no CAPTCHA. Its empty
    fields are rendered once (pagecache.forms): they are the same on every article."""

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
    takes_start = True  # the template adds the start token's field

    def __init__(self, *args, article, for_everyone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.for_everyone = for_everyone

    def started_token(self):
        """A fresh start token for a form made for one reader; none in a page for everyone."""
        return "" if self.for_everyone else started_token(self.article)

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
        if self.data.get("website"):
            raise forms.ValidationError(
                "Your comment could not be accepted. Please try again.", code="honeypot"
            )
        if not self.data.get("started"):
            # Posted from a page for everyone before its script supplied a start token (or
            # without JavaScript): the reader gets the form back, with one, to send again.
            raise forms.ValidationError(
                "Please check your comment, then send it.", code="unstarted"
            )
        started = read_started(self.data.get("started"), self.article)
        if started is None:
            raise forms.ValidationError(
                "This form had expired. Please send your comment again.", code="expired"
            )
        shown_at, self.started_nonce = started
        if time.time() - shown_at < settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "That was quick! Please check your comment and send it again.", code="too_fast"
            )
        return cleaned

    def only_unstarted(self):
        """True when the one thing missing is the start token (see clean())."""
        errors = self.errors.as_data()
        return list(errors) == ["__all__"] and all(
            error.code == "unstarted" for error in errors["__all__"]
        )
