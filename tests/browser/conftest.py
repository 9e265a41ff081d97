"""Shared fixtures for the headless-browser checks (Debian chromium driven by Playwright).

Environment variables (all optional; the defaults target this repository):

* ``ITEMSREL_SITE_DIR``       the built HTML site (default ``<repo>/_build/html``)
* ``ITEMSREL_SCREENSHOT_DIR`` where screenshots go (default ``<site dir>/../screenshots``)
* ``ITEMSREL_CHROMIUM``       the browser executable (default ``/usr/bin/chromium``)
* ``ITEMSREL_SCREENSHOTS``    ``full``: whole-page screenshots in light and dark mode (test_site.py)

Playwright never downloads a browser here: Debian's chromium is launched with flags that keep it
from phoning home, so that the only network traffic is what the pages themselves ask for.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("ITEMSREL_SITE_DIR", REPO / "_build" / "html")).resolve()
SCREENSHOT_DIR = Path(
    os.environ.get("ITEMSREL_SCREENSHOT_DIR", SITE_DIR.parent / "screenshots")
).resolve()
CHROMIUM = os.environ.get("ITEMSREL_CHROMIUM", "/usr/bin/chromium")

# Quiet, offline-friendly flags (see /work/shared/notes/toolchain.md). `--headless` is added by
# Playwright itself when headless=True.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def is_local(url: str) -> bool:
    """True for URLs that never leave the machine (loopback HTTP, file:, data:, blob:, …)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in {h.strip("[]") for h in LOCAL_HOSTS}


class OfflineGuard:
    """Abort and record every request of a browser context that would leave the machine."""

    is_local = staticmethod(is_local)

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def install(self, context) -> OfflineGuard:
        context.route("**/*", self._route)
        # Requests that bypass routing (e.g. from workers) still show up here.
        context.on("request", self._on_request)
        return self

    def _route(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self._record(url)
            route.abort("internetdisconnected")

    def _on_request(self, request) -> None:
        if not is_local(request.url):
            self._record(request.url)

    def _record(self, url: str) -> None:
        if url not in self.blocked:
            self.blocked.append(url)


def _chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium). "
            "Do not run `playwright install` (no browser downloads here).",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def offline_guard() -> type[OfflineGuard]:
    """``offline_guard().install(context)`` aborts and records non-local requests of ``context``.

    (A fixture rather than an import: test modules never ``import conftest``, which would clash
    with other ``conftest`` modules of the repository.)
    """
    return OfflineGuard


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return SITE_DIR


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass

    def send_head(self):
        # Browsers ask every origin for /favicon.ico; the book has none, and a file:// page would
        # not ask at all. Answer "no content" instead of a 404 that shows up as a console error.
        if self.path.split("?")[0] == "/favicon.ico" and not (SITE_DIR / "favicon.ico").exists():
            self.send_response(204)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        # Never let the browser reuse a stale copy of a rebuilt page.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="session")
def site_server() -> Iterator[str]:
    """Serve SITE_DIR on 127.0.0.1 (a free port) in a daemon thread; yields the base URL."""
    index = SITE_DIR / "index.html"
    if not index.is_file():
        pytest.fail(
            f"The built book is missing: {index} does not exist. Build it first with `make book`.",
            pytrace=False,
        )
    handler = functools.partial(_QuietHandler, directory=str(SITE_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
