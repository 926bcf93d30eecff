"""Issue 13, finding 1, against the real servers: the site as `make edge` runs it (gunicorn
with newsroom/gunicorn.conf.py's sync workers, Varnish with the shipped VCL in front) answers
/healthz and pages within a second while 50 connections sit half-way through their headers.
bench/slow_clients.py measures gunicorn alone as well (docs/deploy.md)."""

import shutil
import tempfile

import pytest

from bench import faults
from bench.slow_clients import hold, timed_get
from bench.varnish import Varnish

from .conftest import require_varnish

# Its own servers and database, whatever the pass: run once (CI's PostgreSQL pass).
pytestmark = pytest.mark.faults

SLOW = 50


@pytest.fixture(scope="module")
def edge_site():
    require_varnish()
    workdir = tempfile.mkdtemp(prefix="newsroom-slow-test-")
    # No Redis: Django keeps no pages (one process's copies could not be retired by another's
    # changes), Varnish keeps them.
    site = faults.Site(f"sqlite:///{workdir}/db.sqlite3", "", workdir)
    varnish = Varnish(site.port)
    site.env.update(NEWSROOM_EDGE_PURGE="varnish", NEWSROOM_VARNISH_URLS=varnish.url)
    try:
        site.prepare()
        site.start(shipped=True)
        varnish.start()
        slug = site.manage(
            "shell", "-c",
            "from articles.models import Article; print(Article.objects.published()[0].slug)",
        ).stdout.split()[-1]  # fmt: skip
        yield varnish, f"/articles/{slug}/", site
    finally:
        varnish.stop()
        site.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_fifty_half_sent_requests_leave_the_site_answering_within_a_second(edge_site):
    varnish, article_path, site = edge_site
    assert timed_get(varnish.url + article_path)[1] == 200  # read once, as readers had
    held = hold(varnish.port, SLOW)
    try:
        for path in ("/healthz", article_path, "/healthz", article_path):
            seconds, status = timed_get(varnish.url + path)
            assert status == 200 and seconds < 1, (path, seconds, status, site.log_tail())
    finally:
        for connection in held:
            connection.close()
