"""Open every built page in headless Chromium from disk, offline, and check what a reader sees.

For each page: MathJax typeset every formula without a TeX error, every image loaded, no
cell shows an error, the browser console has no errors, and every slider of every page
player changes the displayed frame. A screenshot of each page is saved under
``_build/test-artifacts``. Needs Debian's ``chromium`` and ``chromium-driver``.
"""

import html
import json
import time

import pytest
from _book import ARTIFACTS, built_pages, chromium


@pytest.fixture(scope="module")
def browser():
    driver = chromium("1280,2000", console_log=True)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _wait(driver, script, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if driver.execute_script(script):
            return True
        time.sleep(0.1)
    return False


# Resolves once MathJax 3 has finished its first typesetting pass over the page.
MATH_DONE = """
var done = arguments[arguments.length - 1];
if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) { done(false); return; }
MathJax.startup.promise.then(function () { done(true); }, function () { done(false); });
"""

MATH_REPORT = """
var sources = Array.from(document.querySelectorAll('span.math, div.math'));
return {
  sources: sources.length,
  rendered: document.querySelectorAll('mjx-container svg').length,
  errors: Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
      .map(function (e) { return e.getAttribute('data-mjx-error') || e.textContent; }),
  rawLeft: sources.filter(function (el) { return el.querySelector('mjx-container') === null; })
      .map(function (el) { return el.textContent.slice(0, 60); })
};
"""

IMAGES = """
return Array.from(document.images).map(function (img) {
  return {src: img.src.slice(0, 80), ok: img.complete && img.naturalWidth > 0, alt: img.alt};
});
"""

# The frame shown after a slider moves is a file the browser loads on demand.
FRAME_LOADED = """
var img = document.getElementById('ROOT').querySelector('img.lessonlib-player-frame');
return img.complete && img.naturalWidth > 0;
"""

PLAYER_STATE = """
var root = arguments[0];
var src = root.querySelector('img').src;
var labels = Array.from(root.querySelectorAll('output'))
    .map(function (o) { return o.textContent; });
return {frame: root.dataset.frame, src: src.length + ':' + src.slice(-40), labels: labels};
"""


@pytest.mark.parametrize("page", built_pages(), ids=lambda p: p.name)
def test_page_in_browser(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get_log("browser")  # discard messages from the previous page
    browser.get(page.as_uri())
    assert _wait(browser, "return document.readyState === 'complete'")

    # Math: every formula typeset by the local MathJax, none left as raw TeX, no TeX errors.
    if browser.execute_script("return document.querySelectorAll('span.math, div.math').length"):
        browser.set_script_timeout(60)
        assert browser.execute_async_script(MATH_DONE), "MathJax did not load or finish"
        report = browser.execute_script(MATH_REPORT)
        assert report["errors"] == [], report["errors"]
        assert report["rawLeft"] == [], report["rawLeft"][:5]
        assert report["rendered"] >= report["sources"] > 0

    # No glue or eval placeholder leaked into the text (e.g. a role inside $...$).
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "glue:" not in body and "{glue" not in body and "{eval}" not in body
    # Formulas are not Tab stops (MathJax's default puts every one in the Tab order).
    tab_stops = "mjx-container[tabindex]:not(.lessonlib-wide)"
    assert browser.execute_script(f"return document.querySelectorAll('{tab_stops}').length") == 0

    # Figures: every image loaded and has alt text.
    images = browser.execute_script(IMAGES)
    assert [i for i in images if not i["ok"]] == []
    assert [i for i in images if not i["alt"].strip()] == []

    # No error outputs from executed cells.
    errors = browser.find_elements(
        By.CSS_SELECTOR, ".output.error, .output.traceback, .output.stderr"
    )
    assert errors == []

    # Players: each slider, moved with the keyboard, changes the frame and its label.
    for player in browser.find_elements(By.CSS_SELECTOR, ".lessonlib-player"):
        for slider in player.find_elements(By.CSS_SELECTOR, "input[type=range]"):
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", slider)
            before = browser.execute_script(PLAYER_STATE, player)
            slider.send_keys(
                Keys.END
                if slider.get_attribute("value") != slider.get_attribute("max")
                else Keys.HOME
            )
            assert _wait(browser, FRAME_LOADED.replace("ROOT", player.get_attribute("id")))
            after = browser.execute_script(PLAYER_STATE, player)
            assert after["frame"] != before["frame"]
            assert slider.get_attribute("aria-valuetext") in after["labels"]
            assert after["src"] != before["src"], "the slider moved but the figure did not change"
            assert after["labels"] != before["labels"]
            slider.send_keys(Keys.HOME)
            assert browser.execute_script(PLAYER_STATE, player)["frame"] != after["frame"]

    # Self-checks: every one drawn; one multiple-choice and one numeric question answered
    # wrong, then right, by real clicks and keys, each with its own feedback shown.
    if "/chapters/" in page.as_uri():
        _answer_self_checks(browser)

    # Console: nothing at error level (failed loads, script errors, ...).
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height, 800), 16000))
    browser.save_screenshot(str(ARTIFACTS / f"{page.stem}.png"))
    browser.set_window_size(1280, 2000)


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(function (r) {
    done(r.violations.map(function (v) {
      return {id: v.id, nodes: v.nodes.map(function (n) {
        var el = document.querySelector(n.target[0]);
        return {target: n.target.join(' '), content: !!(el && el.closest('article'))};
      })};
    }));
  }, function (e) { done('axe failed: ' + e); });
