"""The Moodle GIFT importer, on files written from the GIFT format documentation."""

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.importers.gift import category_tag, quiz_id, read_gift
from socratiq_local.importers.report import LEFT_OUT, ImportFailed, ImportReport
from socratiq_local.quiz.checks import check_quiz_data
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import AnyQuestion

from .keys import right_answer, wrong_answer

DATA = Path(__file__).parent / "data" / "gift"
FILES = sorted(p.name for p in DATA.glob("*.gift"))
# The corpus of published files (CORPUS.md) is kept outside the repository, where the search
# tools' snapshots may be kept; its tests run where it is present (SOCRATIQ_GIFT_CORPUS).
CORPUS = Path(os.environ.get("SOCRATIQ_GIFT_CORPUS", "/work/corpus-imports/gift"))
REAL = sorted(CORPUS.glob("*.gift"))
needs_corpus = pytest.mark.skipif(not REAL, reason=f"no GIFT corpus at {CORPUS} (CORPUS.md)")
# Damaged copies start from the corpus where it is here, else from this folder's own files.
SEEDS = [p.read_text(encoding="utf-8") for p in REAL or sorted(DATA.glob("*.gift"))]


def load(name: str) -> ImportReport:
    return read_gift((DATA / name).read_text(encoding="utf-8"), name)


def questions(name: str) -> list[AnyQuestion]:
    (quiz,) = load(name).quizzes
    return quiz.questions


def one(text: str) -> AnyQuestion:
    (quiz,) = read_gift(text, "t.gift").quizzes
    (question,) = quiz.questions
    return question


def reasons(report: ImportReport) -> list[tuple[str, str]]:
    return [(i.location, i.reason) for i in report.inexact]


def right_texts(q: AnyQuestion) -> list[str]:
    assert q.type in ("single_choice", "multiple_choice")
    return [c.text for c in q.choices if c.correct]


@pytest.mark.parametrize("name", FILES)
def test_every_file_round_trips(name: str) -> None:
    for quiz in load(name).quizzes:
        data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert [p for p in check_quiz_data(data) if p.severity == "error"] == []
        for q in quiz.questions:
            assert grade(q, right_answer(q)).correct, q.id
            assert not grade(q, wrong_answer(q)).correct, q.id


def test_single_choice_missing_word_and_feedback() -> None:
    tomb, missing, multiline, feedback, *_ = questions("choices.gift")
    assert tomb.type == "single_choice" and tomb.id == "Tomb"
    assert right_texts(tomb) == ["Grant"]
    assert missing.text == "The tomb of Grant is ____ in New York."
    assert right_texts(missing) == ["a mausoleum"]
    assert multiline.text == "The holiday is celebrated on the ____ Thursday of November."
    assert [c.text for c in multiline.choices] == ["second", "third", "fourth"]
    assert feedback.type == "single_choice"
    assert [c.feedback for c in feedback.choices] == [
        "feedback on the wrong answer",
        "feedback on this wrong answer",
        "Very good!",
    ]
    assert feedback.explanation == "The right answer was right."


def test_weights_import_with_the_fixed_rule_and_are_reported() -> None:
    report = load("choices.gift")
    by_text = {q.text: q for q in report.quizzes[0].questions}
    two_full = by_text["Pick the planet with rings."]
    assert two_full.type == "multiple_choice" and right_texts(two_full) == ["Saturn", "Uranus"]
    partial = by_text["Difficult question."]
    assert partial.type == "single_choice" and right_texts(partial) == ["full credit answer"]
    primes = by_text["Which two are primes?"]
    assert primes.type == "multiple_choice" and right_texts(primes) == ["Two", "Three"]
    even = by_text["Which two are even?"]
    assert even.type == "multiple_choice" and right_texts(even) == ["Two", "Four"]
    assert grade(primes, [c.id for c in primes.choices][1:3]).correct
    found = reasons(report)
    assert [where for where, _ in found] == ["line 19", "line 21", "line 29", "line 35"]
    assert "2 answers each earn full credit" in found[0][1]
    assert "partial credit" in found[1][1] and "50%" in found[1][1]
    assert "0%, 50%, 50%, 0%" in found[2][1]  # the -50% question (line 23) is exact
    assert found[3][1].startswith("no answer is right")
    assert report.inexact[3].action == "not imported"


