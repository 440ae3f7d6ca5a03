"""lessonlib.selfcheck: questions declared once, asked with computed numbers, shown three ways."""

import json
import re

import pytest

from lessonlib.selfcheck import LIB_END, LIB_START, SelfCheck, choice, library_script, number


def _checks():
    return SelfCheck(
        2,
        [
            number(
                "map-beta",
                "Beta({a}, {b}) prior, {h} heads in {n} flips: the MAP of θ?",
                answer="map_value",
                why="(h + a − 1)/(n + a + b − 2) = {map_value:.3f}.",
                wrong={
                    "wrong_den": "That divides by n + a + b − 1.",
                    "mean": "That is the posterior mean, not its mode.",
                },
                other="Add a − 1 pseudo-heads and b − 1 pseudo-tails.",
            ),
            choice(
                "evidence",
                "What does the evidence p(D) depend on?",
                right="Neither",
                why="It integrates θ out.",
                wrong={
                    "θ": "The evidence does not depend on θ.",
                    "The MAP": "It is a constant in θ.",
                },
            ),
        ],
    )


def _ask_map(checks):
    # The chapter's numbers: Beta(2, 2), three heads in three flips.
    a, b, h, n = 2, 2, 3, 3
    return checks.ask(
        "map-beta",
        a=a,
        b=b,
        h=h,
        n=n,
        map_value=(h + a - 1) / (n + a + b - 2),
        wrong_den=(h + a - 1) / (n + a + b - 1),
        mean=(h + a) / (n + a + b),
    )


def test_numeric_answer_windows_accept_the_value_to_the_asked_digits():
    q = _ask_map(_checks())
    answers = q.data[0]["answers"]
    right = answers[0]
    assert right["correct"] and right["range"][0] < 0.8 < right["range"][1]
    # Three significant digits: 0.799 and 0.801 are right, 0.79 and 0.81 are not.
    lo, hi = right["range"]
    assert lo <= 0.799 and 0.801 <= hi and not lo <= 0.79 and not 0.81 <= hi
    # Each tempting wrong value is recognized with its own explanation.
    den, mean = answers[1], answers[2]
    assert den["range"][0] < 4 / 6 < den["range"][1] and "n + a + b − 1" in den["feedback"]
    assert mean["range"][0] < 5 / 7 < mean["range"][1] and "posterior mean" in mean["feedback"]
    assert answers[-1]["type"] == "default"
    assert q.label == "Check 2.1"
    assert "Beta(2, 2) prior, 3 heads in 3 flips" in q.text


def test_choice_order_is_fixed_and_the_key_names_the_right_letter():
    checks = _checks()
    q1 = checks.ask("evidence")
    q2 = _checks().ask("evidence")
    assert q1.options == q2.options
    letter = "abc"[[ok for _, ok, _ in q1.options].index(True)]
    _ask_map(checks)
    key = repr(checks.answer_key())
    assert f"Check 2.2. ({letter}) Neither" in key
    assert "Check 2.1. 0.8 — (h + a − 1)/(n + a + b − 2) = 0.800." in key
    assert "If you got 0.667: That divides by n + a + b − 1." in key


def test_html_is_deterministic_escaped_and_offline():
    q1, q2 = _ask_map(_checks()), _ask_map(_checks())
    assert q1._repr_html_() == q2._repr_html_()  # no random ids: rebuilds are identical
    assert 'id="lessonlib-check-2-map-beta"' in q1._repr_html_()
    lib = library_script()
    assert "cdn" not in lib.lower() and not re.search(r"https?://(?!www\.w3)", lib)
    html = q1._repr_html_()
    assert html.count(LIB_START) == html.count(LIB_END) == 1
    hostile = SelfCheck(
        1,
        [
            choice(
                "x",
                "Is <b>1 < 2</b>?",
                right="yes & no",
                why="ok",
                wrong={"<script>": "no", "a*b_c": "no"},
            )
        ],
    )
    data = json.dumps(hostile.ask("x").data)
    assert "<script>" not in data and "&lt;script&gt;" in data and "&amp;" in data