"""


def _axe_source() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def _show(browser, page, mode):
    browser.get(page.as_uri())
    assert _wait(browser, "return document.readyState === 'complete'")
    browser.execute_script(
        "document.documentElement.dataset.theme = arguments[0];"
        "document.documentElement.dataset.mode = arguments[0];",
        mode,
    )
    if browser.execute_script("return document.querySelectorAll('span.math, div.math').length"):
        browser.set_script_timeout(60)
        assert browser.execute_async_script(MATH_DONE)
    time.sleep(0.3)  # let lessonlib.js mark the wide formulas


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", built_pages(), ids=lambda p: p.name)
def test_axe_finds_no_accessibility_violation_in_the_content(browser, page, mode):
    """axe-core (WCAG 2.1 A and AA) on each page, in light and dark mode.

    The book's own content is everything inside the page's <article>; the theme's
    navigation and sidebars around it are reported in the message if they ever fail.
    """
    _show(browser, page, mode)
    browser.set_script_timeout(120)
    browser.execute_script(_axe_source())
    violations = browser.execute_async_script(AXE_RUN)
    assert not isinstance(violations, str), violations
    content = [(v["id"], n["target"]) for v in violations for n in v["nodes"] if n["content"]]
    theme = [(v["id"], n["target"]) for v in violations for n in v["nodes"] if not n["content"]]
    assert content == [], f"content: {content[:10]}; theme (not from the book): {theme[:5]}"
    assert theme == [], f"theme-caused violations (list them in README's known issues): {theme}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{page.stem}-{mode}.png"))


PHONE_REPORT = """
function scrolls(el) {  // inside a box the reader can scroll sideways
  for (var p = el.parentElement; p; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll') return true;
  }
  return false;
}
var clipped = Array.from(document.querySelectorAll('mjx-container')).filter(function (el) {
  var box = el.getBoundingClientRect();
  var display = el.getAttribute('display') === 'true';  // inline ones have no clientWidth
  var over = box.right > window.innerWidth + 1 ||
             (display && el.scrollWidth > el.clientWidth + 1);
  return over && !el.classList.contains('lessonlib-wide') && !scrolls(el);
}).map(function (el) { return el.textContent.slice(0, 40); });
return {pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
        clipped: clipped};
"""


@pytest.mark.parametrize("page", built_pages(), ids=lambda p: p.name)
def test_page_on_a_phone(browser, page):
    """At 375 CSS px: the page does not scroll sideways and no formula is cut off."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        for mode in ("light", "dark"):
            _show(browser, page, mode)
            report = browser.execute_script(PHONE_REPORT)
            assert report["viewport"] == 375
            assert report["pageWidth"] <= report["viewport"], report
            assert report["clipped"] == [], report["clipped"]
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(ARTIFACTS / f"{page.stem}-phone-{mode}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


QUIZ_STATE = """
var root = document.getElementById(arguments[0]);
var fb = root.querySelector('.Feedback');
return {text: fb ? fb.textContent : '', cls: fb ? fb.className : '',
        live: fb ? fb.getAttribute('aria-live') : null};
"""


def _answer_self_checks(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    boxes = browser.find_elements(By.CSS_SELECTOR, "div.lessonlib-quiz")
    assert len(boxes) >= 6, "every chapter asks at least six self-checks"
    assert _wait(
        browser,
        f"return document.querySelectorAll('div.lessonlib-quiz .Quiz').length === {len(boxes)}",
    ), "a self-check was not drawn"
    assert browser.execute_script("return typeof window.lessonlibQuiz") == "object"
    choice = next(b for b in boxes if b.find_elements(By.CSS_SELECTOR, "label.MCButton"))
    numeric = next(b for b in boxes if b.find_elements(By.CSS_SELECTOR, "input.Input-text"))

    qid = choice.get_attribute("id")
    labels = choice.find_elements(By.CSS_SELECTOR, "label.MCButton")
    for want in ("false", "true"):
        label = next(lb for lb in labels if lb.get_attribute("data-correct") == want)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
        label.click()
        state = browser.execute_script(QUIZ_STATE, qid)
        expected = label.get_attribute("data-feedback")
        assert state["text"] == expected, (qid, state, expected)
        assert state["text"].startswith("Correct." if want == "true" else "Not quite.")
        assert ("correct" if want == "true" else "incorrect") in state["cls"].split()
        assert state["live"] == "polite"

    qid = numeric.get_attribute("id")
    box = numeric.find_element(By.CSS_SELECTOR, "input.Input-text")
    assert box.get_attribute("aria-label").startswith("Your answer to Check ")
    answers = [a for a in json.loads(box.get_attribute("data-answers")) if "range" in a]
    wrong = next(a for a in answers if not a["correct"])
    right = next(a for a in answers if a["correct"])
    for answer in (wrong, right):
        lo, hi = answer["range"]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        box.click()
        box.send_keys(f"{(lo + hi) / 2:.6g}", Keys.ENTER)
        state = browser.execute_script(QUIZ_STATE, qid)
        assert state["text"] == html.unescape(answer["feedback"]), (qid, state)
        assert state["text"].startswith("Correct" if answer["correct"] else "Not quite.")