def test_true_false_spellings_and_feedback() -> None:
    false, true, with_feedback, general = questions("true_false.gift")
    assert (false.type, false.answer) == ("true_false", False)
    assert (true.type, true.answer) == ("true_false", True)
    assert with_feedback.type == "true_false" and with_feedback.answer is True
    assert with_feedback.feedback_true == "Yes, at 1 atm."  # the second # is for a right answer
    assert with_feedback.feedback_false == "Check the pressure."
    assert general.type == "true_false" and general.answer is False
    assert general.feedback_false == "Right, it is rock."
    assert general.feedback_true == "No, it is rock."
    assert general.explanation == "Samples came back in 1969."
    assert load("true_false.gift").inexact == []


def test_short_answers_become_fill_ins() -> None:
    report = load("short_answer.gift")
    grant, missing, weighted, wildcard = report.quizzes[0].questions
    assert grant.type == "fill_blank" and grant.text == "Who's buried in Grant's tomb? ____"
    assert grant.blanks[0].accepted == ["no one", "nobody"]
    assert not grant.blanks[0].case_sensitive
    assert grade(grant, ["No One"]).correct
    assert missing.type == "fill_blank"
    assert missing.text == "Two plus two equals ____ in base ten."
    assert weighted.type == "fill_blank" and weighted.id == "hometown"
    assert weighted.text == "Jesus Christ was from ____."
    assert weighted.blanks[0].accepted == ["Nazareth"]
    assert wildcard.type == "fill_blank"
    assert reasons(report) == [
        (
            "line 7",
            "partial credit and penalties are not kept: 'Nazereth' (75%), 'Bethlehem' (25%)",
        ),
        ("line 7", "feedback on typed answers has no place in this quiz"),
        ("line 13", "the * wildcard of Moodle short answers has no equivalent"),
    ]


def test_numeric_values_tolerances_and_ranges() -> None:
    report = load("numeric.gift")
    exact, tolerance, missing, weighted, negative, freezing = report.quizzes[0].questions
    assert exact.type == "numeric" and (exact.value, exact.tolerance) == (1822, 0)
    assert tolerance.type == "numeric"
    assert (tolerance.value, tolerance.tolerance) == (3.1415, 0.0005)
    assert grade(tolerance, 3.141).correct and not grade(tolerance, 3.140).correct
    assert missing.type == "numeric" and (missing.min, missing.max) == (3.141, 3.142)
    assert missing.text == "Give pi to 3 decimal places: ____ is close enough."
    assert weighted.type == "numeric" and (weighted.value, weighted.tolerance) == (1822, 0)
    assert negative.type == "numeric" and negative.value == -3
    assert freezing.type == "numeric" and (freezing.min, freezing.max) == (-20, -16)
    assert reasons(report) == [
        ("line 9", "a numeric question here has one right answer; not kept: 1822±2 (50%)"),
        ("line 9", "feedback on typed answers has no place in this quiz"),
        ("line 16", "feedback on typed answers has no place in this quiz"),
    ]


def test_matching_pairs_and_distractors() -> None:
    capitals, food = questions("matching.gift")
    assert capitals.type == "matching"
    assert [(p.left, p.right) for p in capitals.pairs] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
        ("India", "New Delhi"),
    ]
    assert food.type == "matching"
    assert [(p.left, p.right) for p in food.pairs] == [("cat", "cat food"), ("dog", "dog food")]
    assert [d.text for d in food.distractors] == ["bird seed"]


