"""
/healthz: whether this app server can serve readers, for a load balancer.

200 while the database answers, 503 when it does not; a cache that does not answer makes the
status "degraded" but stays 200, since pages are still served without it. The answer names no
host, user or error text.
"""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_answers():
    key, token = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=10)
        answered = cache.get(key) == token
        cache.delete(key)
        return answered
    except Exception:  # any cache backend's connection error
        return False


@never_cache
@require_safe
def healthz(request):
    database, cache_ok = database_answers(), cache_answers()
    body = {
        "status": ("ok" if cache_ok else "degraded") if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)
