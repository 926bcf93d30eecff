"""Newsletter test helpers: a mail backend that can be told to fail, and outbox counting."""

from collections import Counter
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """The in-memory backend, counting connections, that fails on the Nth message if told to."""

    fail_on = None
    error = SMTPServerDisconnected
    attempts = 0
    connections_opened = 0

    def open(self):
        type(self).connections_opened += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            type(self).attempts += 1
            if type(self).attempts == self.fail_on:
                raise self.error("Connection unexpectedly closed")
            super().send_messages([message])
        return len(messages)


@pytest.fixture
def flaky(settings, mailoutbox):
    FlakyBackend.fail_on = None
    FlakyBackend.error = SMTPServerDisconnected
    FlakyBackend.attempts = FlakyBackend.connections_opened = 0
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    return FlakyBackend


def recipients(outbox):
    return Counter(address for message in outbox for address in message.to)
