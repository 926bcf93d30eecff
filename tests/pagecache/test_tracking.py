"""Each process holds the keys' markers and Redis tells it of changes (pagecache/tracking.py): a
page served from the cache asks Redis nothing, and is never served after a change, whichever
process made it.

Runs a throwaway redis-server on a free port (never the shared one on 6379)."""

import logging
import os
import subprocess
import sys
import time

import pytest
import redis as redis_py
from django.conf import settings as django_settings
from django.test import override_settings

from articles import cache_keys
from articles.models import Section
from comments.cookie import COOKIE_NAME
from pagecache import keys, store, tracking
from tests.factories import make_article, make_section

from .redis_server import ThrowawayRedis
from .test_replay import get, wsgi_site

pytestmark = pytest.mark.django_db


# Another process, as a second gunicorn worker or a management command would be: it announces
# the changes it is told of on its standard input, one line of surrogate keys each.
ANOTHER_PROCESS = """
import sys
import django
django.setup()
from pagecache import pages_changed
print("ready", flush=True)
for line in sys.stdin:
    pages_changed(line.split())
    print("changed", flush=True)
"""


class Counter:
    """Commands Redis has processed, asked on a connection of its own (each asking counts)."""

    def __init__(self, server):
        self.client = redis_py.Redis.from_url(server.url, protocol=2)
        self()

    def __call__(self):
        return self.client.info("stats")["total_commands_processed"]


@pytest.fixture
def redis(monkeypatch):
    server = ThrowawayRedis()
    monkeypatch.setattr(store, "RETRY_SECONDS", 0)
    monkeypatch.setattr(store, "health", store.Health())
    monkeypatch.setattr(tracking, "RETRY_SECONDS", 0)
    server.start()
    try:
        with override_settings(CACHES=server.cache()):
            yield server
    finally:
        keys.tracked.reset()
        server.stop()