def test_essays_and_descriptions() -> None:
    report = load("essay.gift")
    bare, with_model = report.quizzes[0].questions
    assert bare.type == "short_answer" and bare.model_answer == "No model answer was given."
    assert with_model.type == "short_answer"
    assert with_model.model_answer == "Because the coffins rest above the ground."
    assert [(i.location, i.action) for i in report.inexact] == [
        ("line 3", LEFT_OUT),
        ("line 5", 'imported as self-rated short answer with "No model answer was given."'),
    ]
    assert "description" in report.inexact[0].reason
    assert not report.inexact[0].skipped  # a description is not a question: nothing was lost


def test_text_formats() -> None:
    moodle, markdown, html, plain, moodle_tags = questions("formats.gift")
    assert moodle.text == r"What does \*this\* cost? \$5 or $$x^2$$ or $y$?"
    assert markdown.type == "fill_blank"
    assert markdown.text == "Who is buried in **Grant's tomb**? ____"
    assert html.type == "single_choice"
    assert html.text == "Which tag makes bold text & more?\n\nPick one."
    assert [c.text for c in html.choices] == ["i", r"\<b>"]
    assert html.explanation == "b stands for bold."
    assert plain.text == r"Is 2 \* 3 = 6 and \<b> literal?"
    assert moodle_tags.text == "First line\\\nsecond line with bold # here"


def test_titles_ids_tags_categories_and_escapes() -> None:
    report = load("syntax.gift")
    q1, idnumber, q1_again, apostrophe, accented, escapes, line_break = report.quizzes[0].questions
    assert [q1.id, idnumber.id, q1_again.id] == ["Q1", "sum-2", "Q1-2"]
    assert q1.text == "1 + 1 = 2" and q1.tags == ["Arithmetic"]
    assert idnumber.tags == ["Arithmetic", "easy", "numbers"]
    assert apostrophe.id == "Jesus-hometown" and accented.id == "Ete"
    assert escapes.id == "Escapes:-all-of-them" and escapes.tags == ["Escapes"]
    assert escapes.text == r"Which is not a control character: ~ = # { } : or \\ ?"
    assert escapes.type == "single_choice"
    assert [(c.text, c.correct) for c in escapes.choices] == [("~", False), ("\\\\", True)]
    assert escapes.choices[0].feedback == "~ is a control character."
    assert line_break.type == "fill_blank"
    assert line_break.text == "A question split\\\nby an escaped line break. ____"
    assert line_break.blanks[0].accepted == ["yes", "ja"]
    assert report.inexact == []


def test_windows_line_ends_byte_order_mark_and_empty_files() -> None:
    question = one("\ufeff// c\r\n::T::Q?{\r\n=a\r\n~b}\r\n\r\n")
    assert question.id == "T" and question.type == "single_choice"
    assert read_gift("", "e.gift").quizzes == []
    assert read_gift("$CATEGORY: a/b\n\n// only comments\n", "e.gift").quizzes == []


def test_category_line_may_head_a_question_block() -> None:
    question = one("$CATEGORY: tom/dick/harry\nQ?{T}")
    assert question.tags == ["harry"] and question.text == "Q?"


@pytest.mark.parametrize(
    ("path", "tag"),
    [
        ("$course$/top/Default for C/Sub", "Sub"),
        ("$course$/top", None),
        ("a/b//c", "b/c"),
    ],
)
def test_category_tags(path: str, tag: str | None) -> None:
    assert category_tag(path) == tag


@pytest.mark.parametrize(
    ("source", "ident"),
    [("week-3.gift", "week-3"), ("dir/Quiz 1.gift.txt", "Quiz-1"), ("...gift", "quiz")],
)
def test_quiz_id_from_file_name(source: str, ident: str) -> None:
    assert quiz_id(source) == ident


def test_the_quiz_is_named_after_the_file() -> None:
    (quiz,) = read_gift("Q?{T}", "some/dir/unit_2-review.gift").quizzes
    assert (quiz.id, quiz.title) == ("unit_2-review", "Unit 2 Review")


