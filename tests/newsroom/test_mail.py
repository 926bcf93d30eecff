import io

from django.core.mail import EmailMultiAlternatives
from django.test import SimpleTestCase

from newsroom.mail import ReadableConsoleBackend

LONG_LINK = (
    "http://127.0.0.1:8000/newsletter/confirm/1:1xXN4G:7xStxxLKUcK7VjewiaFUYjOiG-EePmo58X9l/"
)


class ReadableConsoleBackendTests(SimpleTestCase):
    def test_long_links_can_be_copied_from_the_console_in_one_piece(self):
        stream = io.StringIO()
        message = EmailMultiAlternatives("Hi", f"Confirm — {LONG_LINK}\n", to=["a@example.com"])
        message.attach_alternative(f'<a href="{LONG_LINK}">Confirm</a>', "text/html")
        sent = ReadableConsoleBackend(stream=stream).send_messages([message])
        output = stream.getvalue()
        self.assertEqual(sent, 1)
        self.assertIn("Content-Transfer-Encoding: quoted-printable", output)  # the raw message
        self.assertIn(f"Confirm — {LONG_LINK}", output)  # and the decoded text
