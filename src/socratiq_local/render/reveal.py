"""A question's "Reveal answer": the right answer and the explanation in a `<details>` block.

It belongs to a quiz drawn for reading before the engine runs (integrations/prerender.py): the
browser opens and closes it with no script, so a reader whose browser cannot run the engine
still checks themselves. Marks in the controls cannot say the answer there (nothing is
graded), so every question type says it in words here.
"""

from __future__ import annotations

from ..i18n import ENGLISH, Texts
from ..quiz.models import (
    AnyQuestion,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from .feedback import model_answer_html, solution_html, titled_panel
from .markdown import render_markdown
from .markup import element, escape


def _listed(items: list[str]) -> str:
    """One item as a paragraph, several as a list."""
    if len(items) == 1:
        return element("p", None, items[0])
    return element("ul", None, "".join(element("li", None, item) for item in items))


def answer_html(question: AnyQuestion, t: Texts = ENGLISH) -> str:
    """The right answer of any question type, in words."""
    match question:
        case SingleChoice() | MultipleChoice():
            right = [render_markdown(c.text, inline=True) for c in question.choices if c.correct]
            body = _listed(right)
        case TrueFalse():
            body = element("p", None, escape(t(f"question.{str(question.answer).lower()}")))
        case FillBlank():
            body = _listed([escape(blank.accepted[0]) for blank in question.blanks])
        case Matching():
            body = _listed(
                [
                    element("bdi", None, render_markdown(pair.left, inline=True))
                    + " → "
                    + element("bdi", None, render_markdown(pair.right, inline=True))
                    for pair in question.pairs
                ]
            )
        case ShortAnswer():
            return model_answer_html(question, t)
        case Numeric() | Ordering():
            return solution_html(question, t)
    return titled_panel("sq-solution", t("feedback.answer"), body)


def render_reveal(question: AnyQuestion, *, t: Texts = ENGLISH) -> str:
    """`<details class="sq-reveal">`: "Reveal answer", then the answer and the explanation."""
    explanation = (
        titled_panel(
            "sq-explanation", t("feedback.explanation"), render_markdown(question.explanation)
        )
        if question.explanation
        else ""
    )
    summary = element("summary", None, escape(t("question.reveal_answer")))
    body = element("div", {"class": "sq-reveal-body"}, answer_html(question, t) + explanation)
    return element("details", {"class": "sq-reveal"}, summary + body)
