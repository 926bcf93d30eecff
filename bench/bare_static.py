"""A bare WSGI app: WhiteNoise serving the files of BENCH_STATIC_ROOT under /static/, and
nothing else. bench/edge_goals.py runs it under gunicorn as the ceiling that Django's page
cache is compared with."""

import os

from whitenoise import WhiteNoise


def not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"Not found"]


application = WhiteNoise(not_found, root=os.environ["BENCH_STATIC_ROOT"], prefix="static/")
