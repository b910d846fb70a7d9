"""The quizdown importer, on inputs written from the quizdown-js docs (see data/quizdown)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.importers.quizdown import read_quizdown
from socratiq_local.importers.report import ImportFailed, ImportReport
from socratiq_local.quiz.checks import check_quiz_data
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import AnyQuestion, Quiz

from .keys import right_answer, wrong_answer

DATA = Path(__file__).parent / "data" / "quizdown"


def load(name: str) -> ImportReport:
    return read_quizdown((DATA / name).read_text(encoding="utf-8"), f"quizzes/{name}")


def only_quiz(text: str) -> Quiz:
    (quiz,) = read_quizdown(text, "q.md").quizzes
    return quiz


def question(text: str) -> AnyQuestion:
    (q,) = only_quiz(text).questions
    return q


def reasons(report: ImportReport) -> list[tuple[str, str]]:
    return [(i.location, i.reason) for i in report.inexact]


def test_unordered_task_list_is_multiple_choice_with_comments_as_feedback() -> None:
    report = load("syntax.md")
    first = report.quizzes[0].questions[0]
    assert first.type == "multiple_choice"
    assert first.text == "Which of these are prime numbers?"
    assert first.hint == "A prime has exactly two divisors."
    assert [(c.text, c.correct) for c in first.choices] == [
        ("2", True),
        ("3", True),
        ("4", False),
        ("9", False),
    ]
    assert [c.feedback for c in first.choices] == [
        "The only even prime.",
        None,
        "4 = 2 \N{MULTIPLICATION SIGN} 2",
        None,
    ]
    assert grade(first, [first.choices[0].id, first.choices[1].id]).correct


def test_one_checked_box_in_an_unordered_list_stays_multiple_choice() -> None:
    """quizdown shows checkboxes and wants exactly the checked set, so the import is exact."""
    superpowers = load("syntax.md").quizzes[0].questions[4]
    assert superpowers.type == "multiple_choice"
    assert [c.correct for c in superpowers.choices] == [False, False, True]
    assert not grade(superpowers, [c.id for c in superpowers.choices]).correct


def test_ordered_task_list_is_single_choice_and_text_follows_the_heading() -> None:
    capital = load("syntax.md").quizzes[0].questions[1]
    assert capital.type == "single_choice"
    assert capital.text == "What is the capital of France?\n\nIt is also its _largest_ city."
    assert [c.correct for c in capital.choices] == [False, True, False]
    assert capital.choices[1].feedback == "Correct: Paris has been the capital since 987."


def test_ordered_list_without_boxes_is_a_sequence_in_the_listed_order() -> None:
    planets = load("syntax.md").quizzes[0].questions[2]
    assert planets.type == "ordering"
    assert (
        planets.text == "Put these planets in order, nearest to the Sun first\n\nThat's **easy**!"
    )
    assert planets.hint == "Mercury is the closest."
    assert [i.text for i in planets.items] == ["Mercury", "Venus", "Earth", "Mars"]


def test_code_blocks_stay_part_of_the_question() -> None:
    code = load("syntax.md").quizzes[0].questions[3]
    assert code.text == "What does this code print?\n\n```python\nx = [1, 2, 3]\nprint(x[-1])\n```"


def test_the_docs_examples_import_exactly() -> None:
    report = load("syntax.md")
    assert report.inexact == []
    (quiz,) = report.quizzes
    assert quiz.id == "syntax" and quiz.title == "Syntax"
    assert quiz.shuffle_choices is True and quiz.shuffle_questions is False


def test_front_matter_options_map_onto_the_quiz_and_display_options_are_reported() -> None:
    report = load("options.md")
    (quiz,) = report.quizzes
    assert quiz.shuffle_questions is True
    assert quiz.shuffle_choices is False
    assert quiz.subset == 2
    assert reasons(report) == [
        (
            "line 2",
            "quizdown display options with no equivalent: primaryColor, secondaryColor,"
            " textColor, locale",
        ),
        ("line 27", "shuffleAnswers: true for one question has no equivalent"),
    ]
    assert report.inexact[1].action == "the quiz's setting applies: answers in their order"


def test_math_blocks_and_the_sequence_of_the_options_example() -> None:
    questions = load("options.md").quizzes[0].questions
    assert questions[0].text.endswith("$$\nx=\\sqrt{\\frac{9}{16}}\n$$")
    assert questions[0].hint == "Also check out $\\sqrt{x+2}$!"
    assert questions[2].type == "ordering"


def test_snake_case_options_of_older_quizdown_and_yaml_comments() -> None:
    report = load("legacy_options.md")
    (quiz,) = report.quizzes
    assert quiz.shuffle_choices is True and quiz.shuffle_questions is False
    assert reasons(report) == [
        ("line 2", "quizdown display options with no equivalent: primaryColor")
    ]
    assert quiz.questions[1].hint == "Hint: The _largest_ city in Germany..."


def test_n_questions_needs_shuffled_questions_and_is_dropped_when_all_are_shown() -> None:
    body = "\n# A?\n- [x] a\n- [ ] b\n# B?\n- [x] a\n- [ ] b\n"
    unshuffled = read_quizdown("---\nnQuestions: 1\n---" + body, "q.md")
    assert unshuffled.quizzes[0].subset is None
    assert reasons(unshuffled) == [
        ("line 2", "nQuestions only takes effect with shuffleQuestions: true in quizdown")
    ]
    everything = only_quiz("---\nshuffleQuestions: true\nnQuestions: 5\n---" + body)
    assert everything.subset is None and everything.shuffle_questions


def test_unknown_options_and_question_options_are_reported_once() -> None:
    text = "---\nshuffle: true\nfoo: 1\n---\n# A?\n---\nbar: 2\n---\n- [x] a\n- [ ] b\n"
    report = read_quizdown(text, "q.md")
    assert reasons(report) == [
        ("line 2", "unknown quizdown options: shuffle, foo"),
        ("line 7", "question option bar has no equivalent"),
    ]


def test_html_becomes_text_but_code_keeps_its_angle_brackets() -> None:
    q = question(
        "# Is <b>this</b> bold?<br>Yes &lt;i&gt;really&lt;/i&gt;\n\n"
        "Use `List<int>` and <https://example.org>.\n<!-- a note -->\n"
        "- [x] <script>alert(1)</script> yes\n- [ ] no"
    )
    assert q.text == "Is this bold?\nYes really\n\nUse `List<int>` and <https://example.org>."
    assert q.type == "multiple_choice" and q.choices[0].text == "alert(1) yes"


def test_indented_quizdown_as_inside_a_div_and_multi_paragraph_answers() -> None:
    q = question(
        "\t### Q?\n\n"
        "\t1. [x] first line\n"
        "\t   continues here\n"
        "\t   > comment one\n"
        "\t   still the comment\n\n"
        "\t   more answer text\n"
        "\t1. [ ] other\n"
    )
    assert q.type == "single_choice"
    assert q.choices[0].text == "first line\ncontinues here\n\nmore answer text"
    assert q.choices[0].feedback == "comment one\nstill the comment"


def test_an_unordered_list_with_no_box_checked_is_kept_and_reported() -> None:
    report = read_quizdown("# Which are even?\n- [ ] 1\n- [ ] 3\n", "q.md")
    q = report.quizzes[0].questions[0]
    assert q.type == "multiple_choice" and grade(q, []).correct
    assert reasons(report) == [("line 2", "no answer is marked [x]")]


def test_a_second_list_and_text_before_the_first_heading_are_reported() -> None:
    text = "Intro.\n\n# Q?\n1. [x] a\n1. [ ] b\n\n- x\n- y\n"
    report = read_quizdown(text, "q.md")
    assert reasons(report) == [
        ("line 1", "text before the first question heading belongs to no question"),
        ("line 7", "a second list in one question: quizdown takes only the first as the answers"),
    ]


def test_rules_and_entities_follow_quizdown() -> None:
    q = question("# A &amp; B?\n\n***\n\n1. one\n2. two\n")
    assert q.text == "A & B?" and q.type == "ordering"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no questions"),
        ("Just prose.\n", "no questions"),
        ("---\nlocale: de\n\n# Q?\n- [x] a\n", "options block is never closed"),
    ],
)
def test_text_with_no_question_fails_with_its_line(text: str, message: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        read_quizdown(text, "bad.md")
    assert failure.value.location == "line 1"
    assert message in failure.value.message
    assert str(failure.value).startswith("bad.md: line 1: ")


GOOD = "\n# Good?\n- [x] yes\n- [ ] no\n"


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        ("# Q?\n\nNo answers here.\n", "line 1", "no answer list"),
        ("# Q?\n1. [x] a\n1. [x] b\n", "line 2", "not 2 (quizdown itself refuses it)"),
        ("# Q?\n1. only\n", "line 2", "at least two items"),
        ("# Q?\n- [x] only\n", "line 2", "at least two answers"),
        ("# Q?\n- [x] a\n- [ ]\n", "line 2", "at least two answers"),
        ("#\n- [x] a\n- [ ] b\n", "line 1", "no text"),
    ],
)
def test_a_bad_question_is_skipped_with_line_reason_and_text_and_the_rest_imported(
    text: str, location: str, message: str
) -> None:
    report = read_quizdown(text + GOOD, "bad.md")
    assert [q.text for q in report.quizzes[0].questions] == ["Good?"]
    (skipped,) = report.skipped
    assert (skipped.location, skipped.action) == (location, "skipped")
    assert message in skipped.reason
    assert skipped.original == text.strip()
    assert [i for i in report.inexact if not i.skipped] == []


def test_a_question_after_the_last_good_one_is_skipped_alone() -> None:
    report = read_quizdown("# One?\n- [x] a\n- [ ] b\n# Two?\n", "q.md")
    assert len(report.quizzes[0].questions) == 1
    assert [(i.location, i.original) for i in report.skipped] == [("line 4", "# Two?")]


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        ("# Q?\n- [x] a\n- [ ] b\n\n---\n\n# R?\n- [x] a\n", "line 5", "write `***`"),
        ("# Q?\n- [x] a\n- [ ] b\n\n---\n# R?\n- [x] a\n---\n", "line 7", "`name: value`"),
        ("# Q?\n1. [ ] a\n1. [ ] b\n", "line 2", "no answer is marked [x]"),
        ("# Q?\n- a\n- b\n", "line 2", "without [x] or [ ] boxes"),
        ("# Q?\n1. [x] a\n1. b\n", "line 3", "has no [ ] box, unlike the first"),
        ("# Q?\n1. a\n1. [x] b\n", "line 3", "has a [ ] box, unlike the first"),
        ("# Q?\n- [x] a\n- [ ] b\n- [ ]\n", "line 4", "no text"),
        ("---\nshuffleAnswers: maybe\n---\n# Q?\n- [x] a\n- [ ] b\n", "line 2", "true or false"),
        ("---\nnQuestions: 0\n---\n# Q?\n- [x] a\n- [ ] b\n", "line 2", "at least 1"),
        ("---\nlocale: 'de\n---\n# Q?\n- [x] a\n- [ ] b\n", "line 2", "not closed"),
        ("---\nlocale: de\nlocale: en\n---\n# Q?\n- [x] a\n- [ ] b\n", "line 3", "set twice"),
        (
            "---\nshuffle_answers: true\nshuffleAnswers: true\n---\n# Q\n- [x] a\n- b\n",
            "line 3",
            "twice",
        ),
        ("---\ncolors:\n  primary: red\n---\n# Q?\n- [x] a\n- [ ] b\n", "line 3", "`name: value`"),
        ("# Q?\n---\nshuffleAnswers: 1\n---\n- [x] a\n- [ ] b\n", "line 3", "true or false"),
    ],
)
def test_what_quizdown_accepts_imports_with_a_note(text: str, location: str, message: str) -> None:
    report = read_quizdown(text, "q.md")
    assert report.quizzes and report.skipped == []
    assert any(i.location == location and message in i.reason for i in report.inexact), reasons(
        report
    )


def test_an_unclosed_code_block_runs_to_the_end_as_in_quizdown() -> None:
    report = read_quizdown("# Q?\n- [x] a\n- [ ] b\n\n# R?\n```\ncode\n- [x] a\n", "q.md")
    assert len(report.quizzes[0].questions) == 1
    assert [(i.location, i.skipped) for i in report.inexact] == [
        ("line 5", True),
        ("line 6", False),
    ]
    assert "never closed" in report.inexact[1].reason


@pytest.mark.parametrize("name", ["syntax.md", "options.md", "legacy_options.md"])
def test_round_trip_checks_clean_and_every_key_grades_right(name: str) -> None:
    (quiz,) = load(name).quizzes
    data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert check_quiz_data(data) == []
    for q in quiz.questions:
        assert grade(q, right_answer(q)).correct, q.text
        assert not grade(q, wrong_answer(q)).correct, q.text


@given(st.text(alphabet="#-*>[]x 1.`~\n:abc<>/'\"\t", max_size=80))
def test_any_text_imports_or_fails_cleanly(text: str) -> None:
    try:
        report = read_quizdown(text, "fuzz.md")
    except ImportFailed as failure:
        assert failure.location.startswith("line ") or failure.location == ""
        return
    for quiz in report.quizzes:
        data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert [p for p in check_quiz_data(data) if p.severity == "error"] == []
