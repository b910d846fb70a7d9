"""The last answer kept per question: small, bounded, and given back as grading takes it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.kept import MAX_KEPT_CHARS, MAX_TEXT, keep, restore
from socratiq_local.quiz.models import AnyQuestion

from .keys import right_answer, wrong_answer
from .questions import BY_ID, QUIZ


@pytest.mark.parametrize("question", QUIZ.questions, ids=lambda q: q.id)
def test_a_kept_answer_comes_back_and_grades_the_same(question: AnyQuestion) -> None:
    for answer in (right_answer(question), wrong_answer(question)):
        kept = keep(question, answer)
        back = restore(question, json.loads(json.dumps(kept)))
        assert grade(question, back) == grade(question, answer)


def test_ids_are_kept_as_positions() -> None:
    assert keep(BY_ID["sc"], "b") == 1
    assert keep(BY_ID["mc"], ["b", "a"]) == [0, 1]
    assert keep(BY_ID["ma"], {"p1": "x1"}) == [3, -1, -1]
    assert restore(BY_ID["ma"], [3, -1, -1]) == {"p1": "x1"}
    assert keep(BY_ID["sa"], {"rating": "good", "text": "short"}) == [2, "short"]


def test_typed_text_is_cut_and_a_cut_short_answer_says_so() -> None:
    long = "x" * 500
    kept = keep(BY_ID["sa"], {"rating": "hard", "text": long})
    assert kept == [1, "x" * MAX_TEXT["short_answer"]]
    assert restore(BY_ID["sa"], kept) == {
        "rating": "hard",
        "text": "x" * MAX_TEXT["short_answer"] + "…",
    }
    assert keep(BY_ID["fb"], [long, "relu"]) == ["x" * MAX_TEXT["fill_blank"], "relu"]


@given(st.lists(st.text(max_size=100), min_size=2, max_size=2))
def test_a_kept_answer_is_never_longer_than_the_bound(typed: list[str]) -> None:
    kept = keep(BY_ID["fb"], typed)
    assert kept is None or len(json.dumps(kept, ensure_ascii=False)) <= MAX_KEPT_CHARS


def test_an_answer_that_no_longer_fits_the_question_is_not_restored() -> None:
    assert restore(BY_ID["sc"], 7) is None
    assert restore(BY_ID["fb"], ["only one"]) is None
    assert restore(BY_ID["or"], [0, 1]) is None
    assert restore(BY_ID["tf"], "yes") is None
    assert restore(BY_ID["sc"], None) is None
    assert keep(BY_ID["sc"], "no such choice") is None
