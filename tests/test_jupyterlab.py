"""A real Jupyter server opens every chapter as a notebook (Jupytext), and JupyterLab is told
to use the notebook view for the chapters on double-click."""

import json
import urllib.request

import pytest
from _book import ROOT, chapter_sources, jupyter_app


@pytest.fixture(scope="module")
def server():
    with jupyter_app("server") as running:
        yield running


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
