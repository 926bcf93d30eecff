"""
The XML of the feeds, as Django's feed generators write it, at a fraction of the cost:
XMLWriter takes the place of their SimplerXMLGenerator and writes the same document into a
list joined once, where Django's writes each tag and text through a text wrapper into the
response (which encodes and keeps each piece) and reaches its pattern through a lazy object
for each one. tests/articles/test_feeds.py compares every feed with its reference, byte for
byte.
"""

import re
from xml.sax.saxutils import escape, quoteattr

from django.utils.xmlutils import UnserializableContentError

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class XMLWriter:
    """The handler Django's feed generators write through, writing what its SimplerXMLGenerator
    writes (empty elements short, attributes sorted, control characters refused) into a list
    joined once at the end: Django's writes each piece through a text wrapper into the
    response, and looks its pattern up through a lazy object for every piece."""

    def __init__(self, encoding):
        self.encoding = encoding
        self.parts = []
        self.start_open = False  # a start tag written but for its ">", in case it stays empty

    def document(self):
        return "".join(self.parts)

    def startDocument(self):
        self.parts.append(f'<?xml version="1.0" encoding="{self.encoding}"?>\n')

    def processingInstruction(self, target, data):
        self._close_start()
        self.parts.append(f"<?{target} {data}?>")

    def startElement(self, name, attrs):
        self._close_start()
        parts = self.parts
        parts.append("<" + name)
        for key, value in sorted(attrs.items()):
            parts.append(f" {key}={quoteattr(refuse_control_characters(value))}")
        self.start_open = True

    def endElement(self, name):
        if self.start_open:
            self.parts.append("/>")
            self.start_open = False
        else:
            self.parts.append(f"</{name}>")

    def characters(self, content):
        if content:
            self._close_start()
            self.parts.append(escape(refuse_control_characters(content)))

    def addQuickElement(self, name, contents=None, attrs=None):
        self.startElement(name, attrs or {})
        if contents is not None:
            self.characters(contents)
        self.endElement(name)

    def _close_start(self):
        if self.start_open:
            self.parts.append(">")
            self.start_open = False


def refuse_control_characters(text):
    if _CONTROL_CHARACTERS.search(text):
        raise UnserializableContentError  # XML 1.0 has no way to write them
    return text
