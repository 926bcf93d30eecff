"""A real varnishd with deploy/varnish/default.vcl in front of the live server, on free ports,
started and stopped by the tests (never a system service; bench/varnish.py). Without varnishd
and vmod xkey the edge tests skip, saying what is missing; NEWSROOM_REQUIRE_EDGE=1 (set by
.ci/run) fails them."""

import os
import threading

import pytest

from bench.varnish import Varnish, missing


def require_varnish():
    if reason := missing():
        if os.environ.get("NEWSROOM_REQUIRE_EDGE") == "1":
            pytest.fail(f"Edge tests are required here but cannot run. {reason}")
        pytest.skip(reason)


@pytest.fixture
def varnish(live_server, settings):
    require_varnish()
    edge = Varnish(int(live_server.url.rsplit(":", 1)[1]), parameters=["default_grace=0"])
    settings.NEWSROOM_EDGE_PURGE = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [edge.url]
    settings.NEWSROOM_EDGE_SECONDS = 86400
    try:
        edge.start()
    except RuntimeError as error:
        pytest.fail(str(error))
    yield edge
    # A purge is sent again a moment later (pagecache.purging): let this test's second purges
    # land before the next test's Varnish starts, or they would retire its pages with the same ids.
    for thread in threading.enumerate():
        if thread.name == "edge-purge-again":
            thread.join(timeout=10)
    edge.stop()
