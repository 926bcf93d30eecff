import io

import pytest
from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

from articles.feed_xml import XMLWriter


def write(handler):
    handler.startDocument()
    handler.processingInstruction("xml-stylesheet", 'href="/feed.xsl" type="text/xsl"')
    handler.startElement("rss", {"version": "2.0", "xmlns:atom": "http://www.w3.org/2005/Atom"})
    handler.addQuickElement("title", "Fish & <chips> “quoted” Chloé")
    handler.addQuickElement("link", "", {"rel": "self", "href": "/a?b=1&c=\"2\"\n'x'"})
    handler.addQuickElement("category", None, {"term": "a\tb\rc"})
    handler.startElement("author", {})
    handler.addQuickElement("name", "Ana")
    handler.endElement("author")
    handler.startElement("empty", {})
    handler.characters("")
    handler.endElement("empty")
    handler.endElement("rss")


def test_writer_writes_what_djangos_generator_writes():
    django_out = io.StringIO()
    write(SimplerXMLGenerator(django_out, "utf-8", short_empty_elements=True))
    ours = XMLWriter("utf-8")
    write(ours)
    assert ours.document() == django_out.getvalue()


@pytest.mark.parametrize(
    "call",
    [
        lambda handler: handler.addQuickElement("title", "Bell \x07 rings"),
        lambda handler: handler.addQuickElement("link", "", {"href": "/a\x0bb"}),
    ],
)
def test_writer_refuses_control_characters_as_djangos_does(call):
    for handler in (SimplerXMLGenerator(io.StringIO(), "utf-8"), XMLWriter("utf-8")):
        with pytest.raises(UnserializableContentError):
            call(handler)
