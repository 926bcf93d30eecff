"""The newsletter's emails as a mail provider receives them: Django's SMTP backend talking to a
real SMTP server (aiosmtpd) started by the test, and the raw bytes it was sent."""

import email
import email.policy
import re
import socket
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from newsletter.models import Edition, Subscriber
from newsletter.sending import edition_send
from newsletter.signups import subscriber_send_confirmation
from tests.factories import browser, make_article, make_edition, make_subscriber

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping each message's bytes exactly as they came over the wire."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.original_content)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": controller.port,
                    "use_tls": False,
                    "timeout": 10,
                },
            }
        }
        settings.NEWSROOM_SITE_URL = "https://www.a-rather-long-newsroom-domain.example"
        settings.DEFAULT_FROM_EMAIL = "Newsroom <newsletter@a-rather-long-newsroom-domain.example>"
        yield inbox
    finally:
        controller.stop()


def header_lines(raw, name):
    """The header `name` as it is on the wire: its line and any folded lines after it."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    line = rb": [^\r\n]*(?:\r\n[ \t][^\r\n]*)*"
    match = re.search(rb"^" + name.encode() + line, head, re.MULTILINE | re.IGNORECASE)
    assert match, f"no {name} header in {head!r}"
    return match.group().decode("ascii")


def send_edition(*subscribers):
    edition = make_edition(articles=[make_article()])
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.SENDING, queued_at=timezone.now()
    )
    edition.refresh_from_db()
    return edition_send(edition=edition)


def test_list_unsubscribe_reaches_the_server_as_plain_uris(smtp_server):
    subscriber = make_subscriber()
    assert send_edition(subscriber).sent == 1
    [raw] = smtp_server.received
    header = header_lines(raw, "List-Unsubscribe")
    assert "=?" not in header  # no RFC 2047 encoded-words: mail providers read the URIs
    uris = re.findall(r"<([^>]*)>", header)
    https, mailto = uris
    assert https.startswith("https://www.a-rather-long-newsroom-domain.example/newsletter/unsub")
    assert mailto.startswith("mailto:newsletter@a-rather-long-newsroom-domain.example?")
    # The body of the mailto: is the one-click address, for whoever reads the mailbox.
    assert parse_qs(urlsplit(mailto).query)["body"] == [https]
    assert header_lines(raw, "List-Unsubscribe-Post") == (
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    )
    assert header_lines(raw, "List-Id") == (
        'List-Id: "Newsroom newsletter" <newsletter.www.a-rather-long-newsroom-domain.example>'
    )
    # Every line within RFC 5322's limit of 998 characters.
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_one_click_address_from_the_wire_unsubscribes_the_reader(smtp_server, client):
    subscriber = make_subscriber()
    send_edition(subscriber)
    [raw] = smtp_server.received
    https = re.search(r"<(https://[^>]*)>", header_lines(raw, "List-Unsubscribe")).group(1)
    # RFC 8058: the provider POSTs List-Unsubscribe=One-Click to the address, without cookies.
    response = client.post(urlsplit(https).path, {"List-Unsubscribe": "One-Click"}, secure=True)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_confirmation_link_survives_the_wire_whole(smtp_server):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    assert subscriber_send_confirmation(subscriber=subscriber)
    [raw] = smtp_server.received
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https://\S+/newsletter/confirm/\S+", text).group()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{link}"' in html
    assert "List-Unsubscribe" not in message  # a confirmation is not a mailing
    response = browser().post(unquote(urlsplit(link).path), secure=True)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
