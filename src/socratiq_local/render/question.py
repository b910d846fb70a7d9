"""Questions and quizzes as accessible HTML forms, for the browser runtime to insert and read.

Each question is a `<form class="sq-question">` holding a `<fieldset>` whose `<legend>` is
the question text, real form controls with labels, its buttons and a feedback element. Element
ids start with the caller's `instance`, then the quiz id and question id, so several quizzes
can share a page.

A question the learner has answered is drawn as they left it (`Shown`): their answer in the
controls, each chosen choice, blank, item or pair marked right or wrong where it is (an icon,
a class and words for screen readers), the author's feedback next to the choice it is about,
and the feedback panel (render/feedback.py) below. One element carries `data-sq-focus`: where
the page puts focus after inserting the form (never a rating button).

A quiz drawn `static` is for reading before the engine runs (integrations/prerender.py): the
same forms, laid out as the engine will draw them, with every control disabled and a "Reveal
answer" (render/reveal.py) beside each Check button, where it takes no room of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..i18n import ENGLISH, Texts
from ..quiz.grading import GradeResult
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
from .markup import Attributes, dom_id, element, escape, open_tag
from .order import choice_order, scrambled_order

#: How far the feedback went: "nudge" (nothing graded: an empty or unreadable answer), "retry"
#: (a miss with one more try), "compare" (a short answer's model answer, to rate against),
#: "final" (graded, with the solution if it was missed).
Stage = Literal["nudge", "retry", "compare", "final"]
#: How a quiz shows its questions: all at once, or one card at a time with Previous and Next.
QuizMode = Literal["list", "cards"]
Mark = Literal["right", "wrong", "missed"]

#: How many questions the engine draws at once: a long quiz (a bank of thousands) comes in
#: pages, the next on the reader's asking, so no drawing holds up the host page (issue 14).
QUESTIONS_PER_PAGE = 50

MARK_ICONS: dict[Mark, str] = {"right": "✓", "wrong": "✗", "missed": "✓"}


@dataclass(frozen=True)
class Shown:
    """A question as the learner left it: their answer (grading's shape), its grade, the
    stage of the feedback, and what to say (`nudge`, notices: already in the reader's words)."""

    answer: object
    result: GradeResult | None
    stage: Stage
    nudge: str | None = None
    after_solution: bool = False
    notices: tuple[str, ...] = field(default=())

    @property
    def solution_shown(self) -> bool:
        return self.stage == "final" and self.result is not None and not self.result.correct


class _Form:
    """One question's element ids, and which control gets the page's focus."""

    def __init__(self, instance: str, quiz: Quiz, question: AnyQuestion, focus: bool) -> None:
        self._parts = (instance, quiz.id, question.id)
        self.form = dom_id(*self._parts)
        self._focus_pending = focus

    def of(self, *role_and_key: str) -> str:
        return dom_id(*self._parts, *role_and_key)

    def control(self, attributes: dict[str, str | None]) -> dict[str, str | None]:
        """A control's attributes, `data-sq-focus` added to the first one if asked for."""
        if self._focus_pending:
            self._focus_pending = False
            return {**attributes, "data-sq-focus": ""}
        return attributes


@dataclass(frozen=True)
class _View:
    """What the controls show: the answer kept in them, their marks, and whether they lock."""

    answer: object = None
    result: GradeResult | None = None
    solution: bool = False
    locked: bool = False
    t: Texts = ENGLISH

    def mark(self, kind: Mark, words_key: str) -> str:
        icon = element("span", {"class": "sq-mark-icon", "aria-hidden": "true"}, MARK_ICONS[kind])
        words = element("span", {"class": "sq-visually-hidden"}, escape(self.t(words_key)))
        return " " + element("span", {"class": f"sq-mark sq-mark-{kind}"}, icon + words)

    def part(self, index: int) -> bool | None:
        """Whether part `index` was right, or None before grading."""
        if self.result is None or index >= len(self.result.parts):
            return None
        return self.result.parts[index]


def _instructions(text: str) -> str:
    return element("p", {"class": "sq-instructions"}, escape(text))


def _option_mark(view: _View, picked: bool, correct: bool) -> tuple[str, Mark | None]:
    """A choice's mark: picked ones right or wrong, a missed right one once solved."""
    if view.result is None:
        return "", None
    if picked:
        kind: Mark = "right" if correct else "wrong"
        return view.mark(kind, f"mark.picked_{kind}"), kind
    if correct and view.solution:
        return view.mark("missed", "mark.missed"), "missed"
    return "", None


def _labelled_input(
    input_type: str,
    *,
    form: _Form,
    view: _View,
    key: str,
    value: str,
    label_html: str,
    correct: bool,
    feedback: str | None,
) -> str:
    control_id = form.of("choice", key)
    picked = view.answer == value if input_type == "radio" else _picked(view.answer, value)
    mark_html, kind = _option_mark(view, picked, correct)
    feedback_id = form.of("choice", key, "feedback") if feedback and picked else None
    attributes: dict[str, str | None] = {
        "type": input_type,
        "id": control_id,
        "name": "choice",
        "value": value,
        "checked": "" if picked else None,
        "disabled": "" if view.locked else None,
        "aria-describedby": feedback_id,
    }
    control = open_tag("input", form.control(attributes))
    label = element("label", {"for": control_id}, element("bdi", None, label_html) + mark_html)
    note = (
        element(
            "div",
            {"class": "sq-choice-feedback", "id": feedback_id, "dir": "auto"},
            render_markdown(feedback),
        )
        if feedback and feedback_id
        else ""
    )
    css = "sq-choice" + (f" sq-{kind}" if kind else "")
    return element("div", {"class": css}, control + label + note)


def _picked(answer: object, value: str) -> bool:
    return isinstance(answer, list) and value in answer


def _choices(
    question: SingleChoice | MultipleChoice, quiz: Quiz, seed: str, form: _Form, view: _View
) -> str:
    input_type = "radio" if question.type == "single_choice" else "checkbox"
    ordered = choice_order(
        question.choices, quiz=quiz, seed=seed, question_id=question.id, key=lambda c: c.id
    )
    feedback = view.result.feedback if view.result else {}
    controls = "".join(
        _labelled_input(
            input_type,
            form=form,
            view=view,
            key=c.id,
            value=c.id,
            label_html=render_markdown_compact(c.text),
            correct=c.correct,
            feedback=feedback.get(c.id),
        )
        for c in ordered
    )
    return element("div", {"class": "sq-choices"}, controls)


def _true_false(question: TrueFalse, form: _Form, view: _View) -> str:
    said = (
        {True: "true", False: "false"}.get(view.answer) if isinstance(view.answer, bool) else None
    )
    radio_view = _View(said, view.result, view.solution, view.locked, view.t)
    feedback = view.result.feedback if view.result else {}
    controls = "".join(
        _labelled_input(
            "radio",
            form=form,
            view=radio_view,
            key=value,
            value=value,
            label_html=escape(view.t(f"question.{value}")),
            correct=question.answer == (value == "true"),
            feedback=feedback.get(value),
        )
        for value in ("true", "false")
    )
    return element("div", {"class": "sq-choices"}, controls)


def _typed(answer: object, index: int) -> str | None:
    if isinstance(answer, list) and index < len(answer):
        typed = answer[index]
        return typed if isinstance(typed, str) else None
    return None


def _blank(question: FillBlank, index: int, form: _Form, view: _View) -> str:
    right = view.part(index)
    control = open_tag(
        "input",
        form.control(
            {
                "type": "text",
                "class": "sq-blank",
                "name": f"blank-{index}",
                "data-blank-index": str(index),
                "aria-label": view.t("question.blank", number=index + 1),
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "value": _typed(view.answer, index),
                "aria-invalid": "true" if right is False else None,
                "disabled": "" if view.locked else None,
            }
        ),
    )
    if right is None:
        return control
    mark = view.mark("right", "mark.right") if right else view.mark("wrong", "mark.wrong")
    solution = (
        " "
        + element(
            "span",
            {"class": "sq-part-solution"},
            escape(view.t("feedback.part_answer", answer=question.blanks[index].accepted[0])),
        )
        if not right and view.solution
        else ""
    )
    return control + mark + solution


def _fill_blank_text(question: FillBlank, form: _Form, view: _View) -> str:
    """The text with its blanks as inputs; blanks it lacks (or hides in code) come after it."""
    placed: list[int] = []

    def blank_in_text(index: int) -> str:
        if index >= len(question.blanks):
            return escape("____")
        placed.append(index)
        return _blank(question, index, form, view)

    text_html = render_with_slots(question.text, BLANK_PATTERN, blank_in_text)
    missing = [i for i in range(len(question.blanks)) if i not in placed]
    if not missing:
        return text_html
    extra = element(
        "span",
        {"class": "sq-extra-blanks"},
        " ".join(_blank(question, i, form, view) for i in missing),
    )
    return f"{text_html} {extra}"


def _answer_field(control_html: str, control_id: str, t: Texts) -> str:
    label = element("label", {"for": control_id}, escape(t("question.your_answer")))
    return element("div", {"class": "sq-answer-field"}, f"{label} {control_html}")


def _numeric(question: Numeric, form: _Form, view: _View) -> str:
    control_id, unit_id = form.of("answer"), form.of("unit")
    unit = (
        element(
            "span", {"class": "sq-unit", "id": unit_id}, render_markdown(question.unit, inline=True)
        )
        if question.unit
        else ""
    )
    typed = view.answer
    value = (
        f"{typed:g}" if isinstance(typed, float | int) and not isinstance(typed, bool) else typed
    )
    right = None if view.result is None else view.result.correct
    control = open_tag(
        "input",
        form.control(
            {
                "type": "text",
                "inputmode": "decimal",
                "class": "sq-answer",
                "id": control_id,
                "name": "value",
                "autocomplete": "off",
                "aria-describedby": unit_id if question.unit else None,
                "value": value if isinstance(value, str) else None,
                "aria-invalid": "true" if right is False else None,
                "disabled": "" if view.locked else None,
            }
        ),
    )
    mark = (
        ""
        if right is None
        else view.mark("right", "mark.right")
        if right
        else view.mark("wrong", "mark.wrong")
    )
    return _answer_field(f"{control} {unit}".rstrip() + mark, control_id, view.t)


def _short_answer(form: _Form, view: _View, stage: Stage | None, static: bool) -> str:
    control_id = form.of("answer")
    text = view.answer.get("text") if isinstance(view.answer, dict) else None
    attributes: dict[str, str | None] = {
        "class": "sq-answer",
        "id": control_id,
        "name": "text",
        "rows": "4",
        "readonly": "" if stage in ("compare", "final") else None,
        "disabled": "" if static else None,
    }
    control = element(
        "textarea", form.control(attributes), escape(text) if isinstance(text, str) else ""
    )
    return _answer_field(control, control_id, view.t)


MOVE_ICONS = {"up": "↑", "down": "↓"}


def _move_button(direction: str, item_text: str, form: _Form, view: _View) -> str:
    """An arrow, so the item's text keeps the row's width on a phone; its name says the rest."""
    attributes = form.control(
        {
            "type": "button",
            "class": "sq-move",
            "data-move": direction,
            "aria-label": view.t(f"question.move_{direction}_item", item=item_text),
            "disabled": "" if view.locked else None,
        }
    )
    icon = element("span", {"aria-hidden": "true"}, MOVE_ICONS[direction])
    return element("button", attributes, icon)


def _ordering(question: Ordering, seed: str, form: _Form, view: _View) -> str:
    by_id = {item.id: item for item in question.items}
    answer = view.answer
    if isinstance(answer, list) and sorted(map(str, answer)) == sorted(by_id):
        items = [by_id[item_id] for item_id in answer]
    else:
        items = scrambled_order(
            question.items, seed=seed, question_id=question.id, key=lambda i: i.id
        )
    rows = []
    for position, item in enumerate(items):
        text = markdown_to_text(item.text) or item.text
        right = view.part(position)
        css = "sq-order-item" + ("" if right is None else " sq-right" if right else " sq-wrong")
        mark = (
            ""
            if right is None
            else view.mark("right", "mark.right_place")
            if right
            else view.mark("wrong", "mark.wrong_place")
        )
        if right is False and view.solution:
            place = question.items.index(item) + 1
            mark += " " + element(
                "span",
                {"class": "sq-part-solution"},
                escape(view.t("feedback.belongs_at", position=place)),
            )
        rows.append(
            element(
                "li",
                {"class": css, "data-item-id": item.id},
                open_tag("input", {"type": "hidden", "name": "order", "value": item.id})
                + element(
                    "span",
                    {"class": "sq-item-text", "dir": "auto"},
                    render_markdown_compact(item.text) + mark,
                )
                + _move_button("up", text, form, view)
                + _move_button("down", text, form, view),
            )
        )
    instructions = _instructions(view.t("question.order_instructions"))
    return instructions + element("ol", {"class": "sq-order"}, "".join(rows))


def _match_row(
    question: Matching, index: int, pair: MatchPair, options: list[tuple[str, str]],
    form: _Form, view: _View,
) -> str:  # fmt: skip
    control_id = form.of("pair", pair.id)
    chosen = view.answer.get(pair.id) if isinstance(view.answer, dict) else None
    options_html = element("option", {"value": ""}, escape(view.t("question.choose"))) + "".join(
        element(
            "option",
            {"value": option_id, "selected": "" if option_id == chosen else None},
            escape(markdown_to_text(text) or text),
        )
        for option_id, text in options
    )
    right = view.part(index)
    feedback = view.result.feedback.get(pair.id) if view.result else None
    feedback_id = form.of("pair", pair.id, "feedback") if feedback else None
    label = element(
        "label", {"for": control_id}, element("bdi", None, render_markdown_compact(pair.left))
    )
    select_attributes: dict[str, str | None] = {
        "id": control_id,
        "name": f"pair:{pair.id}",
        "data-pair-id": pair.id,
        "aria-invalid": "true" if right is False else None,
        "aria-describedby": feedback_id,
        "disabled": "" if view.locked else None,
    }
    select = element("select", form.control(select_attributes), options_html)
    after = ""
    if right is not None:
        after = view.mark("right", "mark.right") if right else view.mark("wrong", "mark.wrong")
    if right is False and view.solution:
        answer = markdown_to_text(pair.right) or pair.right
        after += " " + element(
            "span",
            {"class": "sq-part-solution"},
            escape(view.t("feedback.part_answer", answer=answer)),
        )
    if feedback and feedback_id:
        after += element(
            "div",
            {"class": "sq-choice-feedback", "id": feedback_id, "dir": "auto"},
            render_markdown(feedback),
        )
    css = "sq-match" + ("" if right is None else " sq-right" if right else " sq-wrong")
    return element("div", {"class": css}, f"{label} {select}{after}")


def _matching(question: Matching, quiz: Quiz, seed: str, form: _Form, view: _View) -> str:
    options = choice_order(
        question.right_options(), quiz=quiz, seed=seed, question_id=question.id, key=lambda o: o[0]
    )
    rows = "".join(
        _match_row(question, i, pair, options, form, view) for i, pair in enumerate(question.pairs)
    )
    return element("div", {"class": "sq-matches"}, rows)


def _body(
    question: AnyQuestion,
    quiz: Quiz,
    seed: str,
    form: _Form,
    view: _View,
    stage: Stage | None,
    static: bool,
) -> str:
    """The answer controls; a fill-in-the-blank question has its inputs in the legend."""
    match question:
        case SingleChoice():
            return _choices(question, quiz, seed, form, view)
        case MultipleChoice():
            select_all = _instructions(view.t("question.select_all"))
            return select_all + _choices(question, quiz, seed, form, view)
        case TrueFalse():
            return _true_false(question, form, view)
        case FillBlank():
            return ""
        case ShortAnswer():
            return _short_answer(form, view, stage, static)
        case Ordering():
            return _ordering(question, seed, form, view)
        case Matching():
            return _matching(question, quiz, seed, form, view)
        case Numeric():
            return _numeric(question, form, view)


def _legend(question: AnyQuestion, form: _Form, view: _View) -> str:
    text_html = (
        _fill_blank_text(question, form, view)
        if isinstance(question, FillBlank)
        else render_markdown_compact(question.text)
    )
    return element("legend", {"class": "sq-question-text", "dir": "auto"}, text_html)


def _hint(question: AnyQuestion, t: Texts, stage: Stage | None) -> str:
    if question.hint is None:
        return ""
    body = element("div", {"class": "sq-hint-text"}, render_markdown(question.hint))
    summary = element("summary", None, escape(t("question.hint")))
    attributes = {"class": "sq-hint", "open": "" if stage == "retry" else None}
    return element("details", attributes, summary + body)


def _meta(question: AnyQuestion, t: Texts) -> str:
    """The author's difficulty (if they set one) and tags, for pages that ask to show them."""
    parts = []
    if question.difficulty is not None:
        level = t(f"question.difficulty_{question.difficulty}")
        parts.append(
            element(
                "small",
                {"class": "sq-difficulty", "data-difficulty": question.difficulty},
                escape(t("question.difficulty", level=level)),
            )
        )
    if question.tags:
        tags = t("question.tags", tags=", ".join(question.tags))
        parts.append(element("small", {"class": "sq-tags"}, escape(tags)))
    return element("p", {"class": "sq-meta"}, " ".join(parts)) if parts else ""


def _button(label: str, attributes: Attributes) -> str:
    return element("button", attributes, escape(label))


def _buttons(question: AnyQuestion, stage: Stage | None, t: Texts, static: bool) -> str:
    """Check (and "I don't know" for a short answer) until graded; then "Show answer" for a
    retry and "Try again" once final. Rating buttons sit with the model answer. Drawn `static`:
    Check disabled, and "Reveal answer" in the row (in the place of "I don't know", so a
    phone's narrow row wraps no sooner than the engine's)."""
    if stage == "final":
        buttons = _button(
            t("feedback.try_again"), {"type": "button", "class": "sq-retry", "data-action": "retry"}
        )
    elif stage == "compare":
        return ""
    else:
        disabled = "" if static else None
        buttons = _button(
            t("question.check"), {"type": "submit", "class": "sq-check", "disabled": disabled}
        )
        if isinstance(question, ShortAnswer) and not static:
            buttons += " " + _button(
                t("question.dont_know"),
                {"type": "submit", "class": "sq-dont-know", "name": "rating", "value": "again"},
            )
        if stage == "retry":
            buttons += " " + _button(
                t("feedback.show_answer"),
                {"type": "button", "class": "sq-show-answer", "data-action": "show-answer"},
            )
        if static:
            from .reveal import render_reveal  # deferred: the engine never draws it

            buttons += " " + render_reveal(question, t=t)
    return element("div", {"class": "sq-actions"}, buttons)


def render_question(
    question: AnyQuestion,
    *,
    quiz: Quiz,
    seed: str,
    instance: str = "sq",
    t: Texts = ENGLISH,
    show_meta: bool = False,
    shown: Shown | None = None,
    focus: bool = False,
    static: bool = False,
) -> str:
    """One question as a form; `seed` (per learner) fixes the order of its choices.

    `shown`: draw it as the learner left it. `focus`: mark where the page puts focus after
    inserting it: the feedback's message, or a fresh form's first control ("Try again").
    `show_meta`: the author's difficulty and tags. `static`: for reading before the engine
    runs (see the module's docstring); never with `shown`."""
    stage = shown.stage if shown else None
    form = _Form(instance, quiz, question, focus and shown is None)
    view = (
        _View(
            answer=shown.answer,
            result=shown.result if stage in ("retry", "final") else None,
            solution=shown.solution_shown,
            locked=stage == "final",
            t=t,
        )
        if shown
        else _View(locked=static, t=t)
    )
    fieldset = element(
        "fieldset",
        None,
        _legend(question, form, view)
        + _body(question, quiz, seed, form, view, stage, static and shown is None)
        + _hint(question, t, stage)
        + (_meta(question, t) if show_meta else ""),
    )
    panel = ""
    if shown is not None:
        from .feedback import render_feedback  # deferred: a quiz never answered needs none

        panel = render_feedback(question, shown, t=t, focus=focus)
    status = element("div", {"class": "sq-feedback", "id": form.of("feedback")}, panel)
    attributes = {
        "class": "sq-question",
        "id": form.form,
        "data-quiz-id": quiz.id,
        "data-question-id": question.id,
        "data-question-type": question.type,
        "data-instance": instance,
        "data-stage": stage or "fresh",
        "data-show-meta": "true" if show_meta else None,
    }
    buttons = _buttons(question, stage, t, static and shown is None)
    return element("form", attributes, fieldset + buttons + status)


def render_quiz(
    quiz: Quiz,
    *,
    seed: str,
    section: str | None = None,
    instance: str = "sq",
    t: Texts = ENGLISH,
    show_title: bool = False,
    show_meta: bool = False,
    shown: Mapping[str, Shown] | None = None,
    progress: str = "",
    mode: QuizMode = "list",
    static: bool = False,
    page_size: int | None = None,
) -> str:
    """The questions this learner sees in `section`, each as `shown` (by question id) has it.

    The quiz's title and description are drawn only when asked (`show_title`: the first
    placeholder of a quiz file on a page); the section is named by the title either way.
    `progress` is the quiz's own progress line (render/rings.py), under the title in a
    `.sq-quiz-progress` box, where the page redraws it after each answer.
    `mode="cards"`: one question at a time (see `_cards`). `static`: every question drawn for
    reading before the engine runs (see the module's docstring), the section marked
    `data-sq-static` for the page to find and replace. `page_size`: only the first that many
    questions, then a marker for the rest (see `render_more_questions`)."""
    title_id = dom_id(instance, quiz.id, "quiz", "title")
    heading = ""
    if show_title:
        heading = element(
            "h2",
            {"class": "sq-quiz-title", "id": title_id, "dir": "auto"},
            render_markdown(quiz.title, inline=True),
        )
        if quiz.description:
            heading += element(
                "div",
                {"class": "sq-quiz-description", "dir": "auto"},
                render_markdown(quiz.description),
            )
    if progress:
        heading += element("div", {"class": "sq-quiz-progress"}, progress)
    history = shown or {}
    chosen = questions_for(quiz, seed, section)
    page = chosen if page_size is None else chosen[:page_size]
    forms = _forms(page, quiz, seed, instance, t, show_meta, history, static)
    more = _more_marker(len(page), len(chosen), page_size, mode, t)
    if mode == "cards":
        first = next((n for n, q in enumerate(page) if q.id not in history), 0)
        questions = element(
            "div",
            {"class": "sq-qcards"},
            _cards(forms, first, (instance, quiz.id), t, total=len(chosen)) + more,
        )
    else:
        questions = "".join(forms) + more
    attributes = {
        "class": "sq-quiz",
        "data-quiz-id": quiz.id,
        "data-mode": mode,
        "data-sq-static": "" if static else None,
    }
    if show_title:
        attributes["aria-labelledby"] = title_id
    else:
        attributes["aria-label"] = markdown_to_text(quiz.title) or quiz.title
    return element("section", attributes, heading + questions)


def render_more_questions(
    quiz: Quiz,
    start: int,
    page_size: int,
    *,
    seed: str,
    section: str | None = None,
    instance: str = "sq",
    t: Texts = ENGLISH,
    show_meta: bool = False,
    shown: Mapping[str, Shown] | None = None,
    mode: QuizMode = "list",
) -> str:
    """The next page of a long quiz (`render_quiz` with `page_size`): its questions from number
    `start`, then a marker for the rest if any. The page puts it where the last marker was: a
    list's "Show more" button, or the hidden marker after a card quiz's last card."""
    chosen = questions_for(quiz, seed, section)
    page = chosen[start : start + page_size]
    forms = _forms(page, quiz, seed, instance, t, show_meta, shown or {})
    more = _more_marker(start + len(page), len(chosen), page_size, mode, t)
    if mode == "cards":
        return _cards(forms, -1, (instance, quiz.id), t, total=len(chosen), first=start) + more
    return "".join(forms) + more


def _forms(
    page: list[AnyQuestion],
    quiz: Quiz,
    seed: str,
    instance: str,
    t: Texts,
    show_meta: bool,
    history: Mapping[str, Shown],
    static: bool = False,
) -> list[str]:
    """Each question of `page` drawn as the learner left it (`history`, by question id)."""
    return [
        render_question(
            q,
            quiz=quiz,
            seed=seed,
            instance=instance,
            t=t,
            show_meta=show_meta,
            shown=history.get(q.id),
            static=static,
        )
        for q in page
    ]


def _more_marker(drawn: int, total: int, page_size: int | None, mode: QuizMode, t: Texts) -> str:
    """Where a long quiz's next page goes (`data-sq-more`: the number of its first question):
    in a list, a button that says how many come, beside how many of how many show; in a card
    quiz, hidden (the last card's Next asks for it). Nothing once every question is drawn."""
    if page_size is None or drawn >= total:
        return ""
    attributes: Attributes = {"class": "sq-more", "data-sq-more": str(drawn)}
    if mode == "cards":
        return element("div", {**attributes, "hidden": ""})
    status = element(
        "p",
        {"class": "sq-more-status"},
        escape(t("quiz.questions_shown", shown=drawn, total=total)),
    )
    button = _button(
        t.plural("quiz.show_more", min(page_size, total - drawn)),
        {"type": "button", "class": "sq-more-button", "data-action": "show-more"},
    )
    return element("div", attributes, status + button)


def _cards(
    forms: list[str],
    showing: int,
    id_parts: tuple[str, str],
    t: Texts,
    *,
    total: int,
    first: int = 0,
) -> str:
    """Each form on a card of its own, all but card `showing` hidden: a heading that counts
    ("Question 2 of 5", focused by the page when the reader moves to its card) and Previous
    and Next buttons (`data-action="card-prev"`, `"card-next"`) for the page to act on.
    `forms` are the quiz's questions from number `first` (a later page of a long quiz) of
    `total`."""
    cards = []
    for index, form_html in enumerate(forms, start=first):
        heading_id = dom_id(*id_parts, "card", str(index + 1))
        heading = element(
            "h3",
            {"class": "sq-qcard-heading", "id": heading_id, "tabindex": "-1"},
            escape(t("cards.position", position=index + 1, total=total)),
        )
        nav = ""
        if total > 1:
            previous = _button(
                t("cards.previous"),
                {
                    "type": "button",
                    "class": "sq-qcard-prev",
                    "data-action": "card-prev",
                    "disabled": "" if index == 0 else None,
                },
            )
            following = _button(
                t("cards.next"),
                {
                    "type": "button",
                    "class": "sq-qcard-next",
                    "data-action": "card-next",
                    "disabled": "" if index == total - 1 else None,
                },
            )
            nav = element("div", {"class": "sq-qcard-nav"}, previous + following)
        attributes = {
            "class": "sq-qcard",
            "role": "group",
            "aria-labelledby": heading_id,
            "hidden": None if index - first == showing else "",
        }
        cards.append(element("div", attributes, heading + form_html + nav))
    return "".join(cards)
