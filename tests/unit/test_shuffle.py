from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.quiz.models import Quiz
from socratiq_local.quiz.shuffle import questions_for, seeded_order

from .questions import QUIZ


@given(items=st.lists(st.text(max_size=8), unique=True, max_size=30), seed=st.text(max_size=10))
def test_seeded_order_is_a_stable_permutation(items: list[str], seed: str) -> None:
    first = seeded_order(items, seed, "q1", str)
    assert sorted(first) == sorted(items)
    assert seeded_order(list(reversed(items)), seed, "q1", str) == first


def test_seeded_order_depends_on_seed_and_scope() -> None:
    items = [str(i) for i in range(20)]
    orders = {tuple(seeded_order(items, seed, scope, str)) for seed in "ab" for scope in "xy"}
    assert len(orders) == 4


def test_seeded_order_is_pinned_across_python_versions() -> None:
    # Hash-based, so the same on CPython and Pyodide; a change here reshuffles every learner.
    assert "".join(seeded_order(list("abcdefgh"), "s", "q", str)) == "cbdfhgae"


def _quiz(**options: object) -> Quiz:
    questions = [
        {"type": "true_false", "id": f"q{i}", "text": f"Q{i}", "answer": True} for i in range(10)
    ]
    return Quiz.model_validate({"id": "z", "title": "Z", "questions": questions, **options})


def test_questions_in_file_order_by_default() -> None:
    assert [q.id for q in questions_for(_quiz(), "s")] == [f"q{i}" for i in range(10)]


def test_subset_is_stable_per_learner_and_differs_between_learners() -> None:
    quiz = _quiz(subset=3)
    picks = {tuple(q.id for q in questions_for(quiz, f"learner-{n}")) for n in range(10)}
    assert all(len(p) == 3 for p in picks)
    assert len(picks) > 1
    assert questions_for(quiz, "learner-1") == questions_for(quiz, "learner-1")
    chosen = [q.id for q in questions_for(quiz, "learner-1")]
    assert chosen == sorted(chosen, key=lambda i: int(i[1:]))  # kept in file order


def test_shuffled_questions_are_a_stable_permutation() -> None:
    quiz = _quiz(shuffle_questions=True)
    order = [q.id for q in questions_for(quiz, "s")]
    assert sorted(order) == sorted(q.id for q in quiz.questions)
    assert order != [q.id for q in quiz.questions]
    assert order == [q.id for q in questions_for(quiz, "s")]


def test_section_filter_uses_question_section_then_quiz_section() -> None:
    quiz = Quiz.model_validate(
        {
            "id": "z",
            "title": "Z",
            "section": "sec-a",
            "questions": [
                {"type": "true_false", "id": "a1", "text": "A", "answer": True},
                {"type": "true_false", "id": "b1", "text": "B", "answer": True, "section": "sec-b"},
            ],
        }
    )
    assert [q.id for q in questions_for(quiz, "s", "sec-a")] == ["a1"]
    assert [q.id for q in questions_for(quiz, "s", "sec-b")] == ["b1"]
    assert questions_for(quiz, "s", "sec-c") == []
    assert len(questions_for(QUIZ, "s", "sec-a")) == len(QUIZ.questions)
