"""The line of a quiz file a problem is on (integrations/locate.py): paths as the checks write
them, walked through JSON text as authors format it, and through YAML."""

from __future__ import annotations

import pytest

from socratiq_local.integrations.locate import describe_errors, json_line, parse_location
from socratiq_local.quiz.checks import QuizFileError, format_location, load_quiz

DOCUMENT = """{
  "id": "q",  "title": "A \\"quoted\\" title, with [brackets] and {braces}",
  "section_titles": {"sec-a": "A", "sec-b.x": "B"},
  "questions": [
    {"type": "true_false", "text": "One?", "answer": true},
    {
      "type": "numeric",
      "text": "Two?",
      "value":
        "two"
    }
  ]
}
"""


@pytest.mark.parametrize(
    "path",
    [["questions", 1, "value"], ["section_titles", "sec-b.x"], ["questions", 0], ["id"]],
)
def test_a_written_location_reads_back_as_its_path(path: list[int | str]) -> None:
    assert parse_location(format_location(path)) == path


def test_a_key_with_quotes_and_brackets_reads_back() -> None:
    assert parse_location('titles["a \\"b\\" [c]"].x') == ["titles", 'a "b" [c]', "x"]


def test_a_location_that_is_no_path_has_no_line() -> None:
    assert parse_location("line 6, column 3") is None
    assert parse_location("") is None


def test_each_part_is_found_on_its_line_past_strings_that_look_like_json() -> None:
    assert json_line(DOCUMENT, ["title"]) == 2
    assert json_line(DOCUMENT, ["section_titles", "sec-b.x"]) == 3
    assert json_line(DOCUMENT, ["questions", 0, "answer"]) == 5
    assert json_line(DOCUMENT, ["questions", 1]) == 6
    assert json_line(DOCUMENT, ["questions", 1, "value"]) == 9  # the key's line


def test_a_part_the_document_lacks_gives_the_line_of_the_deepest_part_it_has() -> None:
    assert json_line(DOCUMENT, ["questions", 1, "unit"]) == 6
    assert json_line(DOCUMENT, ["questions", 7, "text"]) == 4
    assert json_line(DOCUMENT, ["questions", "x"]) == 4  # a list is not indexed by name


def test_a_quiz_files_errors_are_said_at_their_lines() -> None:
    text = DOCUMENT.replace('"text": "One?", ', "")
    with pytest.raises(QuizFileError) as raised:
        load_quiz(text, "ch1.json")
    said = describe_errors(raised.value, text).split("\n")
    assert said == [
        "ch1.json:5: questions[0].text: error: required field is missing",
        "ch1.json:9: questions[1].value: error: Input should be a valid number",
    ]


def test_yaml_paths_are_found_by_the_node_tree() -> None:
    pytest.importorskip("yaml")  # the generators' dependency, not the reader's
    from socratiq_local.integrations.locate import yaml_line

    text = "id: q\nquestions:\n  - type: true_false\n    answer: maybe\n  - {type: numeric}\n"
    assert yaml_line(text, ["questions", 0, "answer"]) == 4
    assert yaml_line(text, ["questions", 1, "text"]) == 5
    assert yaml_line(text, ["title"]) == 1
