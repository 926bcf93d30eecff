"""A real varnishd with deploy/varnish/default.vcl in front of the live server, on free ports,
started and stopped by the tests (never a system service). Without varnishd and vmod xkey the
edge tests skip, saying what is missing; NEWSROOM_REQUIRE_EDGE=1 (set by .ci/run) fails them."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

VCL = Path(settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing():
    if not shutil.which("varnishd"):
        return "varnishd is missing (apt-get install varnish varnish-modules)."
    if not list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")):
        return "vmod xkey is missing (apt-get install varnish-modules)."
    return None


class Varnish:
    def __init__(self, backend_port):
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        os.chmod(self.workdir, 0o755)  # noqa: S103 (varnishd's own user reads it)
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
        self.vcl = self.workdir / "default.vcl"
        self.vcl.write_text(vcl)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        command = ["varnishd", "-F", "-n", str(self.workdir / "n"), "-a", f"127.0.0.1:{self.port}",
                   "-f", str(self.vcl), "-s", "main=malloc,64m", "-s", "search=malloc,8m",
                   "-p", "default_grace=0"]  # fmt: skip
        self.log = open(self.workdir / "varnishd.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        pytest.fail("varnishd did not start:\n" + (self.workdir / "varnishd.log").read_text())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def varnish(live_server, settings):
    if reason := missing():
        if os.environ.get("NEWSROOM_REQUIRE_EDGE") == "1":
            pytest.fail(f"Edge tests are required here but cannot run. {reason}")
        pytest.skip(reason)
    edge = Varnish(int(live_server.url.rsplit(":", 1)[1]))
    settings.NEWSROOM_EDGE_PURGE = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [f"http://127.0.0.1:{edge.port}"]
    settings.NEWSROOM_EDGE_SECONDS = 86400
    edge.start()
    yield edge
    edge.stop()
