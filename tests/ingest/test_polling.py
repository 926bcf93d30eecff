"""ingest_feed against a feed served from a local HTTP server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from ingest.models import Feed
from ingest.polling import poll_feed

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title>
<item><title>First &amp; foremost</title><link>https://wire.example/1</link>
<guid>wire-1</guid><description>Short summary.</description>
<content:encoded><![CDATA[<p>Full <b>text</b> one.</p>]]></content:encoded>
<dc:creator>Ana Silva</dc:creator><category>Energy</category></item>
<item><title>Second</title><link>https://wire.example/2</link><guid>wire-2</guid>
<description><![CDATA[<p>Text two.</p>]]></description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><id>tag:wire.example,2024:3</id><title>Atom entry</title>
<link href="https://wire.example/3"/><updated>2024-03-05T08:30:00Z</updated>
<content type="html">&lt;p&gt;Atom body.&lt;/p&gt;</content><author><name>Rui Costa</name></author>
</entry></feed>"""


class FeedServer:
    """Serves `body` with an ETag and Last-Modified, answering 304 to a matching request."""

    def __init__(self):
        self.body, self.etag, self.requests = RSS, '"v1"', []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 -- http.server's name
                server.requests.append(dict(self.headers))
                if self.path == "/missing":
                    self.send_error(404)
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                data = server.body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", "Tue, 05 Mar 2024 08:30:00 GMT")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    with FeedServer() as server:
        yield server


def test_new_items_are_filed_in_review(feed_server):
    summary = poll_feed(feed_server.url)
    assert summary.counts["created"] == 2
    first = Article.objects.get(headline="First & foremost")
    assert first.status == Article.Status.IN_REVIEW
    assert first.standfirst == "Short summary."
    assert "Full **text** one." in first.body
    assert [a.name for a in first.ordered_authors] == ["Ana Silva"]
    assert list(first.tags.names()) == ["Energy"]


def test_second_poll_sends_the_etag_and_last_modified_and_gets_a_304(feed_server):
    poll_feed(feed_server.url)
    summary = poll_feed(feed_server.url)
    sent = feed_server.requests[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 05 Mar 2024 08:30:00 GMT"
    assert summary.extra["feed not modified since the last poll"] == 1
    assert Feed.objects.get().etag == '"v1"'


def test_items_seen_before_are_not_filed_again_when_the_feed_changes(feed_server):
    poll_feed(feed_server.url)
    article = Article.objects.get(headline="Second")
    article.headline = "Edited by the desk"
    article.save()
    feed_server.etag = '"v2"'
    summary = poll_feed(feed_server.url)
    assert summary.reasons["items filed by an earlier poll"] == 2
    assert Article.objects.count() == 2
    assert Article.objects.filter(headline="Edited by the desk").exists()


def test_atom_entries_are_read(feed_server):
    feed_server.body = ATOM
    poll_feed(feed_server.url)
    entry = Article.objects.get()
    assert (entry.headline, entry.body.split("\n")[0]) == ("Atom entry", "Atom body.")
    assert entry.import_record.key == "feed:tag:wire.example,2024:3"


def test_command_reports_a_feed_that_fails(feed_server, capsys):
    with pytest.raises(CommandError, match="1 feed"):
        call_command("ingest_feed", feed_server.url.replace("feed.xml", "missing"))
    assert "answered 404" in capsys.readouterr().err


def test_command_refuses_other_schemes(capsys):
    with pytest.raises(CommandError):
        call_command("ingest_feed", "file:///etc/passwd")
    assert "only http and https" in capsys.readouterr().err
