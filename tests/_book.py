"""Helpers shared by the tests of the built website and of JupyterLab."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "_build" / "test-artifacts"


def strict() -> bool:
    """True in CI (LESSONLIB_REQUIRE_BROWSER=1): checks that need the built book may not skip."""
    return os.environ.get("LESSONLIB_REQUIRE_BROWSER") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip when `condition` fails -- unless CI demands the check (LESSONLIB_REQUIRE_BROWSER=1)."""
    if condition:
        return
    if strict():
        pytest.fail(f"{reason} (LESSONLIB_REQUIRE_BROWSER=1 forbids skipping)")
    pytest.skip(reason)


def built_pages() -> list[Path]:
    """The book's content pages: intro, reference and every chapter."""
    require(
        (HTML / "intro.html").exists(),
        "the book is not built; run `jupyter-book build . -W -n --keep-going` first",
    )
    chapters = sorted((HTML / "chapters").glob("*.html"))
    return [HTML / "intro.html", HTML / "reference.html", *chapters]


def chapter_sources() -> list[Path]:
    return sorted((ROOT / "chapters").glob("*.md"))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def chromium(window: str, *, console_log: bool = False):
    """Headless Debian Chromium through its driver, offline (skips without it, unless CI)."""
    require(
        CHROMIUM is not None and CHROMEDRIVER is not None,
        "no Chromium here: apt-get install chromium chromium-driver to run the browser tests",
    )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={window}",
    ]:
        opts.add_argument(flag)
    if console_log:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


@contextmanager
def jupyter_app(app: str, *, env=None, timeout: float = 90.0):
    """Run ``jupyter <app>`` (server or lab) on the repository; yield (base URL, token)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        app,
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        "--allow-root",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.port_retries=0",
    ]
    with (
        tempfile.TemporaryFile("w+") as log,
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env) as proc,
    ):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"jupyter {app} exited: {log.read()[-2000:]}")
                time.sleep(0.3)
        else:
            proc.kill()
            pytest.fail(f"jupyter {app} did not start within {timeout:.0f} s")
        try:
            yield base, token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
