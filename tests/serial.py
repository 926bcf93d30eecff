"""One request at a time for the live server on SQLite (tests/conftest.py puts this first in
MIDDLEWARE there). The live server answers each request in a thread of its own, and on SQLite
every thread shares the test's in-memory database connection, which takes one transaction at a
time: a page's preview or autosave still in flight when the form is saved interleaved their
savepoints ("no such savepoint"), and the save failed. PostgreSQL gives each thread its own
connection and needs none of this."""

import threading

_lock = threading.Lock()


class OneRequestAtATime:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with _lock:
            return self.get_response(request)
