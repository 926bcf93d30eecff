"""
Real headless Chromium driven by Playwright against pytest-django's live server.

The tests skip, saying what is missing, when Chromium, Playwright, axe-core or Lighthouse (with
Node.js) is not installed; NEWSROOM_REQUIRE_BROWSER=1 (set by .ci/run) turns that skip into a
failure.
"""

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"


class Requests:
    """The live server's requests in flight, and when the last request started or finished. A
    page being closed may still send one (the writing desk saves a draft as its tab is hidden):
    a test waits for the server to be done with them and fall quiet before the database is
    emptied, which would otherwise deadlock with it on PostgreSQL and, on SQLite, share the
    test's connection with it. Only the live server's threads are counted: a test client's
    response that nobody closes never finishes."""

    def __init__(self):
        self.last = time.monotonic()
        self.serving = set()  # the live server's threads with a request in flight
        self.lock = threading.Lock()

    def started(self, **kwargs):
        with self.lock:
            self.last = time.monotonic()
            if threading.current_thread() is not threading.main_thread():
                self.serving.add(threading.get_ident())

    def finished(self, **kwargs):
        with self.lock:
            self.last = time.monotonic()
            self.serving.discard(threading.get_ident())

    def wait_until_quiet(self, quiet=0.5, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (
            self.serving or time.monotonic() - self.last < quiet
        ):
            time.sleep(0.05)


requests = Requests()
request_started.connect(requests.started, weak=False)
request_finished.connect(requests.finished, weak=False)


def close_quietly(*contexts):
    """Close browser contexts, then wait for the requests their pages sent on the way out."""
    for context in contexts:
        context.close()
    requests.wait_until_quiet()


def missing_tool():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: pip install -r requirements-dev.txt"
    if not CHROMIUM.exists():
        return f"Chromium is missing at {CHROMIUM}: apt-get install chromium"
    if not AXE_JS.exists():
        return "axe-core is missing: npm ci (from the repository root)"
    return None


@pytest.fixture(scope="session")
def browser():
    if reason := missing_tool():
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser tests are required here but cannot run. {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the tests still talk to
    # the database synchronously, which Django would otherwise refuse.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser):
    """open_page(url, width=1280, color_scheme="light") -> a loaded Playwright page."""
    contexts = []

    def open_(url, *, width=1280, color_scheme="light"):
        # bypass_csp lets axe be injected once a Content-Security-Policy forbids inline scripts.
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=color_scheme, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        response = page.goto(url)
        assert response.status == 200, url
        return page

    yield open_
    close_quietly(*contexts)


@pytest.fixture(scope="session")
def screenshot_dir():
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def axe_violations():
    """axe_violations(page, name) -> the serious and critical violations axe-core finds on
    `page`; with every_impact=True, every violation, the minor and moderate ones too."""

    def run(page, name, every_impact=False):
        page.add_script_tag(content=AXE_JS.read_text())
        results = page.evaluate("() => axe.run(document)")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(results["violations"], indent=2))
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results["violations"]
            if every_impact or v["impact"] in {"serious", "critical"}
        ]

    return run


LIGHTHOUSE = settings.BASE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_ATTEMPTS = 3


@pytest.fixture(scope="session")
def lighthouse():
    """lighthouse(url, name) -> the report of Lighthouse's mobile run (its defaults: a mid-range
    phone on a slow 4G connection, simulated) over `url`, kept in test-artifacts/."""
    node = shutil.which("node")
    reason = None
    if not CHROMIUM.exists():
        reason = f"Chromium is missing at {CHROMIUM}: apt-get install chromium"
    elif node is None:
        reason = "Node.js is missing: apt-get install nodejs"
    elif not LIGHTHOUSE.exists():
        reason = "Lighthouse is missing: npm ci (from the repository root)"
    if reason:
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Lighthouse is required here but cannot run. {reason}")
        pytest.skip(reason)

    def run(url, name):
        ARTIFACTS.mkdir(exist_ok=True)
        report = ARTIFACTS / f"lighthouse-{name}.json"
        command = [
            node, str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
            # Chromium's new headless mode: the old one records no navigation start for it.
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]  # fmt: skip
        # A run whose Lighthouse itself fails (on a busy machine its Chromium can be slow to take
        # the connection) is run again; a run that completes is judged as it came out.
        for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
            finished = subprocess.run(  # noqa: S603 -- our own command line, no shell
                command,
                env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                capture_output=True,
                text=True,
                timeout=300,
            )
            if finished.returncode == 0:
                return json.loads(report.read_text())
            (ARTIFACTS / f"lighthouse-{name}-attempt-{attempt}.log").write_text(finished.stderr)
        pytest.fail(
            f"Lighthouse failed {LIGHTHOUSE_ATTEMPTS} times on {url} (exit {finished.returncode}):"
            f"\n{finished.stderr[-3000:]}"
        )

    return run