@pytest.fixture
def another_process(redis):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "x",
        "REDIS_URL": redis.url,
        "NEWSROOM_EDGE_PURGE": "none",
    }
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [sys.executable, "-c", ANOTHER_PROCESS], cwd=django_settings.BASE_DIR, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout.readline().strip() == "ready"

    def change(*page_keys):
        process.stdin.write(" ".join(page_keys) + "\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "changed"

    try:
        yield change
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def served_from(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"]


def test_a_page_served_from_the_cache_asks_redis_nothing(redis, client):
    url = make_article().get_absolute_url()
    assert served_from(client, url) == "miss"
    assert served_from(client, url) == "hit"  # reads its markers once, and holds them
    commands_processed = Counter(redis)
    before = commands_processed()
    assert [served_from(client, url) for _ in range(50)] == ["hit"] * 50
    # The INFO asking, and at most a PING a second to know the connection is alive.
    assert commands_processed() - before <= 1 + 2
    assert keys.tracked.held() > 0


def test_a_change_made_in_another_process_retires_the_page_at_once(another_process, client):
    article = make_article()
    url = article.get_absolute_url()
    served_from(client, url)
    for _ in range(20):
        assert served_from(client, url) == "hit"
        another_process(f"article-{article.pk}")
        # The very next request, with no pause: the word of the change is already waiting.
        assert served_from(client, url) == "miss"


def test_a_change_to_something_else_leaves_the_page_served_from_memory(another_process, client):
    url = make_article().get_absolute_url()
    served_from(client, url)
    served_from(client, url)
    another_process("article-999999", "list-section-999999")
    assert served_from(client, url) == "hit"


def test_a_page_made_afresh_asks_redis_nothing_while_its_fragments_are_unchanged(
    redis, client, monkeypatch
):
    """The clock, the markers and the fragments a render reads (the section navigation, the
    policy links, the related articles, the schedule) are held like a stored page's markers."""
    # The PING that checks the tracking connection once a second is left out of the count: on a
    # busy machine ten renders may take several seconds.
    monkeypatch.setattr(tracking, "CHECK_SECONDS", 3600)
    url = make_article(section=make_section(name="World")).get_absolute_url()
    client.cookies[COOKIE_NAME] = "reader"  # a reader with comments of their own: made afresh
    assert client.get(url)["Cache-Control"].startswith("private")
    # The fragments the first render made are read back once: Redis's word of this process's own
    # write dropped what it held of them.
    client.get(url)
    commands_processed = Counter(redis)
    before = commands_processed()
    for _ in range(10):
        assert client.get(url).status_code == 200
    assert commands_processed() - before == 1  # the INFO asking


def test_a_fragment_held_by_this_process_is_read_again_once_another_process_changes_it(
    another_process, client
):
    section = make_section(name="World")
    url = make_article(section=section).get_absolute_url()
    client.cookies[COOKIE_NAME] = "reader"
    assert ">World</a>" in client.get(url).content.decode()
    Section.objects.filter(pk=section.pk).update(name="Planet")  # no signal: nothing told
    assert ">World</a>" in client.get(url).content.decode()  # the navigation as remembered
    another_process(cache_keys.NAV)
    page = client.get(url).content.decode()
    assert ">Planet</a>" in page
    assert ">World</a>" not in page


def test_redis_tells_the_process_of_a_change_to_a_marker_it_holds(redis):
    name = keys.marker("article-1")
    other = redis_py.Redis.from_url(redis.url, protocol=2)

    def another_client(*command):
        """A write by another client, followed (as keys.py's writers do) by one more request,
        answered only once Redis has sent the word of the write to every tracking connection:
        without it the word may still be on its way when this process looks."""
        other.execute_command(*command)
        other.ping()

    another_client("SET", f"newsroom:1:{name}", 5)
    assert keys.tracked.get_many([name]) == {name: 5}
    token = keys.tracked.token()
    assert keys.tracked.token() == token  # nothing changed
    another_client("SET", f"newsroom:1:{name}", 7)
    assert keys.tracked.token() != token
    assert keys.tracked.get_many([name]) == {name: 7}
    another_client("DEL", f"newsroom:1:{name}")
    assert keys.tracked.get_many([name]) == {}
    keys.tracked.get_many([name])
    assert keys.tracked.held() == 1
    another_client("FLUSHDB")
    keys.tracked.token()  # reads what is waiting
    assert keys.tracked.held() == 0


def test_a_key_changed_while_it_was_being_read_is_not_held(redis):
    """The value read may be older than the change whose word came in during the read."""
    name = keys.marker("article-2")
    other = redis_py.Redis.from_url(redis.url, protocol=2)
    other.set(f"newsroom:1:{name}", 1)
    tracker = keys.tracked._tracker()

    def read_then_changed(missing):
        found = store.call("get_many", missing)
        other.set(f"newsroom:1:{name}", 2)
        other.ping()  # answered once the word of the change has been sent
        return found

    assert tracker.get_many([name], read_then_changed) == {name: 1}
    assert keys.tracked.get_many([name]) == {name: 2}


def test_redis_restarting_drops_what_the_processes_hold(redis, client, caplog):
    article = make_article(headline="Before the restart")
    url = article.get_absolute_url()
    served_from(client, url)
    assert served_from(client, url) == "hit"
    redis.stop()
    redis.start()  # empty: whatever changed meanwhile went unrecorded
    with caplog.at_level(logging.WARNING, logger="pagecache"):
        assert served_from(client, url) == "miss"
    assert "tracking connection lost its connection" in caplog.text
    assert served_from(client, url) == "hit"  # tracked again, on a new connection
    assert keys.tracked.held() > 0


def test_a_dropped_tracking_connection_never_leaves_a_stale_page(redis, client):
    article = make_article()
    url = article.get_absolute_url()
    served_from(client, url)
    assert served_from(client, url) == "hit"
    redis.cli("client", "kill", "type", "pubsub")  # the tracking connection, and its word
    other = redis_py.Redis.from_url(redis.url, protocol=2)
    other.incr(f"newsroom:1:{keys.CLOCK_KEY}", 1000)
    clock = int(other.get(f"newsroom:1:{keys.CLOCK_KEY}"))
    other.set(f"newsroom:1:{keys.marker(f'article-{article.pk}')}", clock)
    assert served_from(client, url) == "miss"


def test_a_connection_that_stops_answering_is_not_trusted_past_the_check(redis, client,
                                                                         monkeypatch):  # fmt: skip
    """A connection cut without a word (a network partition) looks quiet: past CHECK_SECONDS
    its silence is not taken for no change."""
    monkeypatch.setattr(tracking, "CHECK_SECONDS", 0.2)
    keys.tracked.reset()
    url = make_article().get_absolute_url()
    served_from(client, url)
    assert served_from(client, url) == "hit"
    redis.cli("client", "pause", "4000", "all")  # answers nothing, closes nothing
    paused = time.monotonic()
    time.sleep(0.3)
    assert served_from(client, url) != "hit"
    time.sleep(max(0.0, 4.2 - (time.monotonic() - paused)))
    served_from(client, url)
    assert served_from(client, url) == "hit"


def test_the_markers_a_process_holds_are_bounded(redis, client, settings):
    settings.NEWSROOM_PAGE_CACHE_TRACKED_KEYS = 6
    urls = [make_article(tags=[f"Tag {n}"]).get_absolute_url() for n in range(4)]
    for url in urls * 2:
        served_from(client, url)
    assert keys.tracked.held() == 6
    tracker = keys.tracked._tracker()
    names = [keys.marker(f"bounded-{n}") for n in range(6)]
    tracker.get_many(names[:3], lambda missing: {})
    tracker.get_many(names[:1], lambda missing: {})  # used again: the last to go
    tracker.get_many(names[3:], lambda missing: {})
    assert list(tracker.values) == [names[1], names[2], names[0], names[3], names[4], names[5]]


def test_without_tracking_each_page_served_asks_redis_and_is_never_stale(
    redis, another_process, client, settings
):
    settings.NEWSROOM_PAGE_CACHE_TRACKED_KEYS = 0
    article = make_article()
    url = article.get_absolute_url()
    served_from(client, url)
    commands_processed = Counter(redis)
    before = commands_processed()
    assert served_from(client, url) == "hit"
    assert commands_processed() - before >= 2  # the markers, and INFO
    another_process(f"article-{article.pk}")
    assert served_from(client, url) == "miss"


@pytest.mark.usefixtures("requests_keep_the_transaction")
def test_a_page_sent_again_before_django_is_retired_by_another_process(redis, another_process):
    """The same through pagecache/replay.py, which answers before Django's request handling."""
    site = wsgi_site()
    article = make_article()
    url = article.get_absolute_url()
    get(site, url)
    sent_again = get(site, url)
    commands_processed = Counter(redis)
    before = commands_processed()
    for _ in range(10):
        assert get(site, url) == sent_again
    assert commands_processed() - before <= 1 + 2  # INFO, at most a PING a second
    for _ in range(10):
        another_process(f"article-{article.pk}")
        assert dict(get(site, url)[1])["X-Page-Cache"] == "miss"
        get(site, url)  # served by the middleware, and recorded
        assert get(site, url)[1] == sent_again[1]
