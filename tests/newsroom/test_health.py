"""/healthz for a load balancer: 200 while the database answers, 503 when it does not; a cache
that does not answer is reported as degraded but keeps the server in rotation."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_server_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_database_down_takes_the_server_out_of_rotation(client):
    failure = OperationalError("could not connect to server at 10.0.0.5 as user newsroom")
    with mock.patch("newsroom.health.connection.cursor", side_effect=failure):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "10.0.0.5" not in response.text
    assert "newsroom" not in response.text


def test_cache_down_is_degraded_but_still_serving(client):
    with mock.patch("newsroom.health.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_health_check_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