def test_question_without_text_is_reported() -> None:
    report = read_gift("::T::{=a ~b}\n\nQ?{T}", "t.gift")
    assert len(report.quizzes[0].questions) == 1
    assert reasons(report) == [("line 1", "the question has no text")]


def test_partial_best_answers_when_none_earns_full_credit() -> None:
    report = read_gift("Q?{=%50%a =%50%b}\n\nN?{#=%50%4}", "t.gift")
    fill, numeric = report.quizzes[0].questions
    assert fill.type == "fill_blank" and fill.blanks[0].accepted == ["a", "b"]
    assert numeric.type == "numeric" and numeric.value == 4
    assert [r for _, r in reasons(report)] == [
        "no answer earns full credit; the best ones earn 50%",
        "no answer earns full credit; the best one earns 50%",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Q?{=a ~b", "line 1", "not closed"),
        ("Q?\n{\n=a\n~b", "line 2", "not closed"),
        ("Q} text {=a}", "line 1", "a } without a {"),
        ("Q?{=a\n~{b}", "line 2", "a { inside an answer set"),
        ("Match.{\n=a -> b\n=c d\n=e -> f}", "line 3", "without ->"),
        ("Match.{=a -> b}", "line 1", "at least two"),
        ("Match.{=a -> b =c ->}", "line 1", "nothing after ->"),
        ("N?{#abc}", "line 1", "'abc' is not a number"),
        ("N?{#\n=1..x}", "line 2", "'x' is not a number"),
        ("N?{#3,14}", "line 1", "not a number"),
        ("N?{#1e999}", "line 1", "too large"),
        ("N?{#}", "line 1", "without answers"),
        ("N?{# ~#wrong}", "line 1", "without answers"),
        ("Q?{=}", "line 1", "without answers"),
        ("Q?{~a ~}", "line 1", "at least two answers"),
        ("Q?{~%100%a}", "line 1", "at least two answers"),
    ],
)
def test_a_malformed_question_is_skipped_with_its_line(text: str, line: str, message: str) -> None:
    report = read_gift(f"Before?{{T}}\n\n{text}\n\nAfter?{{F}}", "bad.gift")
    (quiz,) = report.quizzes
    assert [q.text for q in quiz.questions] == ["Before?", "After?"]
    skipped = [i for i in report.inexact if i.skipped]
    assert [i.location for i in skipped] == [f"line {int(line.split()[1]) + 2}"]
    assert message in skipped[0].reason
    assert skipped[0].action == "not imported"
    assert skipped[0].original == text


def test_only_text_that_is_not_gift_at_all_fails() -> None:
    with pytest.raises(ImportFailed) as failure:
        read_gift("# A Markdown page\n\nWith two paragraphs.\n", "notes.gift")
    assert "not GIFT" in failure.value.message
    with pytest.raises(ImportFailed) as failure:
        read_gift("ok{T}\n\nbad \ud800{T}", "bad.gift")
    assert failure.value.location == "line 3" and "surrogate" in failure.value.message
    only_bad = read_gift("Q?{=a ~b", "bad.gift")
    assert only_bad.quizzes == [] and only_bad.inexact[0].skipped


def test_original_text_is_shortened() -> None:
    report = read_gift("Q?{=a ~b\n" + "x" * 1000, "long.gift")
    (item,) = report.inexact
    assert len(item.original) == 300 and item.original.endswith("…")


_GIFT_PIECES = st.one_of(
    st.sampled_from(["{", "}", "=", "~", "#", "->", "%50%", "%-25%", ":", "::", "..", "\\"]),
    st.sampled_from(["T", "1", "-2.5", "a", " ", "\n", "\n\n", "[html]", "<b>", "&amp;", "$$"]),
    st.sampled_from(["// c\n", "$CATEGORY: x\n"]),
)