def test_markdown_form_prints_as_written():
    checks = SelfCheck(
        1,
        [
            choice(
                "x", "Is a_b * c [d] <e>?", right="r_1", why="w", wrong={"s*2": "no", "t#3": "no"}
            )
        ],
    )
    md = checks.ask("x")._repr_markdown_()
    assert md.startswith("**Check 1.1.** Is a\\_b \\* c \\[d\\] \\<e\\>?")
    assert "r\\_1" in md and "s\\*2" in md and "t\\#3" in md
    assert re.findall(r"^\(([a-c])\) ", md, re.M) == ["a", "b", "c"]
    num = _ask_map(_checks())._repr_markdown_()
    assert "Answer (to 3 significant digits):" in num
    assert repr(_ask_map(_checks())).startswith("Check 2.1. Beta(2, 2) prior")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: choice("Bad Id", "q", right="r", why="w", wrong={"a": "x", "b": "y"}), "`qid`"),
        (lambda: choice("x", "q", right="r", why="w", wrong={"a": "x"}), "`wrong`"),
        (lambda: choice("x", "q", right="a", why="w", wrong={"a": "x", "b": "y"}), "`wrong`"),
        (
            lambda: choice("x", "costs $5", right="r", why="w", wrong={"a": "x", "b": "y"}),
            "`question`",
        ),
        (lambda: number("x", "q", answer=0.7, why="w", wrong={"a": "x"}, other="o"), "`answer`"),
        (lambda: number("x", "q", answer="v", why="w", wrong={}, other="o"), "`wrong`"),
        (
            lambda: number("x", "q", answer="v", why="w", wrong={"a": "x"}, other="o", digits=0),
            "`digits`",
        ),
        (lambda: SelfCheck(1, []), "`questions`"),
        (lambda: SelfCheck(True, []), "`chapter`"),
        (lambda: SelfCheck(1, ["q"]), "`questions`"),
    ],
)
def test_bad_declarations_say_which_argument_and_rule(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_bad_asks_say_what_is_wrong():
    checks = _checks()
    with pytest.raises(ValueError, match="`qid` must be one of map-beta, evidence"):
        checks.ask("nope")
    with pytest.raises(ValueError, match=r"missing \['mean'\]"):
        checks.ask("map-beta", a=2, b=2, h=3, n=3, map_value=0.8, wrong_den=0.6)
    with pytest.raises(ValueError, match=r"unexpected \['extra'\]"):
        checks.ask("evidence", extra=1)
    with pytest.raises(TypeError, match=r"`values\['map_value'\]` must be a number"):
        checks.ask("map-beta", a=2, b=2, h=3, n=3, map_value="0.8", wrong_den=0.6, mean=0.7)
    with pytest.raises(ValueError, match="must be finite"):
        checks.ask("map-beta", a=2, b=2, h=3, n=3, map_value=float("nan"), wrong_den=0.6, mean=0.7)
    # A distractor indistinguishable from the answer at the asked digits is refused.
    with pytest.raises(ValueError, match=r"`values\['wrong_den'\]` must differ"):
        checks.ask("map-beta", a=2, b=2, h=3, n=3, map_value=0.8, wrong_den=0.8004, mean=0.7)
    with pytest.raises(ValueError, match="never asked: evidence"):
        _ask_map(checks)
        checks.answer_key()


def test_choices_on_the_page_carry_the_letters_the_answer_key_uses():
    checks = _checks()
    q = checks.ask("evidence")
    shown = [a["answer"] for a in q.data[0]["answers"]]
    assert shown == [f"({letter}) {t}" for letter, (t, _, _) in zip("abc", q.options)]
    _ask_map(checks)
    right = "abc"[[ok for _, ok, _ in q.options].index(True)]
    assert f"({right}) Neither" in shown and f"Check 2.2. ({right}) Neither" in repr(
        checks.answer_key()
    )


def test_printed_numeric_answer_asks_for_a_whole_number_only_when_it_is_one():
    checks = SelfCheck(
        3,
        [
            number(
                "count", "How many?", answer="p", why="w", wrong={"q": "no"}, other="o", digits=2
            ),
            number("near", "How much?", answer="p", why="w", wrong={"q": "no"}, other="o"),
        ],
    )
    assert "Answer (a whole number):" in checks.ask("count", p=8, q=9)._repr_markdown_()
    # 99.97 prints as "100" to three digits, but it is not a whole number.
    near = checks.ask("near", p=99.97, q=50.0)._repr_markdown_()
    assert "Answer (to 3 significant digits):" in near
