"""A review session, one card at a time: the card with its counter, and the summary at the end.

The card wraps the question form (drawn by render/question.py) in a `[data-review]` section,
so the page sends its answer as a review. Its "Next" button (`data-action="review-next"`) is
`hidden` until the page has the card's answer back; the last card's button leads to the
summary. The summary offers another round when more is due (`data-action="review"`) and a way
back to the dashboard (`data-action="review-done"`).
"""

from __future__ import annotations

from ..i18n import ENGLISH, Texts
from ..progress.review import ReviewSummary
from .markup import dom_id, element, escape


def _button(action: str, label: str, css_class: str, hidden: bool = False) -> str:
    attributes = {
        "type": "button",
        "class": css_class,
        "data-action": action,
        "hidden": "" if hidden else None,
    }
    return element("button", attributes, escape(label))


def render_review_card(
    question_html: str,
    *,
    position: int,
    total: int,
    self_rated: bool,
    instance: str = "sq",
    t: Texts = ENGLISH,
) -> str:
    """Card `position` (from 1) of `total`, around its question form."""
    heading_id = dom_id(instance, "review", "title")
    heading = element(
        "h3",
        {"id": heading_id, "class": "sq-review-title", "tabindex": "-1"},
        escape(t("review.card_of", position=position, total=total)),
    )
    bar = element(
        "progress",
        {
            "class": "sq-review-progress",
            "max": str(max(total, 1)),
            "value": str(min(position - 1, total)),
            "aria-label": t("review.progress_label"),
        },
    )
    hint = (
        element("p", {"class": "sq-review-hint"}, escape(t("review.self_rated_hint")))
        if self_rated
        else ""
    )
    label = t("review.next") if position < total else t("review.finish")
    nav = element(
        "div",
        {"class": "sq-review-nav"},
        _button("review-next", label, "sq-primary sq-review-next", hidden=True),
    )
    return element(
        "section",
        {
            "class": "sq-review",
            "data-review": "1",
            "data-position": str(position),
            "data-total": str(total),
            "aria-labelledby": heading_id,
        },
        heading + bar + hint + question_html + nav,
    )


def render_review_empty(*, t: Texts = ENGLISH) -> str:
    return element("p", {"class": "sq-review-empty"}, escape(t("review.nothing_due")))


def render_review_summary(
    summary: ReviewSummary, *, instance: str = "sq", t: Texts = ENGLISH
) -> str:
    """How the session went, when its questions come back, and what to do now."""
    heading_id = dom_id(instance, "review", "title")
    heading = element(
        "h3",
        {"id": heading_id, "class": "sq-review-title", "tabindex": "-1"},
        escape(t("review.done_title")),
    )
    result = element(
        "p",
        {"class": "sq-review-result"},
        escape(
            t.plural("review.result", summary.cards, answered=summary.answered, right=summary.right)
        ),
    )
    back = summary.next_review_on
    when = ""
    if back is not None:
        words = (
            t("review.comes_back_today")
            if back <= summary.today
            else t("review.comes_back", date=t.date(back))
        )
        when = element("p", {"class": "sq-review-comes-back"}, escape(words))
    buttons = _button("review-done", t("review.back"), "sq-review-done")
    more = ""
    if summary.still_due:
        more = element(
            "p",
            {"class": "sq-review-more"},
            escape(t.plural("review.still_due", summary.still_due)),
        )
        buttons = _button("review", t("review.again"), "sq-primary sq-review-again") + buttons
    return element(
        "section",
        {"class": "sq-review sq-review-summary", "aria-labelledby": heading_id},
        heading + result + when + more + element("div", {"class": "sq-review-nav"}, buttons),
    )
