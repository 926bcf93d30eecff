"""The development mail backend prints emails so that a person can copy their links."""

import io
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import SimpleTestCase

from newsletter.models import Subscriber
from newsletter.signups import subscriber_send_confirmation
from newsroom.mail import ReadableConsoleBackend
from tests.factories import browser, make_subscriber

LONG_LINK = (
    "http://127.0.0.1:8000/newsletter/confirm/1:1xXN4G:7xStxxLKUcK7VjewiaFUYjOiG-EePmo58X9l/"
)


class ReadableConsoleBackendTests(SimpleTestCase):
    def print(self, message):
        stream = io.StringIO()
        self.assertEqual(ReadableConsoleBackend(stream=stream).send_messages([message]), 1)
        return stream.getvalue()

    def test_long_links_are_printed_whole_in_every_part(self):
        message = EmailMultiAlternatives(
            "Café news", f"Confirm — {LONG_LINK}\n", "Newsroom <a@example.com>",
            to=["b@example.com"],
        )  # fmt: skip
        message.attach_alternative(f'<a href="{LONG_LINK}">Confirm</a>', "text/html")
        output = self.print(message)
        self.assertIn("Subject: Café news\n", output)  # decoded, not =?utf-8?...
        self.assertIn("To: b@example.com\n", output)
        self.assertIn(f"Confirm — {LONG_LINK}", output)
        self.assertIn(f'<a href="{LONG_LINK}">Confirm</a>', output)
        self.assertNotIn("quoted-printable", output)
        self.assertNotRegex(output, r"=\n")  # no soft line break anywhere

    def test_attachments_are_named_not_dumped(self):
        message = EmailMultiAlternatives("Hi", "Body.", to=["b@example.com"])
        message.attach("report.pdf", b"%PDF-1.4 binary", "application/pdf")
        output = self.print(message)
        self.assertIn("application/pdf attachment: report.pdf", output)
        self.assertNotIn("PDF-1.4", output)


@pytest.mark.django_db
def test_confirmation_link_copied_from_the_console_confirms(settings, capsys):
    """What `make run` does: no EMAIL_HOST, so emails are printed; the reader copies the link."""
    settings.MAILERS = {"default": {"BACKEND": "newsroom.mail.ReadableConsoleBackend"}}
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    assert subscriber_send_confirmation(subscriber=subscriber)
    printed = capsys.readouterr().out
    links = set(re.findall(r"http://127\.0\.0\.1:8000/newsletter/confirm/[^\s\"<]+", printed))
    assert len(links) == 1, links  # the same whole link in the text and the HTML
    [link] = links
    response = browser().post(link.removeprefix("http://127.0.0.1:8000"), secure=True)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
