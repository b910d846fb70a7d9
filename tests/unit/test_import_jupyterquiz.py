"""The JupyterQuiz importer, on inputs written from its documentation (see data/jupyterquiz)."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.importers.jupyterquiz import import_jupyterquiz, read_jupyterquiz
from socratiq_local.importers.report import ImportFailed, ImportReport
from socratiq_local.quiz.checks import check_quiz_data
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import AnyQuestion

from .keys import right_answer, wrong_answer

DATA = Path(__file__).parent / "data" / "jupyterquiz"


def load(name: str) -> ImportReport:
    return read_jupyterquiz((DATA / name).read_text(encoding="utf-8"), f"quizzes/{name}")


def documented(index: int) -> AnyQuestion:
    return load("documented.json").quizzes[0].questions[index]


def notes(report: ImportReport, prefix: str) -> list[tuple[str, str, str]]:
    return [
        (i.location, i.reason, i.action) for i in report.inexact if i.location.startswith(prefix)
    ]


def one(question: dict[str, Any]) -> tuple[AnyQuestion, ImportReport]:
    report = import_jupyterquiz([question], "one.json")
    return report.quizzes[0].questions[0], report


def test_many_choice_with_several_correct_answers_is_multiple_choice() -> None:
    q = documented(0)
    assert q.type == "multiple_choice"
    assert q.text == "Which of these can a Jupyter notebook contain?"
    assert [(c.text, c.correct, c.feedback) for c in q.choices] == [
        ("Output of Python code", True, "Yes."),
        ("Typeset mathematics", True, "Yes, with $\\LaTeX$."),
        ("Live snakes", False, "I hope not."),
    ]


def test_one_correct_answer_is_single_choice_whatever_the_type_says() -> None:
    assert documented(1).type == "single_choice"
    q, _ = one(
        {
            "question": "Q?",
            "type": "many_choice",
            "answers": [{"answer": "a", "correct": True}, {"answer": "b", "correct": False}],
        }
    )
    assert q.type == "single_choice"


def test_html_in_answers_becomes_text() -> None:
    q = documented(1)
    assert q.type == "single_choice" and q.choices[2].text == "Rich Text"
    assert documented(3).text == "Which line appends 3 to the list `xs`?"


def test_question_code_and_answers_given_as_code_become_fenced_blocks() -> None:
    q = documented(2)
    assert q.text == 'What does this code print?\n\n```\na = "1"\nb = "2"\nprint(a + b)\n```'
    code_answers = documented(3)
    assert code_answers.type == "multiple_choice"
    assert [c.text for c in code_answers.choices] == [
        "```\nxs += 3\n```",
        "```\nxs += [3]\n```",
        "```\nxs.append(3)\n```",
    ]


def test_numeric_value_is_exact_and_what_it_cannot_hold_is_reported() -> None:
    q = documented(4)
    assert q.type == "numeric" and q.value == 3.14 and q.tolerance == 0
    assert grade(q, "3.14").correct and not grade(q, "3.141").correct
    assert notes(load("documented.json"), "[4]") == [
        ("[4].answers[0]", "feedback on a typed answer has no equivalent", "dropped"),
        (
            "[4].answers[1]",
            "a second correct value or range",
            "not imported: a numeric question has one correct value or range",
        ),
        (
            "[4].answers[2]",
            "a wrong answer with its own feedback (a distractor) has no equivalent",
            "dropped: graded wrong like any other answer",
        ),
        (
            "[4].answers[3]",
            "feedback for any other answer (the default) has no equivalent",
            "dropped",
        ),
    ]


def test_precision_in_significant_digits_becomes_a_tolerance() -> None:
    q = documented(5)
    assert q.type == "numeric" and q.value == 3.14 and q.tolerance == pytest.approx(0.005)
    assert grade(q, "3.1416").correct and grade(q, "3.144").correct
    assert not grade(q, "3.146").correct and not grade(q, "3.13").correct
    assert notes(load("documented.json"), "[5]") == [
        (
            "[5].answers[0]",
            "typed answers are first rounded to 3 significant digits and compared",
            "accepted within ±0.005 of 3.14",
        )
    ]


def test_precision_rounds_large_values_too() -> None:
    q, _ = one(
        {
            "question": "Speed of light in m/s?",
            "type": "numeric",
            "precision": 2,
            "answers": [{"type": "value", "value": 299792458, "correct": True}],
        }
    )
    assert q.type == "numeric" and q.value == 3.0e8 and q.tolerance == pytest.approx(5e6)


def test_half_open_range_is_imported_closed_and_reported() -> None:
    q = documented(6)
    assert q.type == "numeric" and (q.min, q.max) == (10, 20)
    assert grade(q, "10").correct and grade(q, "19.5").correct and not grade(q, "21").correct
    assert notes(load("documented.json"), "[6]") == [
        (
            "[6].answers[0]",
            "the range [10, 20) leaves out 20",
            "imported as 10 to 20, both ends included",
        )
    ]


def test_a_wrong_answer_checked_before_the_correct_range_is_reported() -> None:
    _, report = one(
        {
            "question": "A number from 0 to 10, but not 5?",
            "type": "numeric",
            "answers": [
                {"type": "value", "value": 5, "correct": False},
                {"type": "range", "range": [0, 10], "correct": True},
                {"type": "range", "range": [2, 3], "correct": True},
            ],
        }
    )
    assert [i.reason for i in report.inexact] == [
        "the range [0, 10) leaves out 10",
        "this wrong answer overlaps the correct one and is checked first",
    ]


def test_string_question_becomes_a_blank_with_its_correct_answers() -> None:
    q = documented(7)
    assert q.type == "fill_blank"
    assert q.text == "What is the name of the Python package manager?\n\n____"
    assert [(b.accepted, b.case_sensitive) for b in q.blanks] == [(["pip"], True)]
    assert grade(q, ["pip"]).correct and not grade(q, ["PIP"]).correct
    assert [reason for _, reason, _ in notes(load("documented.json"), "[7]")] == [
        "feedback on a typed answer has no equivalent",
        "a wrong answer with its own feedback (a distractor) has no equivalent",
        "feedback for any other answer (the default) has no equivalent",
    ]


def test_fuzzy_matching_is_reported_as_approximated() -> None:
    q = documented(8)
    assert q.type == "fill_blank" and q.blanks[0].accepted == ["Jupiter"]
    assert not q.blanks[0].case_sensitive and grade(q, ["jupiter"]).correct
    ((location, reason, action),) = notes(load("documented.json"), "[8]")
    assert location == "[8].answers[0]"
    assert reason == "fuzzy matching (fuzzy_threshold 0.8) has no equivalent"
    assert action.startswith("approximated: only the exact answer is accepted")


def test_string_answers_mixing_match_case_accept_any_case() -> None:
    q, report = one(
        {
            "question": "Name a Python web framework with ____ in it.",
            "type": "string",
            "answers": [
                {"answer": "Django", "correct": True, "match_case": True},
                {"answer": "flask", "correct": True},
            ],
        }
    )
    assert q.type == "fill_blank" and not q.blanks[0].case_sensitive
    assert q.text.startswith("Name a Python web framework with \\_\\_\\_\\_ in it.")
    assert q.blank_count_in_text == 1
    assert [i.reason for i in report.inexact] == ["match_case differs between the correct answers"]


def test_unused_fields_are_reported_once_for_the_whole_file() -> None:
    assert notes(load("documented.json"), "[1].answer_cols") == [
        ("[1].answer_cols", "fields with no equivalent here: answer_cols", "ignored")
    ]
    wrapped = load("wrapped.json")
    assert [(i.location, i.reason) for i in wrapped.inexact] == [
        ("questions[0].points", "fields with no equivalent here: points")
    ]


def test_a_wrapping_object_gives_the_title_and_a_lone_question_imports() -> None:
    (quiz,) = load("wrapped.json").quizzes
    assert quiz.id == "wrapped" and quiz.title == "Review: first data"
    assert [q.type for q in quiz.questions] == ["single_choice", "numeric"]
    lone = import_jupyterquiz(
        {"question": "Q?", "type": "numeric", "answers": [{"value": 2, "correct": True}]},
        "lone_quizzes.json",
    )
    assert lone.quizzes[0].id == "lone" and lone.quizzes[0].title == "Lone"


def test_the_documented_file_imports_every_question() -> None:
    report = load("documented.json")
    assert report.type_counts() == {
        "fill_blank": 2,
        "multiple_choice": 2,
        "numeric": 3,
        "single_choice": 2,
    }


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        (42, "", "expected a JSON list of questions"),
        ({"title": "x"}, "", "expected a JSON list of questions"),
        ({"questions": {}}, "questions", "must be a list"),
    ],
)
def test_files_that_are_no_question_list_fail_with_a_location(
    data: object, location: str, message: str
) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_jupyterquiz(data, "bad.json")
    assert failure.value.location == location
    assert message in failure.value.message


GOOD = {
    "question": "Good?",
    "type": "multiple_choice",
    "answers": [{"answer": "yes", "correct": True}, {"answer": "no", "correct": False}],
}


@pytest.mark.parametrize(
    ("bad", "location", "message"),
    [
        (
            {
                "question": "Q?",
                "type": "numeric",
                "precision": 1,
                "answers": [{"value": 1.7976931348623157e308, "correct": True}],
            },
            "[0].answers[0].value",
            "too large",
        ),
        ("q", "[0]", "must be a JSON object"),
        ({"question": "Q?", "answers": []}, "[0].type", "a question with no type"),
        ({"question": "Q?", "type": "essay", "answers": []}, "[0].type", 'of type "essay"'),
        ({"type": "default", "feedback": "Incorrect."}, "[0].type", 'of type "default"'),
        (
            {"type": "numeric", "answers": [{"value": 1, "correct": True}]},
            "[0].question",
            "no text",
        ),
        ({"question": [], "type": "string", "answers": []}, "[0].question", "must be text"),
        ({"question": "Q?", "type": "string", "answers": {}}, "[0].answers", "no list"),
        ({"question": "Q?", "type": "many_choice", "answers": [1]}, "[0].choices", "at least 2"),
        (
            {"question": "Q?", "type": "multiple_choice", "answers": [{"answer": "a"}]},
            "[0].choices",
            "at least 2",
        ),
        (
            {"question": "Q?", "type": "many_choice", "answers": [{"correct": True}]},
            "[0].answers[0].answer",
            "no text",
        ),
        (
            {"question": "Q?", "type": "numeric", "answers": [{"range": [1, 2, 3], "correct": 1}]},
            "[0].answers[0].range",
            "is not a range",
        ),
        (
            {"question": "Q?", "type": "numeric", "answers": [{"range": [1, None], "correct": 1}]},
            "[0].answers[0].range",
            "is not a range",
        ),
        (
            {"question": "Q?", "type": "numeric", "answers": [{"correct": True}]},
            "[0].answers",
            "no answer is marked correct",
        ),
        (
            {"question": "Q?", "type": "string", "answers": [{"answer": " ", "correct": True}]},
            "[0].answers",
            "no answer with text is marked correct",
        ),
        (
            {"question": "Q?", "type": "string", "answers": [{"answer": "a"}]},
            "[0].answers",
            "no answer with text is marked correct",
        ),
        (
            {"question": "Q?", "type": "numeric", "answers": [{"range": [2, 2], "correct": True}]},
            "[0].answers[0].range",
            "is not a range",
        ),
    ],
)
def test_a_bad_question_is_skipped_with_location_reason_and_original_and_the_rest_imported(
    bad: object, location: str, message: str
) -> None:
    report = import_jupyterquiz([bad, GOOD], "bad.json")
    assert [q.text for q in report.quizzes[0].questions] == ["Good?"]
    (skipped,) = report.skipped
    assert skipped.location == location
    assert message in skipped.reason
    assert skipped.action == "skipped"
    assert json.loads(skipped.original) == bad
    assert not [i for i in report.inexact if i.location.startswith("[1]")]


def test_a_file_with_no_questions_imports_nothing_with_a_note() -> None:
    for data in ([], {"questions": []}):
        report = import_jupyterquiz(data, "empty.json")
        assert report.quizzes == []
        assert [i.reason for i in report.inexact] == ["the file has no questions"]


def test_numeric_quirks_jupyterquiz_accepts() -> None:
    """From jmshea's Foundations of Data Science questions: a value written as text, a
    wrong answer whose value is `false`, a default answer, and a precision of 0 (which
    JavaScript's toPrecision rejects)."""
    q, report = one(
        {
            "question": "P(different)?",
            "type": "numeric",
            "precision": 0,
            "answers": [
                {"type": "value", "value": "0.0498", "correct": True},
                {"type": "default", "correct": False, "feedback": "Use the chain rule."},
                {"type": "range", "range": [1.0000001, 1e8], "correct": False},
                {"type": "value", "answer": "0", "value": False, "feedback": "Not 0."},
                {"type": "other"},
            ],
        }
    )
    assert q.type == "numeric" and (q.value, q.tolerance) == (0.0498, 0.0)
    reasons = {i.location: i.reason for i in report.inexact}
    assert "precision 0" in reasons["[0].precision"]
    assert "false is not a number" in reasons["[0].answers[3].value"]
    assert 'no "value"' in reasons["[0].answers[4]"]
    assert report.skipped == []


def test_choice_quirks_jupyterquiz_accepts() -> None:
    q, report = one(
        {
            "question": "Which?",
            "type": "multiple_choice",
            "answers": [{"answer": 1, "correct": False}, {"answer": "b"}],
        }
    )
    assert q.type == "multiple_choice"
    assert [(c.text, c.correct) for c in q.choices] == [("1", False), ("b", False)]
    assert "no answer is marked correct" in report.inexact[0].reason
    q, report = one(
        {
            "question": "Which?",
            "type": "many_choice",
            "answers": [{"answer": "a", "correct": "yes"}, {"answer": "b", "correct": 0}],
        }
    )
    assert q.type == "single_choice" and q.choices[0].correct
    assert report.inexact[0].location == "[0].answers[0].correct"


def test_a_string_answer_with_empty_text_is_dropped_and_the_others_kept() -> None:
    q, report = one(
        {
            "question": "Name it",
            "type": "string",
            "answers": [{"answer": "", "correct": True}, {"answer": "Shea", "correct": True}],
        }
    )
    assert q.type == "fill_blank" and q.blanks[0].accepted == ["Shea"]
    assert report.inexact[0].location == "[0].answers[0].answer"


def test_javascript_syntax_jupyterquiz_accepts_is_read() -> None:
    """jupyterquiz pastes a question file into its page's script: a trailing comma (as in
    jmshea's Linear Algebra book's 5-6-norm.json) or a comment works there."""
    text = (
        '[ // the norm\n {"question": "Q, really?", "type": "numeric", "answers": [\n'
        '  {"type": "value", "value": 5.196, "correct": true, "feedback": "Yes, // right",},\n'
        " ],}, /* end */\n]"
    )
    report = read_jupyterquiz(text, "norm.json")
    (q,) = report.quizzes[0].questions
    assert q.type == "numeric" and q.text == "Q, really?"
    assert "trailing comma" in report.inexact[0].reason


def test_broken_json_fails_with_line_and_column() -> None:
    broken = '[\n  {"question": "Q?" "type": 1}\n]'
    with pytest.raises(json.JSONDecodeError) as parser:  # its wording varies across Pythons
        json.loads(broken)
    where = f"line {parser.value.lineno}, column {parser.value.colno}"
    assert parser.value.lineno == 2
    with pytest.raises(ImportFailed) as failure:
        read_jupyterquiz(broken, "bad.json")
    assert failure.value.location == where
    assert str(failure.value) == f"bad.json: {where}: {parser.value.msg}"


@pytest.mark.parametrize("name", ["documented.json", "wrapped.json"])
def test_round_trip_checks_clean_and_every_key_grades_right(name: str) -> None:
    (quiz,) = load(name).quizzes
    data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert check_quiz_data(data) == []
    for q in quiz.questions:
        assert grade(q, right_answer(q)).correct, q.text
        assert not grade(q, wrong_answer(q)).correct, q.text


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 25) | st.sampled_from(["", "a", "numeric"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["question", "type", "answers", "answer", "correct", "value", "range", "precision"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(_JSON)
def test_any_json_imports_or_fails_cleanly(data: object) -> None:
    try:
        report = import_jupyterquiz(data, "fuzz.json")
    except ImportFailed:
        return
    for quiz in report.quizzes:
        dumped = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert [p for p in check_quiz_data(dumped) if p.severity == "error"] == []


def test_a_latex_backslash_json_rejects_is_kept_as_written() -> None:
    """jmshea's 06-conditional-prob chain-rules.json (an earlier version) writes `\\cap` inside
    a JSON string: JavaScript reads it (dropping the backslash); the LaTeX is kept here."""
    text = (
        '[{"question": "Find $P(D_1 \\cap D_2)$, with \\\\(x\\\\).", "type": "many_choice",'
        ' "answers": [{"answer": "a", "correct": true}, {"answer": "b", "correct": false}]}]'
    )
    report = read_jupyterquiz(text, "chain-rules.json")
    assert report.quizzes[0].questions[0].text == "Find $P(D_1 \\cap D_2)$, with \\(x\\)."
    assert "backslash" in report.inexact[0].reason
