"""Answers from submitted forms: the rendered controls, filled as a learner fills them and read
back as `new FormData(form, submitter)` lists them, give the answer grading expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socratiq_local.browser import worker
from socratiq_local.browser.session import Session
from socratiq_local.quiz.checks import load_quiz
from socratiq_local.quiz.form import answer_from_fields
from socratiq_local.quiz.grading import grade, is_empty
from socratiq_local.quiz.models import AnyQuestion, Quiz, ShortAnswer
from socratiq_local.render.question import Shown, render_question

from .keys import right_answer, wrong_answer
from .test_browser_session import NOW, ask, moment
from .test_render import Node, parse
from .test_render_question import make_quiz

QUIZZES = Path(__file__).parents[2] / "quizzes"
SAMPLES = [
    load_quiz(path.read_text(encoding="utf-8"), path.name)
    for path in sorted(QUIZZES.glob("*.json"))
    if path.name != "quiz.schema.json"
]
CASES = [(quiz, question) for quiz in [make_quiz(), *SAMPLES] for question in quiz.questions]


def fill(form: Node, question: AnyQuestion, answer: object) -> None:
    """Set the controls as the learner would for `answer` (a JSON answer of grading's shape)."""
    for control in form.walk():
        name, value = control.attrs.get("name") or "", control.attrs.get("value")
        if control.tag == "input" and control.attrs.get("type") in ("radio", "checkbox"):
            picked = answer if isinstance(answer, list) else [answer]
            said = [str(p).lower() if isinstance(p, bool) else p for p in picked]
            if value in said:
                control.attrs["checked"] = ""
        elif name.startswith("blank-") and isinstance(answer, list):
            control.attrs["value"] = answer[int(name.removeprefix("blank-"))]
        elif name.startswith("pair:") and isinstance(answer, dict):
            control.attrs["data-chosen"] = answer.get(name.removeprefix("pair:"), "")
        elif name == "value":
            control.attrs["value"] = str(answer)
    if question.type == "ordering" and isinstance(answer, list):  # the learner moved the items
        ol = form.find("ol")
        by_id = {li.find("input").attrs["value"]: li for li in ol.find_all("li")}
        ol.children = [by_id[item_id] for item_id in answer]


def form_data(form: Node, submitter: Node | None = None) -> list[tuple[str, str]]:
    """The string entries of `new FormData(form, submitter)`, in document order."""
    entries = []
    for control in form.walk():
        name = control.attrs.get("name")
        if not name:
            continue
        kind = control.attrs.get("type")
        if control.tag == "input" and kind in ("radio", "checkbox"):
            if "checked" in control.attrs:
                entries.append((name, control.attrs.get("value") or "on"))
        elif control.tag == "input":
            entries.append((name, control.attrs.get("value") or ""))
        elif control.tag == "select":
            entries.append((name, control.attrs.get("data-chosen", "")))
        elif control.tag == "textarea":
            entries.append((name, control.text()))
        elif control.tag == "button" and control is submitter:
            entries.append((name, control.attrs.get("value") or ""))
    return entries


def submitted(quiz: Quiz, question: AnyQuestion, answer: object) -> list[tuple[str, str]]:
    """The fields of the form as the learner submits `answer`; a short answer's rating is
    pressed on the form that shows the model answer to compare with."""
    shown = Shown(answer, None, "compare") if isinstance(question, ShortAnswer) else None
    html = render_question(question, quiz=quiz, seed="learner", shown=shown)
    form = parse(html).find("form")
    fill(form, question, answer)
    rating = answer.get("rating") if isinstance(answer, dict) else answer
    submitter = next(
        (b for b in form.find_all("button") if b.attrs.get("name") and b.attrs["value"] == rating),
        None,
    )
    return form_data(form, submitter)


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize(("quiz", "question"), CASES, ids=[q.id for _, q in CASES])
def test_a_filled_form_gives_the_answer_and_its_grade(
    quiz: Quiz, question: AnyQuestion, right: bool
) -> None:
    answer = right_answer(question) if right else wrong_answer(question)
    if isinstance(question, ShortAnswer) and not isinstance(answer, dict):
        answer = {"rating": answer, "text": "Because."}
    fields = submitted(quiz, question, answer)
    read = answer_from_fields(question, fields)
    if question.type == "numeric":
        assert float(str(read)) == answer
    elif question.type == "multiple_choice":  # in the order shown, which grading ignores
        assert sorted(read) == sorted(answer)  # type: ignore[call-overload]
    else:
        assert read == answer
    assert grade(question, read).correct is right


@pytest.mark.parametrize(("quiz", "question"), CASES, ids=[q.id for _, q in CASES])
def test_an_untouched_form_gives_no_answer_and_a_short_answer_asks_for_its_rating(
    quiz: Quiz, question: AnyQuestion
) -> None:
    form = parse(render_question(question, quiz=quiz, seed="learner")).find("form")
    read = answer_from_fields(question, form_data(form))
    if question.type == "ordering":  # the items are always in some order: the scrambled one
        assert sorted(read) == sorted(i.id for i in question.items)  # type: ignore[arg-type]
    elif isinstance(question, ShortAnswer):
        assert read == {"text": ""}  # nothing written: grading's is_empty asks for text
        assert is_empty(question, read)
    else:
        assert read is None


@pytest.mark.parametrize(
    ("question_type", "fields", "answer"),
    [
        ("fill_blank", [("blank-1", "HBM"), ("blank-0", "  ")], ["  ", "HBM"]),
        ("fill_blank", [("blank-0", " "), ("blank-1", "")], None),
        ("fill_blank", [("blank-7", "x")], None),
        ("numeric", [("value", "  ")], None),
        ("numeric", [("value", "1,024")], "1,024"),
        ("true_false", [("choice", "false")], False),
        ("true_false", [("choice", "maybe")], "maybe"),
        ("matching", [("pair:p1", ""), ("pair:p2", "d1")], {"p2": "d1"}),
        ("short_answer", [("text", "So."), ("rating", "hard")], {"rating": "hard", "text": "So."}),
        ("short_answer", [("rating", "good")], {"rating": "good", "text": ""}),
        ("multiple_choice", [("choice", "a"), ("other", "b"), ("choice", "b")], ["a", "b"]),
    ],
)  # fmt: skip
def test_form_readers_take_only_their_names(
    question_type: str, fields: list[tuple[str, str]], answer: object
) -> None:
    question = make_quiz(question_type).questions[0]
    assert answer_from_fields(question, fields) == answer


def test_a_foreign_value_is_graded_invalid_not_crashed() -> None:
    question = make_quiz("true_false").questions[0]
    result = grade(question, answer_from_fields(question, [("choice", "maybe")]))
    assert result.valid is False


def send(**message: Any) -> dict[str, Any]:
    return ask({"now": NOW.timestamp() * 1000, **message})


def test_the_worker_checks_a_form_asks_for_an_answer_and_rates_a_short_answer() -> None:
    send(op="init", book="forms", writerId="w0")
    quiz = make_quiz()
    send(op="quiz", source=quiz.model_dump_json(), sourceName="q.json")
    tf, sa = (
        next(q for q in quiz.questions if q.type == t) for t in ("true_false", "short_answer")
    )
    empty = send(op="check", quizId=quiz.id, questionId=tf.id, fields=[])["result"]
    assert (empty["stage"], empty["recorded"], empty["writes"]) == ("nudge", False, [])
    right = send(op="check", quizId=quiz.id, questionId=tf.id, fields=[["choice", "true"]])
    assert right["result"]["recorded"] is True and right["result"]["correct"] is True
    written = send(op="check", quizId=quiz.id, questionId=sa.id, fields=[["text", "Because."]])
    assert (written["result"]["stage"], written["result"]["recorded"]) == ("compare", False)
    buttons = parse(written["result"]["html"]).find_all("button", name="rating")
    assert {b.attrs["type"] for b in buttons} == {"submit"} and len(buttons) == 4
    rated = send(
        op="check", quizId=quiz.id, questionId=sa.id, fields=[["text", "x"], ["rating", "hard"]]
    )
    assert (rated["result"]["recorded"], rated["result"]["score"]) == (True, 0.5)
    broken = send(op="check", quizId=quiz.id, questionId=tf.id, fields=[["choice", 1]])
    assert broken["error"] == (
        "The quiz engine cannot use this “check” request: fields[0][1] has the wrong type or value."
    )


@pytest.mark.parametrize(
    ("lang", "code", "direction"),
    [("de-AT", "de", "ltr"), ("ar", "ar", "rtl"), ("xx", "en", "ltr")],
)
def test_the_session_keeps_the_pages_language(lang: str, code: str, direction: str) -> None:
    session = Session.start("b", "w0", {}, moment(), lang=lang)
    assert (session.t.code, session.t.dir) == (code, direction)
    send(op="init", book="b", writerId="w0", lang=lang)
    assert worker._session is not None and worker._session.t.code == code


def test_a_page_without_a_language_gets_english() -> None:
    send(op="init", book="b", writerId="w0")
    assert worker._session is not None and worker._session.t.code == "en"
