"""Self-checks: questions that answer back, on the page, in JupyterLab and on paper.

A chapter declares its questions once, in one hidden cell near its top::

    checks = SelfCheck(1, [
        choice("log-why", "Why sum logs?", right="...", why="...",
               wrong={"Because ...": "The log is increasing, so ..."}),
        number("mle-coin", "Heads {heads} of {n}: the MLE of theta?",
               answer="theta_hat", why="...",
               wrong={"theta_wrong": "That divides by n - 1 ..."}),
    ])

and asks each one where the text has taught it, passing the numbers it computed::

    checks.ask("mle-coin", heads=7, n=10, theta_hat=theta_hat,
               theta_wrong=theta_wrong)

A numeric answer, and every wrong number that earns its own explanation, is the
*name* of a value the chapter passes to :meth:`SelfCheck.ask`: answers are
computed, never typed. The answer key (:meth:`SelfCheck.answer_key`) ends the chapter.

Each displayed question carries three forms:

* ``text/html``: the interactive question, drawn by `jupyterquiz
  <https://pypi.org/project/jupyterquiz/>`_'s renderers from inline data, with no
  kernel and no network (its MathJax-from-a-CDN fallback is removed);
* ``text/markdown``: the printed question, which the PDF build uses;
* ``text/plain``: the same, for a terminal.

The JavaScript and CSS shared by all questions travel in every question's HTML
(guarded, so they are defined once per page), so that a downloaded notebook works on
its own. The book build moves them into one file per site (``_ext/self_checks.py``).
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.resources
import json
import math
import numbers
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lessonlib._validation import as_text, fail

__all__ = ["SelfCheck", "Question", "AnswerKey", "choice", "number", "library_script"]

#: Markers around the shared library inside each question's ``<script>``; the book
#: build replaces what lies between them by one site-wide file.
LIB_START = "/*lessonlib-selfcheck-library:start*/"
LIB_END = "/*lessonlib-selfcheck-library:end*/"

_LETTERS = "abcdefghij"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Colours of the question boxes. Text on them is white; every pair has a contrast of
# at least 7:1. Right and wrong differ in hue (blue and vermilion, safe for the
# common colour-vision deficiencies) and are always named in words as well.
_COLOURS = {
    "--jq-multiple-choice-bg": "#2b3a55",
    "--jq-numeric-bg": "#2b3a55",
    "--jq-mc-button-bg": "#ffffff",
    "--jq-mc-button-border": "#6b7280",
    "--jq-mc-button-inset-shadow": "#333333",
    "--jq-numeric-input-bg": "#ffffff",
    "--jq-numeric-input-label": "#ffffff",
    "--jq-numeric-input-shadow": "#999999",
    "--jq-correct-color": "#005a8c",
    "--jq-incorrect-color": "#9c3500",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#cfe3ff",
}

# The book's adjustments to jupyterquiz's stylesheet: body-sized text, readable
# input and label colours, feedback in the page's own text colour (light or dark
# mode) with a coloured rule, and a visible keyboard focus.
_EXTRA_CSS = """
.lessonlib-quiz { margin: 1em 0; }
.lessonlib-quiz .Quiz { font-size: 1rem; line-height: 1.4; max-width: 100% !important; }
.lessonlib-quiz .MCButton { color: #1f2328; font-size: 1rem; text-align: left;
  justify-content: flex-start; }
