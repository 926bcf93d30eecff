"""WSGI entry point; a bad environment stops the server with one line naming the variable."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

try:
    from django.core.wsgi import get_wsgi_application

    from pagecache.replay import PageCacheApplication

    # Stored pages are sent again as Django last sent them, before Django (pagecache/replay.py).
    application = PageCacheApplication(get_wsgi_application())
except ImproperlyConfigured as exc:
    sys.exit(f"Configuration error: {exc}")
