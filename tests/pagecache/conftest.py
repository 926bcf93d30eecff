import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def requests_keep_the_transaction():
    """As Django's test client does, requests made straight to the WSGI handler leave the
    database connection alone: closing it, inside the test's transaction, would lose the
    test's rows on PostgreSQL."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
