"""Each chapter as a learner meets it in a real JupyterLab, driven by headless Chromium.

For every chapter: a double-click in the file browser opens it as a notebook (Jupytext),
"Run All Cells" runs it without an error, the prose shows computed numbers (jupyterlab-myst
evaluates the ``{eval}`` roles) and no MyST markup, the hidden checks are collapsed, every
control of the live lesson changes the figure through real browser events, and saving
leaves the file on disk unchanged. Needs Debian's ``chromium`` and ``chromium-driver``.
"""

import json
import os
import re
import time

import jupytext
import pytest
from _book import ROOT, chapter_sources, chromium, jupyter_app, require

BUILT = ROOT / "_build" / "jupyter_execute" / "chapters"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on the repository, with its own settings and workspaces."""
    settings = tmp_path_factory.mktemp("lab-settings")
    # Render every cell (no virtual scrolling), so the test sees the whole notebook.
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path_factory.mktemp("lab-workspaces")),
    )
    with jupyter_app("lab", env=env) as running:
        yield running


@pytest.fixture(scope="module")
def chrome():
    driver = chromium("1400,1000")
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def _wait(driver, script, timeout=60.0, *args):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = driver.execute_script(script, *args)
        if result:
            return result
        time.sleep(0.3)
    return None


def _by_text(driver, selector, text, timeout=30.0):
    found = _wait(
        driver,
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".find(e => e.textContent.trim() === arguments[1]) || null",
        timeout,
        selector,
        text,
    )
    assert found is not None, f"no {selector} reading {text!r}"
    return found


PROMPTS = """
return Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell'))
  .map(c => (c.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim());
"""

OUTPUT_IMAGES = """
return Array.from(arguments[0].querySelectorAll('.jp-OutputArea-output img'))
  .map(img => img.src.length + ':' + img.src.slice(-48)).join('|');
"""


def _finished(prompts, visible: int) -> bool:
    """Every visible code cell shows its execution count and none is running ([*]).

    Collapsed (hidden) cells show no prompt, so they are counted through the others.
    """
    numbered = [p for p in prompts if re.fullmatch(r"\[\d+\]:", p)]
    return "[*]:" not in prompts and len(numbered) == visible


def _a_prose_value(chapter) -> str:
    """The text of one number that the chapter's prose shows (from the book build)."""
    glued = json.loads((BUILT / f"{chapter.stem}.glue.json").read_text())
    texts = [
        v["data"]["text/plain"]
        for k, v in glued.items()
        if k.endswith("_txt") and re.search(r"\d\.\d{2}", v["data"]["text/plain"])
    ]
    require(bool(texts), "the book is not built; build it before this test")
    return texts[0]


@pytest.mark.parametrize("chapter", chapter_sources(), ids=lambda p: p.name)
def test_chapter_in_jupyterlab(lab, chrome, chapter):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, token = lab
    before = chapter.read_bytes()
    require((BUILT / f"{chapter.stem}.glue.json").exists(), "build the book before this test")
    expected_number = _a_prose_value(chapter)
    code_cells = [c for c in jupytext.read(chapter).cells if c.cell_type == "code"]
    hidden = sum(bool(c.metadata.get("jupyter", {}).get("source_hidden")) for c in code_cells)
    visible = len(code_cells) - hidden

    chrome.get(f"{base}/lab/tree/chapters?reset&token={token}")
    item = _by_text(chrome, ".jp-DirListing-itemText", chapter.name, timeout=60)
    ActionChains(chrome).double_click(item).perform()
    panel = _wait(
        chrome,
        "return document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')"
        " && document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')",
        60,
    )
    assert panel is not None, "the chapter did not open as a notebook"
    time.sleep(2)  # the kernel starts

    _by_text(chrome, ".lm-MenuBar-itemLabel", "Run").click()
    _by_text(chrome, ".lm-Menu-itemLabel", "Run All Cells").click()
    end = time.monotonic() + 240
    while time.monotonic() < end and not _finished(chrome.execute_script(PROMPTS), visible):
        time.sleep(0.5)
    prompts = chrome.execute_script(PROMPTS)
    assert _finished(prompts, visible), f"Run All did not finish in 240 s: {prompts}"
    time.sleep(1.5)  # markdown cells evaluate their {eval} roles

    errors = panel.find_elements(
        By.CSS_SELECTOR,
        "[data-mime-type='application/vnd.jupyter.stderr'],"
        "[data-mime-type='application/vnd.jupyter.error']",
    )
    assert [e.text[:300] for e in errors] == []

    prose = chrome.execute_script(
        "return Array.from(arguments[0].querySelectorAll('.jp-MarkdownCell'))"
        ".map(c => c.innerText).join('\\n')",
        panel,
    )
    for markup in ("{eval}", "{glue", "{exercise}", "{solution", "{code-cell}"):
        assert markup not in prose, f"raw MyST markup {markup!r} in the rendered prose"
    assert expected_number in prose, f"the prose value {expected_number} is not shown"

    collapsed = len(panel.find_elements(By.CSS_SELECTOR, ".jp-InputPlaceholder"))
    assert collapsed >= hidden, f"{collapsed} collapsed inputs for {hidden} hidden cells"

    # The live lesson: every slider moved by the keyboard, or the Step button clicked,
    # changes the figure in its output.
    lessons = panel.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output .widget-vbox")
    assert lessons, "the live lesson did not render"
    for lesson in lessons:
        handles = lesson.find_elements(By.CSS_SELECTOR, ".noUi-handle")
        buttons = [b for b in lesson.find_elements(By.TAG_NAME, "button") if b.text == "Step"]
        assert handles or buttons, "a lesson without controls"
        for control in handles + buttons:
            chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", control)
            shown = chrome.execute_script(OUTPUT_IMAGES, lesson)
            control.click()  # a button steps; a slider handle takes the focus
            if control.tag_name != "button":
                control.send_keys(Keys.END)
            end = time.monotonic() + 15
            while time.monotonic() < end and chrome.execute_script(OUTPUT_IMAGES, lesson) == shown:
                time.sleep(0.2)
            assert chrome.execute_script(OUTPUT_IMAGES, lesson) != shown, (
                "the control moved but the figure did not change"
            )

    # The self-checks answer back in JupyterLab too: every one is drawn, and a wrong
    # choice shows its own explanation.
    asked = chapter.read_text().count("checks.ask(")
    drawn = len(panel.find_elements(By.CSS_SELECTOR, ".lessonlib-quiz .Quiz"))
    assert drawn == asked, f"{drawn} self-checks drawn of {asked}"
    wrong = panel.find_elements(By.CSS_SELECTOR, ".lessonlib-quiz label[data-correct='false']")[0]
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", wrong)
    wrong.click()
    feedback = wrong.find_element(By.XPATH, "ancestor::div[contains(@class, 'Quiz')]")
    shown = feedback.find_element(By.CSS_SELECTOR, ".Feedback").text
    assert shown == wrong.get_attribute("data-feedback") and shown.startswith("Not quite.")

    # Saving writes the chapter back exactly as it was.
    chrome.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
    time.sleep(2)
    assert chapter.read_bytes() == before, "saving from JupyterLab changed the chapter"

    _by_text(chrome, ".lm-MenuBar-itemLabel", "Kernel").click()
    _by_text(chrome, ".lm-Menu-itemLabel", "Shut Down All Kernels…").click()
    time.sleep(1)
