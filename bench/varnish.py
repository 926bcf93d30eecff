"""A throwaway varnishd running deploy/varnish/default.vcl in front of a server on this machine.

It listens on a free loopback port, keeps its working folder in a temporary directory and is
stopped by its owner (never the system's varnish service). tests/edge/, the fault drills
(bench/faults.py) and bench/edge_goals.py start it; `missing()` says what is not installed.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing():
    """What running Varnish needs and this machine lacks, in one sentence; None when all is
    there."""
    if not shutil.which("varnishd"):
        return "varnishd is missing (apt-get install varnish varnish-modules)."
    if not list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")):
        return "vmod xkey is missing (apt-get install varnish-modules)."
    return None


class Varnish:
    """varnishd with the shipped VCL, its backend on `backend_port`; start() waits until it
    answers."""

    def __init__(self, backend_port, *, memory="64m", search_memory="8m", parameters=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        os.chmod(self.workdir, 0o755)  # noqa: S103 (varnishd's own user reads the VCL)
        self.vcl = self.workdir / "default.vcl"
        self.vcl.write_text(
            VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
        )
        self.command = [
            "varnishd", "-F", "-n", str(self.workdir / "n"), "-a", f"127.0.0.1:{self.port}",
            "-f", str(self.vcl), "-s", f"main=malloc,{memory}",
            "-s", f"search=malloc,{search_memory}",
        ]  # fmt: skip
        for parameter in parameters:
            self.command += ["-p", parameter]
        self.process = None
        self.log = None

    def start(self, timeout=30):
        self.log = open(self.workdir / "varnishd.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        log = self.log_text()
        self.stop()
        raise RuntimeError("varnishd did not start:\n" + log)

    def stats(self):
        """varnishstat's counters, {name: value} (e.g. MAIN.cache_hit, MAIN.cache_miss)."""
        output = subprocess.run(
            ["varnishstat", "-n", str(self.workdir / "n"), "-1", "-j"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
        counters = json.loads(output)
        counters = counters.get("counters", counters)
        return {
            name: counter["value"]
            for name, counter in counters.items()
            if isinstance(counter, dict) and "value" in counter
        }

    def log_text(self):
        return (self.workdir / "varnishd.log").read_text(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
        if self.log:
            self.log.close()
            self.log = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