@given(st.lists(_GIFT_PIECES, max_size=30).map("".join))
def test_any_text_imports_or_fails_cleanly(text: str) -> None:
    try:
        report = read_gift(text, "fuzz.gift")
    except ImportFailed as failure:
        assert failure.location.startswith("line ") or "not GIFT" in failure.message
        return
    for quiz in report.quizzes:
        for q in quiz.questions:
            assert grade(q, right_answer(q)).correct, q
            assert not grade(q, wrong_answer(q)).correct, q


def test_lower_case_true_is_a_short_answer_as_in_moodle_and_reported() -> None:
    report = read_gift("The sky is blue.{true}", "t.gift")
    (question,) = report.quizzes[0].questions
    assert question.type == "fill_blank" and question.blanks[0].accepted == ["true"]
    assert "T, TRUE, F or FALSE" in report.inexact[0].reason


def test_html_never_stays_markup() -> None:
    question = one(
        "[html]<script>alert(1)</script><p onclick\\='x'>Pick &lt;one&gt;</p>"
        "{=<img src\\=x alt\\=pic> ok ~<a href\\='javascript:alert(1)'>no</a>}"
    )
    assert question.type == "single_choice"
    assert question.text == r"Pick \<one>"
    assert [c.text for c in question.choices] == ["pic ok", "no"]


# Quirks of real files, each a minimal reproduction of what the corpus (CORPUS.md) holds.


def test_tilde_equals_is_a_right_answer_as_in_moodle() -> None:
    """rognit/GL02_TC_Forever U5-p50: `{~likes~=doesn't}` (Moodle turns `=` into `~=`)."""
    report = read_gift("The writer {~likes~=doesn't} like chilli.", "t.gift")
    (question,) = report.quizzes[0].questions
    assert question.type == "single_choice"
    assert question.text == "The writer ____ like chilli."
    assert right_texts(question) == ["doesn't"]
    assert report.inexact == []


def test_empty_answers_are_left_out_as_moodle_does() -> None:
    report = read_gift("Q?{~a ~ ~b =c ~}\n\nS?{=x =}", "t.gift")
    choice, short = report.quizzes[0].questions
    assert [c.text for c in choice.choices] == ["a", "b", "c"]
    assert short.type == "fill_blank" and short.blanks[0].accepted == ["x"]
    assert [(i.location, i.reason) for i in report.inexact] == [
        ("line 1", "2 empty answer(s) (nothing after ~ or =)"),
        ("line 3", "1 empty answer(s) (nothing after ~ or =)"),
    ]
    assert not any(i.skipped for i in report.inexact)


def test_cloze_answer_sets_become_blanks() -> None:
    """rognit/GL02_TC_Forever: Moodle Cloze sets `{1:SA:…}`, `{1:MC:…}` inside an [html] text."""
    report = read_gift(
        "::Gaps::[html]<p>Very {1:SA:=few} people like it; most of us {1:SA:=get~=become}"
        " used to it.</p><p>It is {1:MC:~so~=such~too} a habit.</p>",
        "t.gift",
    )
    (question,) = report.quizzes[0].questions
    assert question.type == "fill_blank" and question.id == "Gaps"
    assert question.text == (
        "Very ____ people like it; most of us ____ used to it.\n\n"
        "It is ____ (so / such / too) a habit."
    )
    assert [b.accepted for b in question.blanks] == [["few"], ["get", "become"], ["such"]]
    assert grade(question, ["Few", "become", "such"]).correct
    (note,) = report.inexact
    assert note.reason.startswith("3 answer sets in one question; Moodle reads only the first")
    assert "Cloze" in note.reason and "choices inside the text" in note.reason
    assert note.action.startswith("imported as fill in the blanks")
    assert note.original.startswith("::Gaps::[html]<p>Very {1:SA:=few}")


