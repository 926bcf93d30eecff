"""Run calls at the same moment from threads, as concurrent requests would (PostgreSQL tests)."""

import threading

import pytest
from django.db import connection, connections


def races_on_postgres(what):
    """The marks of a test that races `what` (e.g. "posting"): it needs PostgreSQL, as SQLite
    lets one writer in at a time, and real transactions, so that threads see each other."""
    return [
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason=f"SQLite serialises writers with a database-wide lock, so concurrent {what} "
            "is only meaningful on PostgreSQL; set DATABASE_URL to run it.",
        ),
    ]


def at_once(*calls, timeout=120):
    """Start a thread per call, release them together, and return their results in order.
    Raises AssertionError naming each call that raised, and what it raised."""
    start = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(n):
        try:
            start.wait(timeout=30)
            results[n] = calls[n]()
        except Exception as exc:  # reported below, in the test's thread
            errors.append((n, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors  # (not rewritten by pytest: this is no test module)
    return results
