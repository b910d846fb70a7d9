"""The feedback panel under an answered question: the verdict, what to do next, the solution
once it is shown, and the explanation.

The verdict is marked with a class for styling (`sq-correct`, `sq-partial` amber, `sq-incorrect`)
and said in words, never by colour alone; the explanation sits in a neutral panel. A miss
first gets one more try: no solution, the hint opened, a "Show answer" button (render/question.py
draws the buttons). Short answers are checked by the learner: the model answer and key points,
then four rating buttons (submit buttons named `rating`, read as the form's submitter).
"""

from __future__ import annotations

from typing import get_args

from ..i18n import ENGLISH, Texts
from ..quiz.grading import GradeResult, numeric_allowance
from ..quiz.models import AnyQuestion, Numeric, Ordering, Rating, ShortAnswer
from .markdown import render_markdown
from .markup import element, escape
from .question import Shown

RATINGS: tuple[Rating, ...] = get_args(Rating)

SYMBOLS = {"correct": "✓", "partial": "½", "incorrect": "✗", "invalid": "?"}


def verdict_text(question: AnyQuestion, result: GradeResult, t: Texts = ENGLISH) -> str:
    """The verdict in one plain sentence: "Correct.", "Partly right: 50%.", a self-rating."""
    if not result.valid:
        problem = t(result.problem or "grade.problem.error", **result.problem_values)
        return t("feedback.invalid", problem=problem)
    if isinstance(question, ShortAnswer):
        return t("feedback.rated", rating=t(f"rating.{result.rating}"))
    if result.verdict == "partial":
        return t("feedback.partial", percent=t.percent(round(result.score * 100)))
    return t(f"feedback.{result.verdict}")


def next_step_text(question: AnyQuestion, shown: Shown, t: Texts = ENGLISH) -> str:
    """What the learner can do now, or why nothing was earned; empty when nothing to add."""
    if shown.stage == "retry":
        return t("feedback.retry_hint" if question.hint else "feedback.retry")
    if shown.stage == "compare":
        return t("feedback.compare")
    if shown.stage == "final" and shown.after_solution:
        return t("feedback.after_solution")
    if shown.solution_shown and not isinstance(question, ShortAnswer):
        return t("feedback.solution_shown")
    return ""


def announcement(question: AnyQuestion, shown: Shown, t: Texts = ENGLISH) -> str:
    """The panel's news in plain text, for the page's live region."""
    if shown.stage == "nudge" or shown.result is None:
        return shown.nudge or next_step_text(question, shown, t)
    sentences = [verdict_text(question, shown.result, t), next_step_text(question, shown, t)]
    return " ".join(s for s in [*sentences, *shown.notices] if s)


def titled_panel(css_class: str, heading: str, body_html: str) -> str:
    """A titled panel; its body is the author's text, in the author's direction (`dir=auto`:
    English prose on an Arabic page keeps its full stops at the right end)."""
    title = element("p", {"class": "sq-heading"}, element("strong", None, escape(heading)))
    body = element("div", {"class": "sq-panel-body", "dir": "auto"}, body_html)
    return element("div", {"class": css_class}, title + body)


def _exact(value: float, t: Texts) -> str:
    """`value` in the reader's notation, with every decimal it has (up to ten)."""
    text = f"{value:.10f}".rstrip("0")
    decimals = len(text.split(".")[1])
    return t.number(value, decimals=decimals or None)


def _numeric_solution(question: Numeric, t: Texts) -> str:
    unit = f" {question.unit}" if question.unit else ""
    if question.value is not None:
        allowed = numeric_allowance(question)
        value = _exact(question.value, t) + unit
        if allowed:
            return t("feedback.value_within", value=value, tolerance=_exact(allowed, t))
        return value
    low, high = question.min or 0.0, question.max or 0.0
    return t("feedback.value_between", low=_exact(low, t), high=_exact(high, t) + unit)