def test_several_gift_answer_sets_become_blanks() -> None:
    """vlad-bsuir-master/pm: a text with a GIFT answer set in each gap."""
    report = read_gift(
        "Risk {~is ~=has} an owner, and {=a register =the register} lists it; {#3:1} steps.",
        "t.gift",
    )
    (question,) = report.quizzes[0].questions
    assert question.type == "fill_blank"
    assert question.text == "Risk ____ (is / has) an owner, and ____ lists it; ____ steps."
    assert [b.accepted for b in question.blanks] == [["has"], ["a register", "the register"], ["3"]]
    assert question.blanks[2].tolerance == 1
    assert grade(question, ["has", "The register", "4"]).correct
    assert report.inexact[0].reason.startswith("3 answer sets in one question")


def test_a_blank_line_inside_an_answer_set() -> None:
    """vlad-bsuir-master/pm question 6: the closing } after a blank line."""
    text = "::Q6:: What does it hold? {\n    ~a\n    =b\n\n}\n\n::Q7:: Next?{T}"
    report = read_gift(text, "t.gift")
    q6, q7 = report.quizzes[0].questions
    assert q6.type == "single_choice" and right_texts(q6) == ["b"] and q7.id == "Q7"
    (note,) = report.inexact
    assert note.location == "line 1" and note.action == "read as one question"
    assert "a blank line inside the answer set" in note.reason


def test_an_essay_set_apart_from_its_markdown_text() -> None:
    report = read_gift("[markdown]Explain **why**:\n- one\n- two\n\n{}", "t.gift")
    (question,) = report.quizzes[0].questions
    assert question.type == "short_answer"
    assert question.text == "Explain **why**:\n- one\n- two"
    assert "stands apart from its text" in report.inexact[0].reason


def test_a_stray_closing_brace_after_the_answer_set_stays_text() -> None:
    report = read_gift("Q?{=a ~b}\nthen}\n\nNext{T}", "t.gift")
    first, second = report.quizzes[0].questions
    assert first.type == "single_choice" and first.text.endswith("then}")
    assert second.text == "Next"
    assert report.inexact[0].reason == "a } without a { after the answer set, at line 2"


def test_braces_inside_formulas_are_literal() -> None:
    """LaTeX written without escaping its braces, in the text and in the answers."""
    report = read_gift(
        "[markdown]Simplify $\\frac{2}{4}$ and $$x^{2}$$:{=$\\frac{1}{2}$ ~$\\frac{1}{3}$}\n\n"
        "Simplify \\(\\frac{2}{4}\\):{=\\(\\frac{1}{2}\\) ~\\(\\frac{1}{3}\\)}\n\n"
        "It costs $5 {=yes ~no} or $6.",
        "t.gift",
    )
    markdown, moodle, price = report.quizzes[0].questions
    assert markdown.type == "single_choice"
    assert markdown.text == "Simplify $\\frac{2}{4}$ and $$x^{2}$$:"
    assert [c.text for c in markdown.choices] == ["$\\frac{1}{2}$", "$\\frac{1}{3}$"]
    assert moodle.text == "Simplify $\\frac{2}{4}$:"
    assert [c.text for c in moodle.choices] == ["$\\frac{1}{2}$", "$\\frac{1}{3}$"]
    assert price.type == "single_choice" and right_texts(price) == ["yes"]
    assert report.inexact == []


def test_an_unclosed_title_is_text_as_in_moodle() -> None:
    """fuhrmanator's notes: `::T1d:Water …` (one colon closing the title)."""
    report = read_gift("::T1d:Water is made of {=2 =two} hydrogen atoms.", "t.gift")
    (question,) = report.quizzes[0].questions
    assert question.text == "T1d:Water is made of ____ hydrogen atoms."
    assert report.inexact[0].reason == "the title ::… is not closed by ::"


