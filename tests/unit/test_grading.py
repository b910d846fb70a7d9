import json
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.i18n import load_table
from socratiq_local.quiz.grading import (
    GradeResult,
    Problem,
    Verdict,
    grade,
    is_empty,
    wants_model_answer,
)
from socratiq_local.quiz.models import Quiz

from .questions import BY_ID, QUIZ

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@pytest.mark.parametrize(
    ("qid", "answer", "correct", "score"),
    [
        ("sc", "b", True, 1.0),
        ("sc", "a", False, 0.0),
        ("mc", ["a", "b"], True, 1.0),
        ("mc", ["b", "a"], True, 1.0),
        ("mc", ["a"], False, 0.5),
        ("mc", ["a", "c"], False, 0.0),
        ("mc", ["a", "b", "c"], False, 0.5),
        ("mc", ["a", "b", "c", "d"], False, 0.0),
        ("mc", [], False, 0.0),
        ("tf", True, True, 1.0),
        ("tf", False, False, 0.0),
        ("fb", ["8", "relu"], True, 1.0),
        ("fb", [" Eight ", "Rectified  Linear-Unit."], True, 1.0),
        ("fb", ["8.0", "ReLU"], True, 1.0),
        ("fb", ["9", "ReLU"], False, 0.5),
        ("sa", "good", True, 1.0),
        ("sa", {"rating": "hard", "text": "smaller"}, True, 0.5),
        ("sa", "again", False, 0.0),
        ("or", ["Ingest", "Clean", "Train", "Serve"], True, 1.0),
        ("ma", {"p1": "p1", "p2": "p2", "p3": "p3"}, True, 1.0),
        ("ma", {"p1": "p1", "p2": "p3", "p3": "x1"}, False, 1 / 3),
        ("ma", {"p1": "p1"}, False, 1 / 3),
        ("nu", 102.4, True, 1.0),
        ("nu", "102.8", True, 1.0),
        ("nu", "102.4 MB", True, 1.0),
        ("nu", 103, False, 0.0),
        ("nr", 10, True, 1.0),
        ("nr", "20", True, 1.0),
        ("nr", 20.5, False, 0.0),
        ("nrel", "1,049", True, 1.0),
        ("nrel", "1.05e3", True, 1.0),
        ("nrel", 1051, False, 0.0),
    ],
)
def test_grades(qid: str, answer: object, correct: bool, score: float) -> None:
    question = BY_ID[qid]
    if qid == "or":  # item ids are derived from content: the answer names items by text
        by_text = {item.text: item.id for item in question.items}
        answer = [by_text[text] for text in answer]
    result = grade(question, answer)
    assert result.valid
    assert result.correct is correct
    assert result.score == pytest.approx(score)
    if qid != "sa":
        assert result.rating == ("good" if correct else "again")


def test_ordering_partial_credit_counts_pairs_in_order() -> None:
    question = BY_ID["or"]
    ids = [item.id for item in question.items]
    one_swap = [ids[1], ids[0], ids[2], ids[3]]
    reversed_ids = ids[::-1]
    assert grade(question, one_swap).score == pytest.approx(5 / 6)
    assert grade(question, reversed_ids).score == 0.0
    assert grade(question, one_swap).parts == [False, False, True, True]


def test_results_are_language_neutral_verdicts_with_feedback_by_part() -> None:
    wrong = grade(BY_ID["sc"], "a")
    assert wrong.feedback == {"a": "32-bit floats."}
    assert wrong.verdict == "incorrect" and wrong.problem is None
    picked_storage = grade(BY_ID["mc"], ["a", "d"])
    assert picked_storage.feedback == {"d": "Storage, not compute."}
    assert picked_storage.score == 0.0
    assert picked_storage.verdict == "incorrect"
    assert grade(BY_ID["mc"], ["a"]).verdict == "partial"
    assert grade(BY_ID["mc"], ["a", "b"]).verdict == "correct"
    assert grade(BY_ID["tf"], False).verdict == "incorrect"
    assert grade(BY_ID["ma"], {"p1": "p2"}).parts == [False, False, False]
    assert "message" not in GradeResult.model_fields and "solution" not in GradeResult.model_fields


def test_self_rating_is_kept_for_spaced_review() -> None:
    assert grade(BY_ID["sa"], "easy").rating == "easy"
    assert grade(BY_ID["sa"], {"rating": "hard"}).rating == "hard"


@pytest.mark.parametrize(
    ("qid", "answer", "problem", "values"),
    [
        ("sc", ["b"], "choice_id", {}),
        ("sc", "zz", "unknown_choice", {"id": "zz"}),
        ("mc", "a", "choice_ids", {}),
        ("mc", ["a", "zz"], "unknown_choice", {"id": "zz"}),
        ("tf", "true", "true_false", {}),
        ("tf", 1, "true_false", {}),
        ("fb", ["8"], "answer_count", {"expected": 2, "got": 1}),
        ("fb", "8", "texts", {"count": 2}),
        ("sa", "great", "rating", {}),
        ("sa", {"rating": "good", "text": 3}, "text", {}),
        ("or", ["x"], "every_item", {}),
        ("or", "x", "item_ids", {}),
        ("ma", {"p1": "nope"}, "unknown_option", {"id": "nope"}),
        ("ma", {"zz": "p1"}, "unknown_prompt", {"id": "zz"}),
        ("ma", ["p1"], "matches", {}),
        ("nu", "about a hundred", "number", {}),
        ("nu", True, "number", {}),
        ("nu", None, "number", {}),
        ("nu", float("nan"), "number", {}),
    ],
)
def test_wrong_shape_is_invalid_with_a_reason_to_translate(
    qid: str, answer: object, problem: str, values: dict[str, object]
) -> None:
    result = grade(BY_ID[qid], answer)
    assert not result.valid
    assert not result.correct
    assert result.score == 0.0
    assert result.verdict == "invalid"
    assert (result.problem, result.problem_values) == (f"grade.problem.{problem}", values)


