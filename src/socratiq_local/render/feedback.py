"""What the runtime shows after Check: the verdict, feedback, solution and explanation.

The verdict is marked with a class for styling and said in words, never by colour alone.
Short answers are checked by the learner: first the model answer and four rating buttons.
"""

from __future__ import annotations

from ..quiz.grading import GradeResult
from ..quiz.models import AnyQuestion, Rating, ShortAnswer
from .markdown import render_markdown
from .markup import element, escape

RATINGS: tuple[tuple[Rating, str], ...] = (
    ("again", "Again"),
    ("hard", "Hard"),
    ("good", "Good"),
    ("easy", "Easy"),
)


def _verdict(result: GradeResult) -> tuple[str, str]:
    """(css class, symbol) for the outcome; the result's message says it in words."""
    if not result.valid:
        return "sq-invalid", "?"
    if result.correct:
        return "sq-correct", "✓"
    if result.score > 0:
        return "sq-partial", "½"
    return "sq-incorrect", "✗"


def _section(css_class: str, heading: str, body_html: str) -> str:
    title = element("p", {"class": "sq-heading"}, element("strong", None, escape(heading)))
    return element("div", {"class": css_class}, title + body_html)


def render_feedback(question: AnyQuestion, result: GradeResult) -> str:
    """The result of one answer, for the question's `role="status"` element."""
    css_class, symbol = _verdict(result)
    verdict = element(
        "p",
        {"class": "sq-verdict"},
        element("span", {"class": "sq-verdict-symbol", "aria-hidden": "true"}, symbol)
        + " "
        + element("strong", None, escape(result.message)),
    )
    feedback = (
        element(
            "ul",
            {"class": "sq-choice-feedback"},
            "".join(element("li", None, render_markdown(f)) for f in result.feedback),
        )
        if result.feedback
        else ""
    )
    solution = (
        _section("sq-solution", "Answer", render_markdown(result.solution))
        if result.solution and result.valid and not result.correct
        else ""
    )
    explanation = (
        _section("sq-explanation", "Explanation", render_markdown(result.explanation))
        if result.explanation
        else ""
    )
    attributes = {
        "class": f"sq-result {css_class}",
        "data-question-id": question.id,
        "data-correct": "true" if result.correct else "false",
        "data-score": f"{result.score:g}",
    }
    return element("div", attributes, verdict + feedback + solution + explanation)


def render_self_rating(question: ShortAnswer) -> str:
    """The model answer and key points, then "how did you do?" as four rating buttons."""
    model_answer = _section(
        "sq-model-answer", "Model answer", render_markdown(question.model_answer)
    )
    points = "".join(
        element("li", None, render_markdown(p, inline=True)) for p in question.key_points
    )
    key_points = (
        _section("sq-key-points", "Key points", element("ul", None, points)) if points else ""
    )
    prompt = element("p", {"class": "sq-rating-prompt"}, "How well did you answer?")
    buttons = element(
        "div",
        {"class": "sq-rating-buttons", "role": "group", "aria-label": "Rate your answer"},
        "".join(
            element(
                "button",
                {"type": "submit", "class": "sq-rate", "name": "rating", "value": value},
                label,
            )
            for value, label in RATINGS
        ),
    )
    return element(
        "div",
        {"class": "sq-self-rating", "data-question-id": question.id},
        model_answer + key_points + prompt + buttons,
    )