def test_text_after_the_answer_set_in_moodle_fixture() -> None:
    """moodle/moodle's own fixture ends two questions with `}";`: Moodle reads a missing word."""
    (quiz,) = read_gift(
        '::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}";\n', "m.gift"
    ).quizzes
    (numeric,) = quiz.questions
    assert numeric.type == "numeric"
    assert numeric.text == 'What is a number from 1 to 5? ____";'
    assert (numeric.value, numeric.tolerance) == (3, 2)


# The corpus of real files (CORPUS.md): every file, then damaged copies of them.


def assert_sound(report: ImportReport, text: str) -> None:
    """Every question passes the quiz checks and grades its own key; every note is located."""
    lines = text.count("\n") + 2
    for item in report.inexact:
        match = re.fullmatch(r"line (\d+)", item.location)
        assert match and 1 <= int(match.group(1)) <= lines, item
        assert item.reason and item.action
        assert item.original or not item.skipped, item
    for quiz in report.quizzes:
        data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert [p for p in check_quiz_data(data) if p.severity == "error"] == []
        for q in quiz.questions:
            assert grade(q, right_answer(q)).correct, q
            assert not grade(q, wrong_answer(q)).correct, q


@needs_corpus
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_every_real_file_imports(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    report = read_gift(text, path.name)
    assert_sound(report, text)
    has_questions = any("{" in line for line in text.splitlines() if not line.startswith("//"))
    assert bool(report.quizzes) or not has_questions or any(i.skipped for i in report.inexact)


@needs_corpus
def test_the_corpus_keeps_at_least_95_percent_of_its_questions() -> None:
    imported = skipped = 0
    for path in REAL:
        report = read_gift(path.read_text(encoding="utf-8"), path.name)
        imported += sum(len(quiz.questions) for quiz in report.quizzes)
        skipped += sum(i.skipped for i in report.inexact)
    assert len(REAL) >= 30
    assert imported >= 0.95 * (imported + skipped)


_DAMAGE = st.sampled_from(
    ["", "{", "}", "=", "~", "#", "####", "->", "::", "%50%", "\\", "$", "$$", "\n", "\n\n", "//"]
)


@given(
    st.sampled_from(range(len(SEEDS))),
    st.floats(0, 1),
    st.lists(st.tuples(st.floats(0, 1), _DAMAGE, st.integers(0, 3)), max_size=6),
)
def test_truncated_and_mutated_real_files_import_or_fail_cleanly(
    index: int, keep: float, edits: list[tuple[float, str, int]]
) -> None:
    text = SEEDS[index]
    text = text[: round(len(text) * keep)]
    for where, piece, removed in edits:
        at = round(len(text) * where)
        text = text[:at] + piece + text[at + removed :]
    try:
        report = read_gift(text, "damaged.gift")
    except ImportFailed as failure:
        assert failure.location.startswith("line ") or "not GIFT" in failure.message
        return
    assert_sound(report, text)


@given(st.binary(max_size=2000))
def test_random_bytes_import_or_fail_cleanly(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        report = read_gift(text, "noise.gift")
    except ImportFailed as failure:
        assert failure.location.startswith("line ") or "not GIFT" in failure.message
        return
    assert_sound(report, text)


def test_a_question_repeated_word_for_word_gets_its_own_id() -> None:
    """fuhrmanator/GIFT-grammar-PEG.js numerical1.gift asks the same question twice."""
    (quiz,) = read_gift("Q?{T}\n\nQ?{T}\n\n::Q::Q?{T}", "t.gift").quizzes
    first, second, titled = (q.id for q in quiz.questions)
    assert first.startswith("q-") and second == f"{first}-2" and titled == "Q"
    data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert check_quiz_data(data) == []


def test_choices_listed_after_a_blank_show_as_written() -> None:
    question = one("[html]<p>Is 1 {~<~=>} 0, and 2 {=>} 1?</p>")
    assert question.type == "fill_blank"
    assert question.text == r"Is 1 ____ (\< / >) 0, and 2 ____ 1?"
    assert [b.accepted for b in question.blanks] == [[">"], [">"]]
