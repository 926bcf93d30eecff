"""Gunicorn settings for `make serve` and production, read from the environment.

GUNICORN_WORKERS defaults to 2 × CPU cores + 1 (gunicorn's own advice): a worker waits on the
database or Redis part of the time, so a few more workers than cores keep the cores busy.
Timeouts (30 s) and the error log (standard error) are gunicorn's defaults.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# Behind a load balancer that keeps connections open between requests.
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
