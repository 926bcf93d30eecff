"""The site keeps serving while Redis is away, and caches again once it is back.

Runs a throwaway redis-server on a free port (never the shared one on 6379)."""

import logging
import time

import pytest
from django.test import override_settings

from pagecache import store
from tests.factories import make_article

from .redis_server import ThrowawayRedis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(monkeypatch):
    server = ThrowawayRedis()
    monkeypatch.setattr(store, "RETRY_SECONDS", 0)
    monkeypatch.setattr(store, "health", store.Health())
    server.start()
    try:
        with override_settings(CACHES=server.cache()):
            yield server
    finally:
        server.stop()


def test_redis_going_away_and_coming_back(redis, client, caplog, django_assert_num_queries):
    article = make_article(headline="Steady story")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200  # from Redis

    redis.stop()
    with caplog.at_level(logging.WARNING, logger="pagecache"):
        response = client.get(url)
    assert response.status_code == 200 and "Steady story" in response.text
    assert "The cache is unavailable" in caplog.text
    article.headline = "Changed while Redis was away"
    article.save()
    assert "Changed while Redis was away" in client.get(url).text
    assert client.get("/").status_code == 200

    redis.start()
    assert "Changed while Redis was away" in client.get(url).text
    with django_assert_num_queries(0):
        assert "Changed while Redis was away" in client.get(url).text


def test_unanswering_redis_does_not_hold_pages_up_or_serve_stale_ones(redis, client):
    """Redis paused (its entries kept): pages come from the database, and once it answers again
    the entries from before are not served, as changes meanwhile went unrecorded."""
    article = make_article(headline="Before the pause")
    url = article.get_absolute_url()
    client.get(url)
    redis.cli("client", "pause", "1500", "all")
    article.headline = "During the pause"
    article.save()
    started = time.monotonic()
    assert "During the pause" in client.get(url).text
    assert time.monotonic() - started < 1.4
    time.sleep(1.6)
    assert "During the pause" in client.get(url).text
