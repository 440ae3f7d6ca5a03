"""A real Jupyter server opens every chapter as a notebook (Jupytext), and JupyterLab is told
to use the notebook view for the chapters on double-click."""

import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from _book import ROOT, chapter_sources


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port, token = _free_port(), secrets.token_hex(16)
    # The context manager closes the stderr pipe when the server is gone (no ResourceWarning).
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--allow-root",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT}",
            "--ServerApp.port_retries=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter server exited: {proc.stderr.read()[-2000:]}")
                time.sleep(0.3)
        else:
            proc.kill()
            pytest.fail("jupyter server did not start within 60 s")
        yield base, token
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.name)
def test_chapter_opens_as_notebook(server, source):
    base, token = server
    url = f"{base}/api/contents/chapters/{source.name}?type=notebook&content=1&token={token}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        model = json.load(resp)
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    assert sum(c["cell_type"] == "code" for c in cells) >= 5
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"


def test_jupyterlab_default_viewer_is_jupytext_notebook():
    """The settings override that makes a double-click open chapters as notebooks is installed."""
    from jupyter_core.paths import jupyter_config_path

    shipped = json.loads(
        (ROOT / "jupyter-config" / "labconfig" / "default_setting_overrides.json").read_text()
    )
    viewers = shipped["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"
    installed = [
        p
        for p in jupyter_config_path()
        if (ROOT / p / "labconfig" / "default_setting_overrides.json").exists()
    ]
    assert installed, "pip install -r requirements.txt installs ./jupyter-config into etc/jupyter"
