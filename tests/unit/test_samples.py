"""The sample quizzes: clean, covering every feature of the format, and each key grading right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socratiq_local.quiz.checks import check_quiz_bytes, cross_file_problems
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import (
    QUESTION_TYPES,
    AnyQuestion,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Quiz,
    SingleChoice,
)

from .keys import right_answer, wrong_answer

SAMPLES = Path(__file__).parents[2] / "quizzes"
NAMES = ("quantization", "data-pipelines", "serving")


def load(name: str) -> Quiz:
    checked = check_quiz_bytes((SAMPLES / f"{name}.json").read_bytes())
    assert checked.problems == []
    assert checked.quiz is not None
    return checked.quiz


QUIZZES = {name: load(name) for name in NAMES}
QUESTIONS = [(name, q) for name, quiz in QUIZZES.items() for q in quiz.questions]
ALL = [q for _, q in QUESTIONS]


def test_the_samples_do_not_reuse_ids_across_files() -> None:
    assert cross_file_problems(list(QUIZZES.items())) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_is_a_chapter_quiz_in_several_sections(name: str) -> None:
    quiz = QUIZZES[name]
    raw = (SAMPLES / f"{name}.json").read_text(encoding="utf-8")
    assert raw.lstrip().startswith('{\n  "$schema": "./quiz.schema.json"')
    assert quiz.id == quiz.chapter == name
    assert 8 <= len(quiz.questions) <= 12
    sections = {quiz.section_of(q) for q in quiz.questions}
    assert len(sections) >= 3
    assert all(s is not None and s.startswith(f"sec-{name}-") for s in sections)


def test_every_question_type_is_used() -> None:
    assert {q.type for q in ALL} == set(QUESTION_TYPES)


def test_every_numeric_way_of_being_right_is_used() -> None:
    numeric = [q for q in ALL if isinstance(q, Numeric)]
    assert any(q.value is not None and q.tolerance > 0 for q in numeric)
    assert any(q.value is not None and q.relative_tolerance > 0 for q in numeric)
    assert any(q.min is not None and q.max is not None for q in numeric)
    fills = [q for q in ALL if isinstance(q, FillBlank)]
    assert any(b.tolerance for q in fills for b in q.blanks)
    assert any(len(q.blanks) > 1 for q in fills)


def test_the_authoring_features_are_all_shown() -> None:
    choices = [c for q in ALL if isinstance(q, SingleChoice | MultipleChoice) for c in q.choices]
    matching = [q for q in ALL if isinstance(q, Matching)]
    assert all(q.explanation and q.tags and q.objective for q in ALL)
    assert sum(q.hint is not None for q in ALL) >= len(ALL) // 2
    assert {q.difficulty for q in ALL} == {"easy", "medium", "hard"}
    assert sum(c.feedback is not None for c in choices) >= len(choices) // 2
    assert any(q.distractors for q in matching)
    assert any(re.search(r"\$[^$\n]+\$", q.text) for q in ALL)
    assert any("```python\n" in q.text for q in ALL)


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[q.id for _, q in QUESTIONS])
def test_each_question_grades_its_own_key_right(name: str, question: AnyQuestion) -> None:
    result = grade(question, right_answer(question))
    assert result.valid and result.correct and result.score == 1.0


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[q.id for _, q in QUESTIONS])
def test_each_question_grades_a_wrong_answer_wrong(name: str, question: AnyQuestion) -> None:
    result = grade(question, wrong_answer(question))
    assert result.valid and not result.correct