.lessonlib-quiz .MCButton input { margin-right: 0.6em; }
.lessonlib-quiz .MCButton:focus-within { outline: 3px solid #ffbf47; outline-offset: 2px; }
.lessonlib-quiz .MCButton.correctButton, .lessonlib-quiz .MCButton.incorrectButton
  { color: #ffffff; }
.lessonlib-quiz .InpLabel { color: inherit; font-size: 1rem; float: none; display: block; }
.lessonlib-quiz .Input-text { color: #1f2328; background: #ffffff;
  border: 2px solid #6b7280; margin: 0.4em 0; font-size: 1rem; }
.lessonlib-quiz .Input-text.correctButton, .lessonlib-quiz .Input-text.incorrectButton
  { color: #ffffff; }
.lessonlib-quiz .Input-text:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.lessonlib-quiz .Feedback { color: inherit !important; font-size: 1rem; text-align: left;
  padding: 0.4em 0.8em; margin-top: 0.4em; }
.lessonlib-quiz .Feedback.correct { border-left: 6px solid var(--jq-correct-color); }
.lessonlib-quiz .Feedback.incorrect { border-left: 6px solid var(--jq-incorrect-color); }
.lessonlib-quiz .Feedback:empty { display: none; }
"""

# jupyterquiz's MathJax fallback injects a script from a CDN; the book never loads
# anything from the network, and its questions use no TeX, so both copies go.
_CDN_FALLBACK = re.compile(
    r"console\.log\('WARNING: Trying to force load MathJax 3'\);.*?\}\)\(\);", re.S
)

# After jupyterquiz draws a question: the feedback is announced to screen readers and
# the numeric box gets a label that names its question.
_SHOW = """
function show(divId, questions) {
  var root = document.getElementById(divId);
  if (!root || root.dataset.shown) { return; }
  root.dataset.shown = "1";
  show_questions(questions, root);
  root.querySelectorAll(".Feedback").forEach(function (fb) {
    fb.setAttribute("role", "status");
    fb.setAttribute("aria-live", "polite");
  });
  root.querySelectorAll("input.Input-text").forEach(function (inp) {
    inp.setAttribute("aria-label", "Your answer to " + root.dataset.label +
                     " (a number; press Enter to check)");
    inp.setAttribute("inputmode", "decimal");
  });
}
function when_ready(divId, questions) {
  var go = function () { show(divId, questions); };
  var mj = window.MathJax;
  if (mj && mj.startup && mj.startup.promise) { mj.startup.promise.then(go, go); }
  else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      var m = window.MathJax;
      if (m && m.startup && m.startup.promise) { m.startup.promise.then(go, go); }
      else { go(); }
    });
  }
  else { go(); }
}
"""


@functools.cache
def library_script() -> str:
    """Return the JavaScript every self-check needs, defining ``window.lessonlibQuiz`` once.

    It holds jupyterquiz's question renderers (without their CDN fallback), its
    stylesheet with the book's colours and adjustments, and the book's accessibility
    additions, all inside one function so nothing leaks into the page's globals.
    """
    package = importlib.resources.files("jupyterquiz")  # ImportError if it is missing
    js_dir = package.joinpath("js")
    parts = sorted((p for p in js_dir.iterdir() if p.name.endswith(".js")), key=lambda p: p.name)
    code = "\n".join(p.read_text("utf-8") for p in parts)
    code, removed = _CDN_FALLBACK.subn("", code)
    if removed != 2 or re.search(r"https?://[^'\" ]*mathjax", code, re.I):
        raise RuntimeError(  # pragma: no cover - guards an upgrade of jupyterquiz
            "jupyterquiz's MathJax CDN fallback changed shape; update lessonlib.selfcheck."
        )
    variables = "".join(f"{k}:{v};" for k, v in _COLOURS.items())
    css = (
        f".lessonlib-quiz{{{variables}}}\n"
        + package.joinpath("styles.css").read_text("utf-8")
        + _EXTRA_CSS
    )
    return (
        "if (!window.lessonlibQuiz) { window.lessonlibQuiz = (function () {\n"
        + code
        + _SHOW
        + "var style = document.createElement('style');\n"
        + "style.textContent = "
        + json.dumps(css)
        + ";\ndocument.head.appendChild(style);\n"
        + "return {show: when_ready};\n})(); }\n"
    )


# --------------------------------------------------------------------------- questions


def _check_id(qid: object) -> str:
    if not isinstance(qid, str) or not _ID.match(qid):
        fail("qid", "be lowercase words joined by hyphens, like 'mle-coin'", repr(qid))
    return qid


def _check_prose(value: object, name: str) -> str:
    if not as_text(value, name).strip():
        fail(name, "be non-empty text", repr(value))
    if "$" in value or "`" in value:
        # Text is shown as HTML, as Markdown and in LaTeX: plain Unicode reads the same
        # in all three (jupyterquiz would also turn "$" into TeX delimiters).
        bad = "$" if "$" in value else "`"
        fail(name, "be plain text (write math in Unicode: θ, σ², λ)", f"{bad!r} in {value!r}")
    return " ".join(value.split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """Escape plain text for Markdown, so that it prints as written."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _plain(markdown: str) -> str:
    """Markdown of this module's making, as plain text."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))


def _h(text: str) -> str:
    """Escape plain text for the HTML that jupyterquiz writes with innerHTML."""
    return html.escape(text, quote=False)


def _template_fields(text: str, name: str) -> set[str]:
    fields = set()
    for _, field_name, _, _ in string.Formatter().parse(text):
        if field_name is None:
            continue
        if not _NAME.match(field_name):
            fail(name, "use only plain {name} or {name:spec} fields", repr(field_name))
        fields.add(field_name)
    return fields


@dataclass(frozen=True)
class _Spec:
    qid: str
    kind: str  # "choice" or "number"
    text: str
    why: str
    right: str = ""  # choice: the right answer's text; number: the value's name
    wrong: tuple = ()  # ((text or value name, explanation), ...)
    other: str = ""  # number: explanation for any other value
    digits: int = 3

    def names(self) -> set[str]:
        """Every value the chapter must pass when asking this question."""
        out = set()
        for text in [self.text, self.why, self.other, self.right] + [
            t for pair in self.wrong for t in pair
        ]:
            out |= _template_fields(text, f"question {self.qid!r}")
        if self.kind == "number":
            out.add(self.right)
            out.update(name for name, _ in self.wrong)
        return out


def choice(qid: str, question: str, *, right: str, why: str, wrong: Mapping[str, str]) -> _Spec:
    """Declare a multiple-choice question.

    Parameters
    ----------
    qid : str
        A short identifier, lowercase words joined by hyphens (``"log-why"``).
    question : str
        The question. Text may hold ``{name}`` fields, filled by :meth:`SelfCheck.ask`.
    right : str
        The right answer.
    why : str
        Why it is right (shown when chosen, and in the answer key).
    wrong : mapping of str to str
        Each wrong answer -> the misconception it reveals and why it fails. At least two.

    Returns
    -------
    The question's declaration, for :class:`SelfCheck`.

    Examples
    --------
    >>> q = choice("sign", "Is 2 > 1?", right="Yes", why="Two is larger.",
    ...            wrong={"No": "Two is larger.", "Equal": "They differ by 1."})
    >>> q.kind
    'choice'
    """
    _check_id(qid)
    if not isinstance(wrong, Mapping) or len(wrong) < 2:
        fail("wrong", "map at least two wrong answers to their explanations", repr(wrong))
    pairs = tuple(
        (_check_prose(k, "wrong"), _check_prose(v, f"wrong[{k!r}]")) for k, v in wrong.items()
    )
    right = _check_prose(right, "right")
    if right in {k for k, _ in pairs}:
        fail("wrong", "not repeat the right answer", repr(right))
    if len(pairs) + 1 > len(_LETTERS):
        fail("wrong", f"hold at most {len(_LETTERS) - 1} answers", str(len(pairs)))
    return _Spec(
        qid, "choice", _check_prose(question, "question"), _check_prose(why, "why"), right, pairs
    )


def number(
    qid: str,
    question: str,
    *,
    answer: str,
    why: str,
    wrong: Mapping[str, str],
    other: str,
    digits: int = 3,
) -> _Spec:
    """Declare a question whose answer is a number the chapter computed.

    Parameters
    ----------
    qid : str
        A short identifier, lowercase words joined by hyphens.
    question : str
        The question, with optional ``{name}`` fields.
    answer : str
        The *name* of the right value, passed to :meth:`SelfCheck.ask`.
    why : str
        How the value is obtained.
    wrong : mapping of str to str
        Name of a tempting wrong value -> the misconception it reveals. At least one.
    other : str
        Feedback for any other number (a hint, not the answer).
    digits : int, default 3
        Significant digits asked for. An answer within one unit of the last digit
        counts as right; a wrong value is recognized within the same window.

    Returns
    -------
    The question's declaration, for :class:`SelfCheck`.
    """
    _check_id(qid)
    if not isinstance(answer, str) or not _NAME.match(answer):
        fail(
            "answer",
            "name a value the chapter computes (not a number)",
            repr(answer),
            error=TypeError,
        )
    if not isinstance(wrong, Mapping) or not wrong:
        fail("wrong", "map at least one wrong value's name to its explanation", repr(wrong))
    pairs = []
    for name, text in wrong.items():
        if not isinstance(name, str) or not _NAME.match(name):
            fail(
                "wrong",
                "be keyed by names of values the chapter computes",
                repr(name),
                error=TypeError,
            )
        pairs.append((name, _check_prose(text, f"wrong[{name!r}]")))
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
        fail("digits", "be an integer from 1 to 6", repr(digits))
    return _Spec(
        qid,
        "number",
        _check_prose(question, "question"),
        _check_prose(why, "why"),
        answer,
        tuple(pairs),
        _check_prose(other, "other"),
        digits,
    )


def _fmt(value: float, digits: int) -> str:
    """Write a number as the reader is asked to: `digits` significant digits."""
    text = f"{value:.{digits}g}"
    return text.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def _window(value: float, digits: int) -> tuple[float, float]:
    """Return the interval of answers that agree with `value` to `digits` significant digits."""
    if value == 0:
        unit = 10.0 ** (-digits)
    else:
        unit = 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)
    return value - 1.01 * unit, value + 1.01 * unit


def _order(qid: str, n: int) -> list[int]:
    """Return a fixed, content-derived order of `n` answers (the right one not always first)."""
    keys = [hashlib.sha1(f"{qid}/{i}".encode()).hexdigest() for i in range(n)]
    return sorted(range(n), key=keys.__getitem__)


@dataclass(frozen=True)
class Question:
    """One asked question: displays as the interactive quiz, the printed form, or text.

    Attributes
    ----------
    label : str
        "Check 1.3": the chapter and the question's place in the chapter's list.
    text : str
        The question, fields filled in.
    kind : str
        ``"choice"`` or ``"number"``.
    options : tuple of (str, bool, str)
        Choice: each answer in display order, whether it is right, and its explanation.
        Number: the right value's text first, then each recognized wrong value.
    key : str
        The answer key's entry.
    data : list of dict
        The question in jupyterquiz's format.
    element_id : str
        The HTML id of its container (derived from the chapter and the question).
    digits : int
        Number: the significant digits asked for.
    whole : bool
        Number: the answer is a whole number (the printed form asks for one).
    """

    label: str
    text: str
    kind: str
    options: tuple
    key: str
    data: list = field(repr=False)
    element_id: str = ""
    digits: int = 3
    whole: bool = False

    def _repr_html_(self) -> str:
        label = html.escape(self.label)
        payload = json.dumps(self.data).replace("</", "<\\/")
        return (
            f'<div class="lessonlib-quiz" id="{self.element_id}" data-label="{label}" '
            f'role="group" aria-label="Self-check: {label}"></div>'
            "<script>\n" + LIB_START + "\n" + library_script() + LIB_END + "\n"
            f"window.lessonlibQuiz.show({json.dumps(self.element_id)}, {payload});\n"
            "</script>"
        )

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.label}.** {_md(self.text)}", ""]
        if self.kind == "choice":
            lines += [
                f"({_LETTERS[i]}) {_md(text)}  " for i, (text, _, _) in enumerate(self.options)
            ]
        else:
            blank = "\\_" * 8
            how = "a whole number" if self.whole else f"to {self.digits} significant digits"
            lines.append(f"Answer ({how}): {blank}")
        return "\n".join(lines).rstrip() + "\n"

    def __repr__(self) -> str:
        return _plain(self._repr_markdown_())


@dataclass(frozen=True)
class AnswerKey:
    """The chapter's answers with their explanations (folded on the page, listed on paper)."""

    chapter: int | str
    entries: tuple

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li style="margin-bottom:0.6em"><strong>{_h(label)}.</strong> {_h(text)}</li>'
            for label, text in self.entries
        )
        return (
            '<details class="lessonlib-answer-key"><summary>Answers to the self-checks of '
            f"Chapter {html.escape(str(self.chapter))}</summary>"
            f'<ul style="list-style:none;padding-left:0">{items}</ul></details>'
        )

    def _repr_markdown_(self) -> str:
        head = f"**Answers to the self-checks of Chapter {self.chapter}.**"
        return "\n\n".join([head] + [f"**{label}.** {_md(text)}" for label, text in self.entries])

    def __repr__(self) -> str:
        return _plain(self._repr_markdown_())


