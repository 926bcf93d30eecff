"""The site keeps serving while Redis is away, and caches again once it is back.

Runs a throwaway redis-server on its own port (never the shared one on 6379)."""

import logging
import shutil
import subprocess
import time

import pytest
from django.test import override_settings

from pagecache import store
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PORT = 6391
REDIS_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{PORT}/0",
        "KEY_PREFIX": "newsroom-test",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


REDIS_SERVER, REDIS_CLI = shutil.which("redis-server"), shutil.which("redis-cli")


def redis_cli(*args):
    return subprocess.run(  # noqa: S603 (our own arguments)
        [REDIS_CLI, "-p", str(PORT), *args], capture_output=True, text=True, timeout=10
    )


def start_redis():
    subprocess.run(  # noqa: S603 (our own arguments)
        [REDIS_SERVER, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes"],
        check=True, capture_output=True, timeout=10,
    )  # fmt: skip
    for _ in range(50):
        if redis_cli("ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    pytest.fail(f"redis-server did not start on port {PORT}")


def stop_redis():
    redis_cli("shutdown", "nosave")
    for _ in range(50):
        if redis_cli("ping").returncode != 0:
            return
        time.sleep(0.1)


@pytest.fixture
def redis(monkeypatch):
    if not (REDIS_SERVER and REDIS_CLI):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    if redis_cli("ping").stdout.strip() == "PONG":
        pytest.skip(f"Port {PORT} is taken by another Redis; this test needs its own")
    monkeypatch.setattr(store, "RETRY_SECONDS", 0)
    monkeypatch.setattr(store, "health", store.Health())
    start_redis()
    try:
        with override_settings(CACHES=REDIS_CACHE):
            yield
    finally:
        stop_redis()


def test_redis_going_away_and_coming_back(redis, client, caplog, django_assert_num_queries):
    article = make_article(headline="Steady story")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200  # from Redis

    stop_redis()
    with caplog.at_level(logging.WARNING, logger="pagecache"):
        response = client.get(url)
    assert response.status_code == 200 and "Steady story" in response.text
    assert "The cache is unavailable" in caplog.text
    article.headline = "Changed while Redis was away"
    article.save()
    assert "Changed while Redis was away" in client.get(url).text
    assert client.get("/").status_code == 200

    start_redis()
    assert "Changed while Redis was away" in client.get(url).text
    with django_assert_num_queries(0):
        assert "Changed while Redis was away" in client.get(url).text


def test_unanswering_redis_does_not_hold_pages_up_or_serve_stale_ones(redis, client):
    """Redis paused (its entries kept): pages come from the database, and once it answers again
    the entries from before are not served, as changes meanwhile went unrecorded."""
    article = make_article(headline="Before the pause")
    url = article.get_absolute_url()
    client.get(url)
    redis_cli("client", "pause", "1500", "all")
    article.headline = "During the pause"
    article.save()
    started = time.monotonic()
    assert "During the pause" in client.get(url).text
    assert time.monotonic() - started < 1.4
    time.sleep(1.6)
    assert "During the pause" in client.get(url).text
