"""Development email: the console backend, plus each message's plain text decoded.

Mail encodes long lines (quoted-printable), which breaks links across lines in the raw message;
the decoded text after it lets a developer copy a confirmation link straight from the console.
"""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        super().write_message(message)
        self.stream.write(f"Plain text of the message to {', '.join(message.to)}, decoded:\n\n")
        self.stream.write(f"{message.body.rstrip()}\n")
        self.stream.write("-" * 79 + "\n")