def solution_html(question: AnyQuestion, t: Texts = ENGLISH) -> str:
    """The right answer where the marks in the controls cannot show it: a number, an order.
    (Choices, blanks and pairs show theirs in place.)"""
    match question:
        case Numeric():
            body = element("p", None, escape(_numeric_solution(question, t)))
        case Ordering():
            items = "".join(
                element("li", None, render_markdown(item.text, inline=True))
                for item in question.items
            )
            body = element("ol", None, items)
        case _:
            return ""
    return titled_panel("sq-solution", t("feedback.answer"), body)


def model_answer_html(question: ShortAnswer, t: Texts = ENGLISH) -> str:
    """The model answer and its key points."""
    model_answer = titled_panel(
        "sq-model-answer", t("feedback.model_answer"), render_markdown(question.model_answer)
    )
    points = "".join(
        element("li", None, render_markdown(p, inline=True)) for p in question.key_points
    )
    key_points = (
        titled_panel("sq-key-points", t("feedback.key_points"), element("ul", None, points))
        if points
        else ""
    )
    return model_answer + key_points


def _rating_buttons(t: Texts) -> str:
    prompt = element("p", {"class": "sq-rating-prompt"}, escape(t("feedback.rate_prompt")))
    buttons = "".join(
        element(
            "button",
            {"type": "submit", "class": "sq-rate", "name": "rating", "value": rating},
            escape(t(f"rating.{rating}")),
        )
        for rating in RATINGS
    )
    group = element(
        "div",
        {"class": "sq-rating-buttons", "role": "group", "aria-label": t("feedback.rate_group")},
        buttons,
    )
    return prompt + group


def _notices(lines: tuple[str, ...]) -> str:
    if not lines:
        return ""
    items = "".join(element("li", None, escape(line)) for line in lines)
    return element("ul", {"class": "sq-notices"}, items)


def render_feedback(
    question: AnyQuestion, shown: Shown, *, t: Texts = ENGLISH, focus: bool = False
) -> str:
    """The panel for a question as `shown`; with `focus`, its message (or model answer) gets
    `data-sq-focus` (and `tabindex="-1"`, so it can take focus)."""
    focus_attributes = {"tabindex": "-1", "data-sq-focus": ""} if focus else {}
    if shown.stage == "nudge" or (shown.result is None and shown.stage != "compare"):
        return element("p", {"class": "sq-nudge", **focus_attributes}, escape(shown.nudge or ""))
    if shown.stage == "compare":
        assert isinstance(question, ShortAnswer)
        intro = element("p", {"class": "sq-next"}, escape(next_step_text(question, shown, t)))
        return element(
            "div",
            {"class": "sq-self-rating", "data-question-id": question.id, **focus_attributes},
            intro + model_answer_html(question, t),
        ) + _rating_buttons(t)
    result = shown.result
    assert result is not None
    verdict = element(
        "p",
        {"class": "sq-verdict"},
        element(
            "span", {"class": "sq-verdict-symbol", "aria-hidden": "true"}, SYMBOLS[result.verdict]
        )
        + " "
        + element("strong", None, escape(verdict_text(question, result, t))),
    )
    step = next_step_text(question, shown, t)
    body = verdict + (element("p", {"class": "sq-next"}, escape(step)) if step else "")
    attributes = {
        "class": f"sq-result sq-{result.verdict}",
        "data-question-id": question.id,
        "data-correct": "true" if result.correct else "false",
        "data-score": f"{result.score:g}",
        **focus_attributes,
    }
    panel = element("div", attributes, body)
    if shown.stage == "final":
        if isinstance(question, ShortAnswer):
            panel += model_answer_html(question, t)
        elif shown.solution_shown:
            panel += solution_html(question, t)
        if question.explanation:
            panel += titled_panel(
                "sq-explanation", t("feedback.explanation"), render_markdown(question.explanation)
            )
    return panel + _notices(shown.notices)
