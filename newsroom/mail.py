"""Development email: the console backend, printing each message as a person reads it.

The raw message encodes long lines as quoted-printable, whose soft line breaks cut links in
two: a confirmation link copied from it is "expired". This prints the headers decoded and
each text part as its text, so links can be copied whole.
"""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        msg = message.message()
        for name, value in msg.items():
            if not name.lower().startswith(("content-", "mime-")):
                self.stream.write(f"{name}: {value}\n")
        for part in msg.walk():
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            if part.get_content_maintype() == "text" and not part.is_attachment():
                self.stream.write(f"\n----- {kind} -----\n{part.get_content().rstrip()}\n")
            else:
                self.stream.write(f"\n----- {kind} attachment: {part.get_filename() or ''}\n")
        self.stream.write("-" * 79 + "\n")
