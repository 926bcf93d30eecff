"""Purge adapters, each against a local HTTP server that records the calls; a failed purge is
retried and logged."""

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

import pagecache
from pagecache import purging
from tests.factories import make_article

# Real commits: edge purges are sent once the change has committed.
pytestmark = pytest.mark.django_db(transaction=True)


class Recorder(BaseHTTPRequestHandler):
    calls = []
    failures = 0

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        type(self).calls.append((self.command, self.path, headers, body))
        if type(self).failures:
            type(self).failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        answer = json.dumps({"success": True, "status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_POST = do_PURGE = do_BAN = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    Recorder.calls, Recorder.failures = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_varnish_gets_one_xkey_purge_naming_the_keys(settings, recorder):
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish", [recorder]
    pagecache.pages_changed({"article-7", "list-latest"})
    ((method, path, headers, _),) = Recorder.calls
    assert (method, path) == ("PURGE", "/")
    assert set(headers["xkey-purge"].split()) == {"article-7", "list-latest"}


def test_varnish_without_xkey_gets_a_ban(settings, recorder):
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish-ban", [recorder]
    pagecache.pages_changed({"article-7"})
    assert [(c[0], c[2]["xkey-ban"]) for c in Recorder.calls] == [("BAN", "article-7")]


def test_fastly_gets_a_surrogate_key_purge_with_its_token(settings, recorder):
    settings.NEWSROOM_EDGE_PURGE = "fastly"
    settings.NEWSROOM_FASTLY_API_URL = recorder
    settings.NEWSROOM_FASTLY_SERVICE_ID, settings.NEWSROOM_FASTLY_API_TOKEN = "svc1", "tok"
    pagecache.pages_changed({f"article-{n}" for n in range(300)})
    assert [c[1] for c in Recorder.calls] == ["/service/svc1/purge"] * 2  # 256 keys a call
    assert all(c[0] == "POST" and c[2]["fastly-key"] == "tok" for c in Recorder.calls)
    sent = {key for c in Recorder.calls for key in c[2]["surrogate-key"].split()}
    assert sent == {f"article-{n}" for n in range(300)}


def test_cloudflare_gets_a_purge_by_cache_tag(settings, recorder):
    settings.NEWSROOM_EDGE_PURGE = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = recorder
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID, settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "z9", "tok"
    pagecache.pages_changed({"article-7", "nav"})
    ((method, path, headers, body),) = Recorder.calls
    assert (method, path, headers["authorization"]) == (
        "POST",
        "/zones/z9/purge_cache",
        "Bearer tok",
    )
    assert sorted(json.loads(body)["tags"]) == ["article-7", "nav"]


def test_purge_is_sent_once_the_change_commits(settings, recorder):
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish", [recorder]
    with transaction.atomic():
        article = make_article()
        assert Recorder.calls == []
    assert f"article-{article.pk}" in Recorder.calls[0][2]["xkey-purge"]


def test_failed_purge_is_retried_and_logged(settings, recorder, caplog, monkeypatch):
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish", [recorder]
    monkeypatch.setattr(purging, "FIRST_RETRY_SECONDS", 0.05)
    Recorder.failures = 2
    with caplog.at_level(logging.INFO, logger="pagecache"):
        pagecache.pages_changed({"article-7"})
        purging.retries.wait()
    assert len(Recorder.calls) == 3
    assert caplog.text.count("Edge purge failed") == 2
    assert "went through on attempt 3" in caplog.text


def test_purge_that_keeps_failing_is_logged_as_an_error_with_its_keys(
    settings, caplog, monkeypatch
):
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish", ["http://127.0.0.1:9"]
    monkeypatch.setattr(purging, "FIRST_RETRY_SECONDS", 0.01)
    with caplog.at_level(logging.WARNING, logger="pagecache"):
        pagecache.pages_changed({"article-7"})
        purging.retries.wait()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "article-7" in errors[0].getMessage()


def test_each_purge_is_sent_again_a_moment_later(settings, recorder):
    """For a page that was on its way to the edge when the first purge landed."""
    settings.NEWSROOM_EDGE_PURGE, settings.NEWSROOM_VARNISH_URLS = "varnish", [recorder]
    settings.NEWSROOM_EDGE_REPURGE_SECONDS = 0.3
    started = time.monotonic()
    pagecache.pages_changed({"article-7"})
    assert len(Recorder.calls) == 1
    deadline = time.monotonic() + 10
    while len(Recorder.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert time.monotonic() - started >= 0.3
    assert [call[2]["xkey-purge"] for call in Recorder.calls] == ["article-7", "article-7"]
    time.sleep(0.5)
    assert len(Recorder.calls) == 2  # and only once again
