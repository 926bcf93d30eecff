"""The newsletter's emails, each multipart (plain text and HTML) from templates.

Links are absolute, built from settings.NEWSROOM_SITE_URL: a command sending an edition has no
request.
"""

import email.policy
import ipaddress
import re
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from articles.media import listing_media, shared_picture

from .models import CONFIRM_MAX_AGE, UNSUBSCRIBE_SALT, signed_token

# Editions are rendered once and this marker is swapped for each subscriber's own link:
# rendering two templates per subscriber would cost more than the sending itself.
UNSUBSCRIBE_MARKER = "__NEWSLETTER_UNSUBSCRIBE_URL__"
# Lead images fill the 560-pixel column, sharp on screens of twice the density; mail clients
# show JPEG, not AVIF or WebP.
PICTURE_DISPLAY_WIDTH = 560


class ListHeader(UnstructuredHeader):
    """A list header (RFC 2369, RFC 2919) written as given, each `<uri>` on a line of its own.

    Python folds a long header with no spaces into RFC 2047 encoded-words, and mail providers
    then find no `<https://…>` to unsubscribe by. Folding between the URIs is what RFC 2369
    allows; a line may be up to 998 characters long, far more than an unsubscribe link needs.
    """

    def fold(self, *, policy):
        uris = re.split(r"(?<=>)\s*,\s*(?=<)", str(self))
        return f"{self.name}: " + f",{policy.linesep} ".join(uris) + policy.linesep


LIST_HEADERS = HeaderRegistry()
for name in ("list-unsubscribe", "list-id"):
    LIST_HEADERS.map_to_type(name, ListHeader)


class NewsletterMessage(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        # Whatever policy the backend asks for (the SMTP backend asks for email.policy.SMTP),
        # the list headers keep their URIs readable.
        return super().message(policy=policy.clone(header_factory=LIST_HEADERS))


def list_id():
    """The newsletter's List-Id (RFC 2919): `"<site> newsletter" <newsletter.<site's host>>`,
    the host `localhost` when the site has no domain name (as in development)."""
    host = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
        host = "localhost"
    except ValueError:
        pass
    label = f"<newsletter.{host}>"
    phrase = f"{settings.NEWSROOM_SITE_NAME} newsletter"
    if not phrase.isascii() or not phrase.isprintable():
        return label  # a phrase would need RFC 2047 words, which list headers do without
    return '"' + phrase.replace("\\", "\\\\").replace('"', '\\"') + f'" {label}'


def unsubscribe_mailbox():
    return (
        settings.NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL.strip()
        or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    )


def list_unsubscribe(unsubscribe_url):
    """RFC 2369's List-Unsubscribe: the one-click address (RFC 8058), then a mailto: for
    clients that only send mail, whose body is that same address for whoever reads the
    mailbox (NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL)."""
    mailbox = unsubscribe_mailbox()
    mailto = f"mailto:{mailbox}?subject=unsubscribe&body={quote(unsubscribe_url, safe='')}"
    return f"<{unsubscribe_url}>, <{mailto}>"


def absolute_url(path):
    return settings.NEWSROOM_SITE_URL + path


def lead_picture(article):
    """The article's lead image for an email: a 16:9 JPEG at its absolute address (a media
    bucket's own, or this site's), with the height it shows at in the column; or None."""
    picture = shared_picture(
        article.lead_image,
        settings.NEWSROOM_SITE_URL + "/",
        min_width=2 * PICTURE_DISPLAY_WIDTH,
    )
    if picture is None:
        return None
    height = round(picture.height * PICTURE_DISPLAY_WIDTH / picture.width)
    return {"url": picture.url, "alt": picture.alt, "width": PICTURE_DISPLAY_WIDTH,
            "height": height}  # fmt: skip


def unsubscribe_url(subscriber_pk):
    token = signed_token(subscriber_pk, salt=UNSUBSCRIBE_SALT)
    return absolute_url(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def site_context():
    return {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": settings.NEWSROOM_SITE_URL}


def render_pair(template_base, context):
    """The text and HTML bodies of one email: `<template_base>.txt` and `.html`."""
    text = render_to_string(f"{template_base}.txt", context)
    html = render_to_string(f"{template_base}.html", context)
    return text, html


def confirmation_message(subscriber):
    context = site_context() | {
        "subscriber": subscriber,
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", kwargs={"token": subscriber.confirmation_token()})
        ),
        "expiry_days": CONFIRM_MAX_AGE.days,
    }
    text, html = render_pair("newsletter/email/confirm", context)
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to the {settings.NEWSROOM_SITE_NAME} newsletter",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(html, "text/html")
    return message


class EditionEmail:
    """An edition rendered once, from which each subscriber's message is made."""

    def __init__(self, edition, *, test=False):
        self.subject = f"[Test] {edition.subject}" if test else edition.subject
        articles = edition.ordered_articles()
        listing_media(articles)
        context = site_context() | {
            "edition": edition,
            "intro": edition.intro,
            "articles": [
                {
                    "headline": article.headline,
                    "label": article.listing_label,
                    "standfirst": article.standfirst,
                    "section": article.section.name if article.section else "",
                    "url": absolute_url(article.get_absolute_url()),
                    "picture": lead_picture(article),
                }
                for article in articles
            ],
            "unsubscribe_url": UNSUBSCRIBE_MARKER,
        }
        self.text, self.html = render_pair("newsletter/email/edition", context)

    def message(self, to, unsubscribe_url, *, list_headers=True):
        """The message for one address; `unsubscribe_url` goes in the body and the headers."""
        headers = {}
        if list_headers:
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
            headers = {
                "List-Id": list_id(),
                "List-Unsubscribe": list_unsubscribe(unsubscribe_url),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        message = NewsletterMessage(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_MARKER, unsubscribe_url),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers,
        )
        message.attach_alternative(
            self.html.replace(UNSUBSCRIBE_MARKER, escape(unsubscribe_url)), "text/html"
        )
        return message
