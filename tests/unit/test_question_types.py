"""One list of question types (quiz/models.py `AnyQuestion`): every per-type table follows it.

Adding a type to the union must fail here until it can be graded, read from a form, kept
across reloads and drawn (the renderer's exhaustive `match` is checked by mypy).
"""

from __future__ import annotations

from typing import get_args

import pytest

from socratiq_local.quiz import grading
from socratiq_local.quiz.form import FORM_READERS
from socratiq_local.quiz.kept import keep, restore
from socratiq_local.quiz.models import QUESTION_MODELS, QUESTION_TYPES, AnyQuestion, Quiz
from socratiq_local.render.question import render_question

from .keys import right_answer
from .questions import QUIZ


def test_the_type_names_come_from_the_union() -> None:
    assert tuple(QUESTION_MODELS.values()) == get_args(AnyQuestion)
    assert tuple(m.model_fields["type"].default for m in get_args(AnyQuestion)) == QUESTION_TYPES
    assert len(set(QUESTION_TYPES)) == len(QUESTION_TYPES)


@pytest.mark.parametrize(
    ("name", "table"),
    [("graders", grading._GRADERS), ("form readers", FORM_READERS)],
)
def test_every_table_covers_every_type(name: str, table: dict[str, object]) -> None:
    assert tuple(table) == QUESTION_TYPES, name


def test_the_shared_test_quiz_has_every_type() -> None:
    assert {q.type for q in QUIZ.questions} == set(QUESTION_TYPES)


@pytest.mark.parametrize("question", QUIZ.questions, ids=[q.type for q in QUIZ.questions])
def test_every_type_is_graded_kept_and_drawn(question: AnyQuestion) -> None:
    answer = right_answer(question)
    assert grading.grade(question, answer).correct
    assert grading.grade(question, restore(question, keep(question, answer))).correct
    html = render_question(question, quiz=Quiz.model_validate(QUIZ.model_dump()), seed="s")
    assert f'data-question-type="{question.type}"' in html