class SelfCheck:
    """A chapter's self-check questions, declared once and asked where they belong.

    Parameters
    ----------
    chapter : int or str
        The chapter's number, used in labels ("Check 1.3") and element ids.
    questions : sequence
        Declarations from :func:`choice` and :func:`number`, in reading order.

    Examples
    --------
    >>> checks = SelfCheck(1, [
    ...     number("double", "Twice {x}?", answer="y", why="2 × {x} = {y}.",
    ...            wrong={"half": "That halves it."}, other="Multiply by two."),
    ...     choice("sign", "Is 2 > 1?", right="Yes", why="Two is larger.",
    ...            wrong={"No": "Two is larger.", "Equal": "They differ by 1."}),
    ... ])
    >>> checks.ask("double", x=3, y=6.0, half=1.5).label
    'Check 1.1'
    """

    def __init__(self, chapter: int | str, questions: Sequence[_Spec]) -> None:
        if (
            isinstance(chapter, bool)
            or not isinstance(chapter, (int, str))
            or not str(chapter).strip()
        ):
            fail("chapter", "be the chapter's number or name", repr(chapter), error=TypeError)
        if isinstance(questions, (str, bytes)) or not isinstance(questions, Sequence):
            fail(
                "questions",
                "be a sequence of choice(...) and number(...) declarations",
                type(questions).__name__,
                error=TypeError,
            )
        specs: dict[str, _Spec] = {}
        for q in questions:
            if not isinstance(q, _Spec):
                fail(
                    "questions",
                    "hold only choice(...) and number(...) declarations",
                    type(q).__name__,
                    error=TypeError,
                )
            if q.qid in specs:
                fail("questions", "have distinct ids", repr(q.qid))
            specs[q.qid] = q
        if not specs:
            fail("questions", "hold at least one question", "an empty sequence")
        self.chapter = chapter
        self._specs = specs
        self._asked: dict[str, Question] = {}

    @property
    def ids(self) -> list[str]:
        """The questions' ids in reading order."""
        return list(self._specs)

    def label(self, qid: str) -> str:
        """Return the question's label, e.g. "Check 1.3"."""
        return f"Check {self.chapter}.{self.ids.index(self._spec(qid).qid) + 1}"

    def _spec(self, qid: object) -> _Spec:
        if qid not in self._specs:
            fail("qid", f"be one of {', '.join(self._specs)}", repr(qid))
        return self._specs[qid]

    def ask(self, qid: str, **values: object) -> Question:
        """Return question `qid`, its ``{name}`` fields and numbers filled from `values`.

        Every name the question uses must be passed, and nothing else (a misspelt
        name fails here rather than showing a wrong answer).
        """
        spec = self._spec(qid)
        needed = spec.names()
        missing, extra = sorted(needed - set(values)), sorted(set(values) - needed)
        if missing or extra:
            fail(
                "values",
                f"be exactly the names question {qid!r} uses: "
                f"{', '.join(sorted(needed)) or 'none'}",
                f"missing {missing}, unexpected {extra}",
            )

        def fill(text: str) -> str:
            try:
                return text.format(**values)
            except (ValueError, TypeError) as exc:
                fail("values", f"fit the format fields of question {qid!r}", str(exc))

        if spec.kind == "number":  # the numbers first: their errors are the clearer ones
            for name in [spec.right] + [n for n, _ in spec.wrong]:
                self._value(values, name, qid)
        label = self.label(qid)
        text = fill(spec.text)
        why = fill(spec.why)
        if spec.kind == "choice":
            answers = [(fill(spec.right), True, why)] + [
                (fill(t), False, fill(e)) for t, e in spec.wrong
            ]
            options = tuple(answers[i] for i in _order(spec.qid, len(answers)))
            right = next(i for i, (_, ok, _) in enumerate(options) if ok)
            others = " ".join(
                f"Why not ({_LETTERS[i]}): {e}" for i, (_, ok, e) in enumerate(options) if not ok
            )
            key = f"({_LETTERS[right]}) {options[right][0]} — {why} {others}"
            data = [
                {
                    "question": _h(f"{label}. {text}"),
                    "type": "multiple_choice",
                    "answers": [
                        {
                            # Lettered as in print, so the answer key reads the same.
                            "answer": _h(f"({_LETTERS[i]}) {t}"),
                            "correct": ok,
                            "feedback": _h(("Correct. " if ok else "Not quite. ") + e),
                        }
                        for i, (t, ok, e) in enumerate(options)
                    ],
                }
            ]
        else:
            value = self._value(values, spec.right, qid)
            lo, hi = _window(value, spec.digits)
            shown = _fmt(value, spec.digits)
            answers = [
                {
                    "type": "range",
                    "range": [lo, hi],
                    "correct": True,
                    "feedback": _h(f"Correct: {shown}. {why}"),
                }
            ]
            options = [(shown, True, why)]
            for name, explanation in spec.wrong:
                w = self._value(values, name, qid)
                wlo, whi = _window(w, spec.digits)
                if wlo < hi and lo < whi:
                    fail(
                        f"values[{name!r}]",
                        f"differ from the right answer of {qid!r} "
                        f"to {spec.digits} significant digits",
                        f"{_fmt(w, spec.digits)} against {shown}",
                    )
                answers.append(
                    {
                        "type": "range",
                        "range": [wlo, whi],
                        "correct": False,
                        "feedback": _h(f"Not quite. {fill(explanation)}"),
                    }
                )
                options.append((_fmt(w, spec.digits), False, fill(explanation)))
            answers.append({"type": "default", "feedback": _h(f"Not quite. {fill(spec.other)}")})
            options = tuple(options)
            misses = " ".join(f"If you got {t}: {e}" for t, _, e in options[1:])
            key = f"{shown} — {why} {misses}"
            data = [{"question": _h(f"{label}. {text}"), "type": "numeric", "answers": answers}]
        element_id = f"lessonlib-check-{self.chapter}-{spec.qid}"
        whole = spec.kind == "number" and self._value(values, spec.right, qid).is_integer()
        question = Question(
            label, text, spec.kind, options, key, data, element_id, spec.digits, whole
        )
        self._asked[qid] = question
        return question

    @staticmethod
    def _value(values: Mapping, name: str, qid: str) -> float:
        value = values[name]
        value = getattr(value, "value", value)  # a ProseValue carries its number
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            fail(
                f"values[{name!r}]",
                f"be a number (an answer of question {qid!r})",
                type(value).__name__,
                error=TypeError,
            )
        value = float(value)
        if not math.isfinite(value):
            fail(f"values[{name!r}]", "be finite", repr(value))
        return value

    def answer_key(self) -> AnswerKey:
        """Return the answers to every question, in order; each must have been asked."""
        missing = [qid for qid in self._specs if qid not in self._asked]
        if missing:
            fail(
                "checks",
                "ask every declared question before the answer key",
                f"never asked: {', '.join(missing)}",
            )
        return AnswerKey(
            self.chapter,
            tuple((self._asked[qid].label, self._asked[qid].key) for qid in self._specs),
        )
