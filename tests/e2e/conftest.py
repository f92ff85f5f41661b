"""A real `streamlit run` on a free loopback port, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SAMPLES = ROOT / "tests" / "samples"  # copies of ../shared/samples/, so a clone has them
_LOGS: list[Path] = []  # every server log of this worker; the autouse check reads what each test added


def _start(db: Path | str, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",  # an edit to a source file mid-run must not re-run the pages
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, "CPPCC_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _LOGS.append(log_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail(f"streamlit did not start; log: {log_path}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared read-mostly server's copy of the demo database."""
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    shutil.copy(demo_db, db)
    return db


@pytest.fixture(scope="session")
def server(server_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on server_db, shared by the tests that only read (or only add to real data)."""
    proc, url = _start(server_db, tmp_path_factory.mktemp("e2e-log") / "streamlit.log")
    yield url
    _stop(proc)


@dataclass
class Served:
    url: str
    db: Path
    log: Path


@pytest.fixture
def fresh_server(demo_db: Path, tmp_path: Path) -> Iterator[Served]:
    """A server of its own on a fresh copy of the demo store: for journeys that change it."""
    db = tmp_path / "journey.duckdb"
    shutil.copy(demo_db, db)
    proc, url = _start(db, tmp_path / "streamlit.log")
    yield Served(url, db, tmp_path / "streamlit.log")
    _stop(proc)


@pytest.fixture(autouse=True)
def no_tracebacks_in_server_logs() -> Iterator[None]:
    """Any traceback a server logs while a test runs fails that test, even when the page looked fine."""
    seen = {p: p.stat().st_size if p.exists() else 0 for p in _LOGS}
    yield
    for path in list(_LOGS):
        if not path.exists():
            continue
        with path.open(encoding="utf-8", errors="replace") as f:
            f.seek(seen.get(path, 0))
            added = f.read()
        ARTIFACTS.mkdir(exist_ok=True)
        if "Traceback" in added:
            (ARTIFACTS / f"traceback-{path.parent.name}.log").write_text(added, encoding="utf-8")
            pytest.fail(f"the server logged a traceback:\n{added[-4000:]}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (python3 dev.py test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-quic",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


VIEWPORTS = {
    "desktop": dict(viewport={"width": 1440, "height": 900}),
    "projector": dict(viewport={"width": 1024, "height": 768}),
    "phone": dict(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    ),
}


def open_page(browser, kind: str, foreign: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A page at one of the three users' viewports; requests to hosts other than 127.0.0.1 are logged."""
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True, **VIEWPORTS[kind])
    pg = ctx.new_page()
    if foreign is not None:
        from urllib.parse import urlparse

        def note(request) -> None:  # type: ignore[no-untyped-def]
            host = urlparse(request.url).hostname
            if host not in (None, "127.0.0.1", "localhost") and not request.url.startswith(
                ("data:", "blob:")
            ):
                foreign.append(request.url)

        pg.on("request", note)
    return pg


def download(page, button, timeout: float = 20_000):  # type: ignore[no-untyped-def]
    """Click a download button and return the Download. The file is made on the server when clicked
    (a lazy download); a click that lands while the page is still re-running is lost, as a person's
    would be, so it is clicked again (up to three times) rather than waited on for a minute."""
    last: Exception | None = None
    for _ in range(3):
        try:
            with page.expect_download(timeout=timeout) as dl:
                button.click(timeout=90_000)  # a button is disabled while the page re-runs: slow under load
            return dl.value
        except Exception as exc:  # playwright's TimeoutError
            last = exc
            settled(page)
    raise AssertionError(f"no download after three clicks: {last}")


def settled(page) -> None:
    """Wait until Streamlit's script run is over: the app root says so (data-test-script-state), and
    no running indicator is left. After an action, wait for what it shows first; this waits out the rest."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached", timeout=90_000
    )
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=60_000
    )


def no_error_boxes(page) -> None:
    """What a person checks on every screen: no exception box, no English error text."""
    assert page.get_by_test_id("stException").count() == 0
    body = page.locator("body").inner_text()
    for english in ("Traceback", "Error:", "Page not found", "Exception", "KeyError", "TypeError"):
        assert english not in body, english
    assert "页面出现了意外错误" not in body  # dashboard.py's catch-all: a bug, logged with its traceback


def shot(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (git-ignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
