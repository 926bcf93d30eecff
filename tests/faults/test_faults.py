"""
Faults under load (bench/faults.py does the work): a PostgreSQL restart answers 503 while the
database is away, never 500, the site recovers by itself, and no comment whose post succeeded is
lost; Redis stopped and started costs readers nothing; and with Varnish in front, readers of
cached pages get them while PostgreSQL is down, past their s-maxage (grace), and posts a clear
503.

The drills start their own PostgreSQL and redis-server on free ports (never the shared ones) and
skip, saying what is missing, when the binaries are not installed; NEWSROOM_REQUIRE_FAULT_TESTS=1
(set by .ci/run) turns that skip into a failure.
"""

import os

import pytest

from bench import faults

pytestmark = pytest.mark.faults

RECOVERY_SECONDS = 5
# Pages may be kept by Varnish this long, so that the outage (longer) is served from grace.
EDGE_SECONDS = 2


def require_tools(*, edge=False):
    if reason := faults.missing_tools(edge=edge):
        if os.environ.get("NEWSROOM_REQUIRE_FAULT_TESTS") == "1":
            pytest.fail(f"Fault tests are required here but cannot run. {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def servers():
    require_tools()
    with faults.Servers() as servers:
        yield servers


@pytest.fixture(scope="module")
def edge_servers():
    require_tools(edge=True)
    with faults.Servers(edge=True, edge_seconds=EDGE_SECONDS) as servers:
        yield servers


def explain(report, servers):
    return "\n".join(report.lines()) + "\n--- gunicorn log ---\n" + servers.site.log_tail()


def test_postgres_restart_answers_503_recovers_and_loses_no_comment(servers):
    report = servers.postgres_drill(down=3)
    why = explain(report, servers)
    assert report.during[503] > 0, why
    assert report.server_errors == {}, why
    assert report.health_during[503] > 0, why
    assert report.recovered_after is not None, why
    assert report.recovered_after < RECOVERY_SECONDS, why
    assert report.comments_posted > 0 and report.after[302] > 0, why
    assert report.comments_lost == [], why


def test_redis_stopped_and_started_costs_readers_nothing(servers):
    report = servers.redis_drill(down=3)
    why = explain(report, servers)
    assert report.server_errors == {}, why
    assert set(report.during) <= {200, 302}, why
    assert report.during[302] > 0, why  # comments still go through without the cache
    assert set(report.health_during) == {200}, why  # degraded, still in rotation
    assert report.comments_lost == [], why


def test_database_down_behind_varnish_readers_get_pages_posts_a_clear_503_nothing_lost(
    edge_servers,
):
    report = edge_servers.postgres_drill(down=3 * EDGE_SECONDS)
    why = explain(report, edge_servers)
    assert report.server_errors == {}, why
    assert report.reads_during[200] > 0 and set(report.reads_during) == {200}, why
    # A post may still commit as the server stops; every other one is refused, and says so.
    assert report.posts_during[503] > 0 and set(report.posts_during) <= {302, 503}, why
    assert report.refusals and all("send it again" in page for page in report.refusals), why
    assert report.after[302] > 0, why  # posts go through again once it is back
    assert report.comments_lost == [], why
