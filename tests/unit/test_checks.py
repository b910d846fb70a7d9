"""Loading quiz documents and listing their problems: placement, wording, and never raising."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.quiz.checks import (
    MAX_NESTING,
    MAX_QUIZ_BYTES,
    Problem,
    QuizFileError,
    check_quiz_bytes,
    check_quiz_data,
    check_quiz_text,
    cross_file_problems,
    format_location,
    load_quiz,
)
from socratiq_local.quiz.models import Quiz


def quiz_with(*questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": "quiz", "title": "Quiz", "questions": list(questions), **fields}


def choice_question(*choices: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"type": "single_choice", "text": "Pick one.", "choices": list(choices), **fields}


RIGHT = {"text": "Right", "correct": True}
WRONG = {"text": "Wrong"}
VALID = quiz_with(choice_question(RIGHT, WRONG))


def as_tuples(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [(p.severity, p.location, p.message) for p in problems]


def test_a_valid_quiz_has_no_problems() -> None:
    assert check_quiz_data(VALID) == []


def test_the_question_type_tag_is_left_out_of_locations() -> None:
    data = quiz_with(choice_question({"text": ""}, WRONG), choice_question(RIGHT))
    assert as_tuples(check_quiz_data(data)) == [
        ("error", "questions[0].choices[0].text", "String should have at least 1 character"),
        (
            "error",
            "questions[1].choices",
            "List should have at least 2 items after validation, not 1",
        ),
    ]


def test_unknown_and_missing_question_types_say_which_types_exist() -> None:
    data = quiz_with({"type": "essay", "text": "?"}, {"text": "?"})
    problems = as_tuples(check_quiz_data(data))
    expected = "single_choice, multiple_choice, true_false, fill_blank, short_answer, ordering"
    assert problems[0][:2] == ("error", "questions[0].type")
    assert problems[0][2].startswith('unknown question type "essay"; expected one of: ' + expected)
    assert problems[1][:2] == ("error", "questions[1]")
    assert problems[1][2].startswith('missing "type"; expected one of:')


def test_a_misspelt_field_gets_a_suggestion_from_the_model_at_that_place() -> None:
    data = quiz_with(choice_question({**RIGHT, "feedbak": "x"}, WRONG, explaination="x"))
    assert as_tuples(check_quiz_data(data)) == [
        ("error", "questions[0].choices[0].feedbak", 'unknown field; did you mean "feedback"?'),
        ("error", "questions[0].explaination", 'unknown field; did you mean "explanation"?'),
    ]


def test_a_field_from_another_question_type_is_not_suggested() -> None:
    data = quiz_with(choice_question(RIGHT, WRONG, answers=True))
    assert as_tuples(check_quiz_data(data)) == [("error", "questions[0].answers", "unknown field")]


def test_a_question_that_is_not_an_object_says_so() -> None:
    assert as_tuples(check_quiz_data(quiz_with(5))) == [  # type: ignore[arg-type]
        ("error", "questions[0]", "Input should be a JSON object")
    ]


def test_values_must_have_their_json_type() -> None:
    data = quiz_with(choice_question({"text": "A", "correct": "true"}, WRONG))
    assert as_tuples(check_quiz_data(data)) == [
        ("error", "questions[0].choices[0].correct", "Input should be a valid boolean")
    ]


def test_model_rules_are_reported_without_pydantic_prefixes() -> None:
    data = quiz_with({"type": "numeric", "text": "How many?", "min": 3, "max": 1})
    assert as_tuples(check_quiz_data(data)) == [
        ("error", "questions[0]", "min is greater than max")
    ]


def test_single_choice_with_two_right_answers_is_an_error() -> None:
    data = quiz_with(choice_question(RIGHT, {"text": "Also right", "correct": True}))
    assert as_tuples(check_quiz_data(data)) == [
        (
            "error",
            "questions[0].choices",
            "2 choices are marked correct but a single_choice question has one;"
            " use multiple_choice",
        )
    ]


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_choice_question_with_no_right_answer_is_a_warning(kind: str) -> None:
    data = quiz_with(choice_question(WRONG, {"text": "Also wrong"}, type=kind))
    assert as_tuples(check_quiz_data(data)) == [
        ("warning", "questions[0].choices", "no choice is marked correct")
    ]


def test_duplicate_ids_within_a_question_are_errors() -> None:
    data = quiz_with(
        choice_question({"id": "a", **RIGHT}, {"id": "a", **WRONG}),
        {"type": "ordering", "text": "Order.", "items": ["Same", "Same"]},
        {
            "type": "matching",
            "text": "Match.",
            "pairs": [{"id": "p", "left": "1", "right": "One"}, {"left": "2", "right": "Two"}],
            "distractors": [{"id": "p", "text": "Three"}],
        },
    )
    problems = as_tuples(check_quiz_data(data))
    assert problems[0] == (
        "error",
        "questions[0].choices[1].id",
        'duplicate choice id "a" (also choices[0])',
    )
    assert problems[1][:2] == ("error", "questions[1].items[1]")
    assert problems[1][2].startswith("same content as items[0], so the same derived item id")
    assert problems[2] == (
        "error",
        "questions[2].distractors[0].id",
        'duplicate pair or distractor id "p" (also pairs[0])',
    )


def test_duplicate_question_ids_are_errors_whether_written_or_derived() -> None:
    same = choice_question(RIGHT, WRONG)
    data = quiz_with({**same, "id": "q"}, {**same, "id": "q", "text": "Other."}, same, same)
    problems = as_tuples(check_quiz_data(data))
    assert problems[0] == (
        "error",
        "questions[1].id",
        'duplicate question id "q" (also questions[0])',
    )
    assert problems[1][:2] == ("error", "questions[3]")
    assert problems[1][2].startswith(
        "same content as questions[2], so the same derived question id"
    )
    assert len(problems) == 2


def test_fill_blank_count_must_match_the_text() -> None:
    data = quiz_with(
        {"type": "fill_blank", "text": "A ____ B ____", "blanks": [{"accepted": ["x"]}]}
    )
    assert as_tuples(check_quiz_data(data)) == [
        ("warning", "questions[0].blanks", "the text has 2 blank(s) (____) but blanks lists 1")
    ]


def test_matching_right_texts_must_differ_after_normalisation() -> None:
    pairs = [{"left": "1", "right": "One"}, {"left": "2", "right": "Two"}]
    data = quiz_with(
        {"type": "matching", "text": "Match.", "pairs": pairs, "distractors": ["one."]}
    )
    assert as_tuples(check_quiz_data(data)) == [
        (
            "warning",
            "questions[0].distractors[0].text",
            "the same right-hand text as pairs[0].right; learners cannot tell them apart",
        )
    ]


def test_a_subset_larger_than_the_quiz_is_a_warning() -> None:
    assert as_tuples(check_quiz_data({**VALID, "subset": 2})) == [
        ("warning", "subset", "subset is 2 but the quiz has only 1 question(s)")
    ]


def test_valid_questions_of_an_invalid_quiz_are_still_checked() -> None:
    data = quiz_with(choice_question(WRONG, {"text": "Also wrong"}), title="")
    assert as_tuples(check_quiz_data(data)) == [
        ("error", "title", "String should have at least 1 character"),
        ("warning", "questions[0].choices", "no choice is marked correct"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("", "the file is empty")),
        (" \n\t", ("", "the file is empty")),
        (
            '{"id": "x",\n  "title" "t"}',
            ("line 2, column 11", "invalid JSON: Expecting ':' delimiter"),
        ),
        ("[1, 2]", ("", "the top level must be a JSON object, not a list")),
        ('"quiz"', ("", "the top level must be a JSON object, not a string")),
        ("null", ("", "the top level must be a JSON object, not null")),
        ("3.5", ("", "the top level must be a JSON object, not a number")),
        ("[" * 100 + "]" * 100, ("", f"the document nests more than {MAX_NESTING} levels deep")),
        ("[" * 100_000, ("", f"the document nests more than {MAX_NESTING} levels deep")),
        ('{"title": "\\ud800"}', ("title", "the text has an unpaired surrogate")),
    ],
)
def test_unusable_documents_get_one_clear_error(text: str, expected: tuple[str, str]) -> None:
    checked = check_quiz_text(text)
    assert checked.quiz is None
    assert as_tuples(checked.problems) == [("error", *expected)]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    data = {**VALID, "title": "[" * 500}
    assert check_quiz_text(json.dumps(data)).problems == []


def test_an_integer_too_long_to_convert_is_an_error_not_a_crash() -> None:
    checked = check_quiz_text('{"subset": ' + "9" * 5000 + "}")
    assert [p.severity for p in checked.problems] == ["error"]
    assert checked.problems[0].message.startswith("invalid JSON:")


def test_duplicate_keys_are_a_warning() -> None:
    text = json.dumps(VALID)[:-1] + ', "title": "Again"}'
    checked = check_quiz_text(text)
    assert checked.quiz is not None and checked.quiz.title == "Again"
    assert as_tuples(checked.problems) == [
        ("warning", "", 'key "title" appears twice in one object; the last wins')
    ]


def test_bytes_must_be_utf8_and_the_error_says_where() -> None:
    raw = json.dumps(VALID, indent=1).encode().replace(b"Pick", b"P\xe9ck")
    line = raw.split(b"\xe9")[0].count(b"\n") + 1
    column = len(raw.split(b"\xe9")[0].split(b"\n")[-1]) + 1
    assert as_tuples(check_quiz_bytes(raw).problems) == [
        ("error", f"line {line}, column {column}", "not UTF-8 text: byte 0xe9 cannot be decoded")
    ]


def test_a_byte_order_mark_is_tolerated() -> None:
    checked = check_quiz_bytes(b"\xef\xbb\xbf" + json.dumps(VALID).encode())
    assert checked.problems == [] and checked.quiz is not None


def test_load_quiz_returns_the_quiz_despite_warnings() -> None:
    quiz = load_quiz(json.dumps({**VALID, "subset": 5}), "a.json")
    assert isinstance(quiz, Quiz) and quiz.subset == 5


def test_load_quiz_raises_with_every_problem() -> None:
    data = quiz_with(choice_question(RIGHT, {"text": "B", "correct": True}), subset=4)
    with pytest.raises(QuizFileError) as raised:
        load_quiz(json.dumps(data).encode(), "a.json")
    assert raised.value.source == "a.json"
    assert [p.severity for p in raised.value.problems] == ["error", "warning"]
    assert str(raised.value).startswith("a.json: questions[0].choices: error: 2 choices")


def test_cross_file_problems_name_the_earlier_file() -> None:
    first = Quiz.model_validate(quiz_with(choice_question(RIGHT, WRONG, id="q1")))
    second = Quiz.model_validate(
        quiz_with(choice_question(RIGHT, WRONG, id="q2"), choice_question(RIGHT, WRONG, id="q1"))
    )
    found = cross_file_problems([("a.json", first), ("b.json", second)])
    assert [(source, p.severity, p.location, p.message) for source, p in found] == [
        ("b.json", "warning", "id", 'quiz id "quiz" is also used by a.json'),
        (
            "b.json",
            "warning",
            "questions[1].id",
            'question id "q1" is also used in a.json questions[0]',
        ),
    ]


def test_locations_quote_keys_that_are_not_names() -> None:
    assert format_location(["questions", 3, "choices", 0, "text"]) == "questions[3].choices[0].text"
    assert format_location(["$schema"]) == "$schema"
    assert format_location(["a b", 'q"', "café"]) == '["a b"]["q\\""]["café"]'


def test_a_described_problem_is_one_line() -> None:
    problem = Problem("error", '["a\\nb"]', "bad\nthing\u2028here")
    assert problem.describe("f.json") == 'f.json: ["a\\nb"]: error: bad\\u000athing\\u2028here'
    assert Problem("warning", "", "empty").describe("f.json") == "f.json: warning: empty"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
question_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["single_choice", "ordering", "matching", "numeric", "x"])},
    optional={
        "text": json_values,
        "choices": json_values,
        "items": json_values,
        "pairs": json_values,
        "value": json_values,
    },
)
quiz_like = st.fixed_dictionaries(
    {"questions": st.lists(question_like | json_values, max_size=3)},
    optional={"id": json_values, "title": json_values, "subset": json_values},
)


@settings(max_examples=60, deadline=None)
@given(json_values | quiz_like)
def test_any_json_value_gives_problems_not_exceptions(data: object) -> None:
    for problem in check_quiz_data(data):
        assert problem.severity in ("error", "warning")
        assert "\n" not in problem.describe("f.json")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_problems_not_exceptions(raw: bytes) -> None:
    checked = check_quiz_bytes(raw)
    assert checked.quiz is not None or checked.has_errors


def test_a_file_larger_than_a_page_loads_is_an_error_and_the_page_has_the_same_limit() -> None:
    script = (Path(__file__).parents[2] / "web" / "quiz_files.js").read_text(encoding="utf-8")
    assert "export const MAX_QUIZ_BYTES = 1024 * 1024;" in script
    assert MAX_QUIZ_BYTES == 1024 * 1024
    small = json.dumps(quiz_with(choice_question(RIGHT, WRONG))).encode()
    assert check_quiz_bytes(small).problems == []
    padded = small[:-1] + b" " * (MAX_QUIZ_BYTES - len(small)) + b"}"
    assert len(padded) == MAX_QUIZ_BYTES and not check_quiz_bytes(padded).has_errors
    assert as_tuples(check_quiz_bytes(padded + b" ").problems) == [
        ("error", "", "the file is larger than 1,048,576 bytes, the most a page loads")
    ]
