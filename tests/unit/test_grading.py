import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.quiz.grading import grade
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


def test_feedback_solution_and_explanation() -> None:
    wrong = grade(BY_ID["sc"], "a")
    assert wrong.feedback == ["32-bit floats."]
    assert wrong.solution == "INT8"
    assert wrong.explanation == "INT8 is 8 bits."
    assert wrong.message == "Not quite."
    picked_storage = grade(BY_ID["mc"], ["a", "d"])
    assert picked_storage.feedback == ["Storage, not compute."]
    assert picked_storage.score == 0.0
    assert picked_storage.message == "Not quite."
    assert grade(BY_ID["mc"], ["a"]).message == "Partly right: 50%."
    assert grade(BY_ID["nu"], 1).solution == "102.4 MB (± 0.5)"
    assert grade(BY_ID["nr"], 1).solution == "between 10 and 20"


def test_self_rating_is_kept_for_spaced_review() -> None:
    assert grade(BY_ID["sa"], "easy").rating == "easy"
    assert grade(BY_ID["sa"], {"rating": "hard"}).rating == "hard"


@pytest.mark.parametrize(
    ("qid", "answer", "reason"),
    [
        ("sc", ["b"], "expected one choice id"),
        ("sc", "zz", "unknown choice 'zz'"),
        ("mc", "a", "expected a list of choice ids"),
        ("mc", ["a", "zz"], "unknown choice 'zz'"),
        ("tf", "true", "expected true or false"),
        ("tf", 1, "expected true or false"),
        ("fb", ["8"], "expected 2 answers, got 1"),
        ("fb", "8", "expected a list of 2 texts"),
        ("sa", "great", "expected a self-rating"),
        ("sa", {"rating": "good", "text": 3}, "text of a short answer must be a string"),
        ("or", ["x"], "every item exactly once"),
        ("ma", {"p1": "nope"}, "unknown option 'nope'"),
        ("ma", {"zz": "p1"}, "unknown left prompt 'zz'"),
        ("ma", ["p1"], "expected an object"),
        ("nu", "about a hundred", "expected a number"),
        ("nu", True, "expected a number"),
        ("nu", None, "expected a number"),
        ("nu", float("nan"), "expected a number"),
    ],
)
def test_wrong_shape_is_invalid_not_an_exception(qid: str, answer: object, reason: str) -> None:
    result = grade(BY_ID[qid], answer)
    assert not result.valid
    assert not result.correct
    assert result.score == 0.0
    assert reason in result.message


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
