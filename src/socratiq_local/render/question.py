"""Questions and quizzes as accessible HTML forms, for the browser runtime to insert and read.

Each question is a `<form class="sq-question">` holding a `<fieldset>` whose `<legend>` is
the question text, real form controls with labels, a "Check" submit button and an empty
`role="status"` element for the feedback. Element ids start with the caller's `instance`,
then the quiz id and question id, so several quizzes can share a page.
"""

from __future__ import annotations

from ..quiz.models import (
    BLANK_PATTERN,
    AnyQuestion,
    FillBlank,
    Matching,
    MatchPair,
    MultipleChoice,
    Numeric,
    Ordering,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..quiz.shuffle import questions_for
from .markdown import markdown_to_text, render_markdown, render_markdown_compact
from .markdown import render_markdown_with_slots as render_with_slots
from .markup import dom_id, element, escape, open_tag
from .order import choice_order, scrambled_order

CHOOSE = "Choose…"


class _Ids:
    """Element ids of one question: the form's, and its parts' by role and key."""

    def __init__(self, instance: str, quiz: Quiz, question: AnyQuestion) -> None:
        self._parts = (instance, quiz.id, question.id)
        self.form = dom_id(*self._parts)

    def of(self, *role_and_key: str) -> str:
        return dom_id(*self._parts, *role_and_key)


def _instructions(text: str) -> str:
    return element("p", {"class": "sq-instructions"}, escape(text))


def _labelled_input(input_type: str, *, ids: _Ids, key: str, value: str, label_html: str) -> str:
    control_id = ids.of("choice", key)
    control = open_tag(
        "input", {"type": input_type, "id": control_id, "name": "choice", "value": value}
    )
    label = element("label", {"for": control_id}, label_html)
    return element("div", {"class": "sq-choice"}, control + label)


def _choices(question: SingleChoice | MultipleChoice, quiz: Quiz, seed: str, ids: _Ids) -> str:
    input_type = "radio" if question.type == "single_choice" else "checkbox"
    ordered = choice_order(
        question.choices, quiz=quiz, seed=seed, question_id=question.id, key=lambda c: c.id
    )
    controls = "".join(
        _labelled_input(
            input_type, ids=ids, key=c.id, value=c.id, label_html=render_markdown_compact(c.text)
        )
        for c in ordered
    )
    return element("div", {"class": "sq-choices"}, controls)


def _true_false(ids: _Ids) -> str:
    controls = "".join(
        _labelled_input("radio", ids=ids, key=value, value=value, label_html=label)
        for value, label in (("true", "True"), ("false", "False"))
    )
    return element("div", {"class": "sq-choices"}, controls)


def _blank(index: int) -> str:
    return open_tag(
        "input",
        {
            "type": "text",
            "class": "sq-blank",
            "name": f"blank-{index}",
            "aria-label": f"Blank {index + 1}",
            "autocomplete": "off",
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )


def _fill_blank_text(question: FillBlank) -> str:
    """The text with its blanks as inputs; blanks it lacks (or hides in code) come after it."""
    placed: list[int] = []

    def blank_in_text(index: int) -> str:
        if index >= len(question.blanks):
            return escape("____")
        placed.append(index)
        return _blank(index)

    text_html = render_with_slots(question.text, BLANK_PATTERN, blank_in_text)
    missing = [i for i in range(len(question.blanks)) if i not in placed]
    if not missing:
        return text_html
    extra = element("span", {"class": "sq-extra-blanks"}, " ".join(_blank(i) for i in missing))
    return f"{text_html} {extra}"


def _answer_field(control_html: str, control_id: str) -> str:
    label = element("label", {"for": control_id}, "Your answer")
    return element("div", {"class": "sq-answer-field"}, f"{label} {control_html}")


def _numeric(question: Numeric, ids: _Ids) -> str:
    control_id, unit_id = ids.of("answer"), ids.of("unit")
    unit = (
        element(
            "span", {"class": "sq-unit", "id": unit_id}, render_markdown(question.unit, inline=True)
        )
        if question.unit
        else ""
    )
    control = open_tag(
        "input",
        {
            "type": "text",
            "inputmode": "decimal",
            "class": "sq-answer",
            "id": control_id,
            "name": "value",
            "autocomplete": "off",
            "aria-describedby": unit_id if question.unit else None,
        },
    )
    return _answer_field(f"{control} {unit}".rstrip(), control_id)


def _short_answer(ids: _Ids) -> str:
    control_id = ids.of("answer")
    control = element(
        "textarea", {"class": "sq-answer", "id": control_id, "name": "text", "rows": "4"}
    )
    return _answer_field(control, control_id)


def _move_button(direction: str, item_text: str) -> str:
    attributes = {
        "type": "button",
        "class": "sq-move",
        "data-move": direction,
        "aria-label": f"Move {direction}: “{item_text}”",
    }
    return element("button", attributes, f"Move {direction}")


def _ordering(question: Ordering, seed: str) -> str:
    items = scrambled_order(question.items, seed=seed, question_id=question.id, key=lambda i: i.id)
    rows = "".join(
        element(
            "li",
            {"class": "sq-order-item"},
            open_tag("input", {"type": "hidden", "name": "order", "value": item.id})
            + element("span", {"class": "sq-item-text"}, render_markdown_compact(item.text))
            + _move_button("up", markdown_to_text(item.text) or item.text)
            + _move_button("down", markdown_to_text(item.text) or item.text),
        )
        for item in items
    )
    instructions = _instructions("Put the items in order with the Move up and Move down buttons.")
    return instructions + element("ol", {"class": "sq-order"}, rows)


def _match_row(pair: MatchPair, options_html: str, ids: _Ids) -> str:
    control_id = ids.of("pair", pair.id)
    label = element("label", {"for": control_id}, render_markdown_compact(pair.left))
    select = element("select", {"id": control_id, "name": f"pair:{pair.id}"}, options_html)
    return element("div", {"class": "sq-match"}, f"{label} {select}")


def _matching(question: Matching, quiz: Quiz, seed: str, ids: _Ids) -> str:
    options = choice_order(
        question.right_options(), quiz=quiz, seed=seed, question_id=question.id, key=lambda o: o[0]
    )
    options_html = element("option", {"value": ""}, escape(CHOOSE)) + "".join(
        element("option", {"value": option_id}, escape(markdown_to_text(text) or text))
        for option_id, text in options
    )
    rows = "".join(_match_row(pair, options_html, ids) for pair in question.pairs)
    return element("div", {"class": "sq-matches"}, rows)


def _body(question: AnyQuestion, quiz: Quiz, seed: str, ids: _Ids) -> str:
    """The answer controls; a fill-in-the-blank question has its inputs in the legend."""
    match question:
        case SingleChoice():
            return _choices(question, quiz, seed, ids)
        case MultipleChoice():
            return _instructions("Select all that apply.") + _choices(question, quiz, seed, ids)
        case TrueFalse():
            return _true_false(ids)
        case FillBlank():
            return ""
        case ShortAnswer():
            return _short_answer(ids)
        case Ordering():
            return _ordering(question, seed)
        case Matching():
            return _matching(question, quiz, seed, ids)
        case Numeric():
            return _numeric(question, ids)


def _legend(question: AnyQuestion) -> str:
    text_html = (
        _fill_blank_text(question)
        if isinstance(question, FillBlank)
        else render_markdown_compact(question.text)
    )
    return element("legend", {"class": "sq-question-text"}, text_html)


def _hint(question: AnyQuestion) -> str:
    if question.hint is None:
        return ""
    body = element("div", {"class": "sq-hint-text"}, render_markdown(question.hint))
    return element("details", {"class": "sq-hint"}, element("summary", None, "Hint") + body)


def _meta(question: AnyQuestion) -> str:
    difficulty = element(
        "small",
        {"class": "sq-difficulty", "data-difficulty": question.difficulty},
        escape(f"Difficulty: {question.difficulty}"),
    )
    tags = (
        " " + element("small", {"class": "sq-tags"}, escape("Tags: " + ", ".join(question.tags)))
        if question.tags
        else ""
    )
    return element("p", {"class": "sq-meta"}, difficulty + tags)


def render_question(question: AnyQuestion, *, quiz: Quiz, seed: str, instance: str = "sq") -> str:
    """One question as a form; `seed` (per learner) fixes the order of its choices."""
    ids = _Ids(instance, quiz, question)
    fieldset = element(
        "fieldset",
        None,
        _legend(question) + _body(question, quiz, seed, ids) + _hint(question) + _meta(question),
    )
    check = element("button", {"type": "submit", "class": "sq-check"}, "Check")
    status = element(
        "div",
        {"class": "sq-feedback", "id": ids.of("feedback"), "role": "status", "aria-live": "polite"},
    )
    attributes = {
        "class": "sq-question",
        "id": ids.form,
        "data-quiz-id": quiz.id,
        "data-question-id": question.id,
        "data-question-type": question.type,
    }
    return element("form", attributes, fieldset + check + status)


def render_quiz(quiz: Quiz, *, seed: str, section: str | None = None, instance: str = "sq") -> str:
    """A quiz's title, description and the questions this learner sees in `section`."""
    title_id = dom_id(instance, quiz.id, "quiz", "title")
    title = element(
        "h2", {"class": "sq-quiz-title", "id": title_id}, render_markdown(quiz.title, inline=True)
    )
    description = (
        element("div", {"class": "sq-quiz-description"}, render_markdown(quiz.description))
        if quiz.description
        else ""
    )
    questions = "".join(
        render_question(q, quiz=quiz, seed=seed, instance=instance)
        for q in questions_for(quiz, seed, section)
    )
    attributes = {"class": "sq-quiz", "data-quiz-id": quiz.id, "aria-labelledby": title_id}
    return element("section", attributes, title + description + questions)
