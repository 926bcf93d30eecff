"""A throwaway redis-server on a free port (never the shared one on 6379), for tests that stop,
pause or restart Redis under the page cache."""

import shutil
import subprocess
import time

import pytest

from bench.varnish import free_port

REDIS_SERVER, REDIS_CLI = shutil.which("redis-server"), shutil.which("redis-cli")


class ThrowawayRedis:
    def __init__(self):
        if not (REDIS_SERVER and REDIS_CLI):
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def cache(self):
        """CACHES for Django with this server as the default cache, timing out quickly."""
        return {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": self.url,
                "KEY_PREFIX": "newsroom",
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            }
        }

    def cli(self, *args):
        return subprocess.run(  # noqa: S603 (our own arguments)
            [REDIS_CLI, "-p", str(self.port), *args], capture_output=True, text=True, timeout=10
        )

    def start(self):
        subprocess.run(  # noqa: S603 (our own arguments)
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes"],
            check=True, capture_output=True, timeout=10,
        )  # fmt: skip
        for _ in range(50):
            if self.cli("ping").stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self):
        self.cli("shutdown", "nosave")
        for _ in range(50):
            if self.cli("ping").returncode != 0:
                return
            time.sleep(0.1)