def test_every_reason_and_verdict_has_english_words() -> None:
    english = load_table("en").strings
    assert set(get_args(Problem)) <= set(english)
    assert {f"feedback.{v}" for v in get_args(Verdict) if v != "invalid"} <= set(english)
    assert "feedback.invalid" in english


@pytest.mark.parametrize(
    ("qid", "typed", "decimal", "correct"),
    [
        ("nu", "102,4", ",", True),
        ("nu", "102,4 MB", ",", True),
        ("nu", "102.4", ",", True),  # a point that cannot group thousands is a decimal point
        ("nu", "102,4", ".", None),  # in English a comma only groups thousands: no number
        ("nrel", "1.049", ",", True),  # German grouping: 1049
        ("nrel", "1,049", ",", False),  # German decimal: 1.049
        ("nrel", "1,049", ".", True),
    ],
)
def test_numbers_are_read_with_the_readers_decimal_mark(
    qid: str, typed: str, decimal: str, correct: bool | None
) -> None:
    result = grade(BY_ID[qid], typed, decimal)
    assert result.valid is (correct is not None)
    assert result.correct is bool(correct)


def test_fill_blank_and_numeric_agree_on_decimal_commas() -> None:
    quiz = Quiz.model_validate(
        {
            "id": "q",
            "title": "t",
            "questions": [
                {"type": "fill_blank", "id": "f", "text": "Scale: ____",
                 "blanks": [{"accepted": ["0.02"], "tolerance": 0.0005}]},
                {"type": "numeric", "id": "n", "text": "Latency?", "value": 110.5},
            ],
        }
    )  # fmt: skip
    fill, numeric = quiz.questions
    for decimal in (",", "."):
        typed = "0,02" if decimal == "," else "0.02"
        assert grade(fill, [typed], decimal).correct
        assert grade(
            numeric, typed.replace("0,02", "110,5").replace("0.02", "110.5"), decimal
        ).correct
    assert not grade(fill, ["0,02"], ".").correct  # English: "0,02" is no number
    assert not grade(numeric, "110,5", ".").valid


@pytest.mark.parametrize(
    ("qid", "answer", "empty"),
    [
        ("sc", None, True),
        ("sc", "", True),
        ("mc", [], True),
        ("fb", ["", "  "], True),
        ("fb", ["", "8"], False),
        ("ma", {}, True),
        ("ma", {"p1": ""}, True),
        ("nu", " ", True),
        ("nu", "0", False),
        ("sa", {"text": " ", "rating": "easy"}, True),
        ("sa", {"text": "", "rating": "again"}, False),  # "I don't know"
        ("sa", {"text": "smaller"}, False),
        ("sa", "easy", True),  # a rating with no text
        ("sa", "again", False),
        ("tf", False, False),
    ],
)
def test_empty_answers_are_recognised(qid: str, answer: object, empty: bool) -> None:
    assert is_empty(BY_ID[qid], answer) is empty


def test_a_short_answers_text_alone_asks_for_the_model_answer() -> None:
    assert wants_model_answer(BY_ID["sa"], {"text": "smaller"})
    assert not wants_model_answer(BY_ID["sa"], {"text": "smaller", "rating": "good"})
    assert not wants_model_answer(BY_ID["sc"], {"text": "a"})


def test_ordering_rejects_duplicates() -> None:
    question = BY_ID["or"]
    ids = [item.id for item in question.items]
    assert not grade(question, [ids[0], ids[0], ids[2], ids[3]]).valid


@given(answer=json_values)
def test_grading_any_json_never_raises_and_scores_stay_in_range(answer: object) -> None:
    for question in QUIZ.questions:
        result = grade(question, answer)
        assert 0.0 <= result.score <= 1.0
        if not result.valid:
            assert (result.correct, result.score, result.rating) == (False, 0.0, "again")
        json.dumps(result.model_dump())


@given(picked=st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True))
def test_multiple_choice_partial_credit_rule(picked: list[str]) -> None:
    result = grade(BY_ID["mc"], picked)
    hits = len({"a", "b"} & set(picked))
    misses = len({"c", "d"} & set(picked))
    assert result.score == pytest.approx(max(0.0, (hits - misses) / 2))
    assert result.correct == (set(picked) == {"a", "b"})


@given(order=st.permutations(range(4)))
def test_ordering_score_in_range_and_exact_only_when_identity(order: list[int]) -> None:
    question = BY_ID["or"]
    ids = [question.items[i].id for i in order]
    result = grade(question, ids)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (order == [0, 1, 2, 3])


def test_single_choice_with_no_right_answer_marks_everything_wrong() -> None:
    quiz = Quiz.model_validate(
        {
            "id": "q",
            "title": "t",
            "questions": [
                {"type": "single_choice", "text": "?", "choices": [{"text": "a"}, {"text": "b"}]}
            ],
        }
    )
    question = quiz.questions[0]
    assert question.type == "single_choice"
    assert not grade(question, question.choices[0].id).correct
