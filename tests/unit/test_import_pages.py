"""Quizzes written inside pages: quizdown blocks in Markdown, MyST, Quarto, reStructuredText
and HTML (as the MkDocs, Sphinx and Quarto quizdown plugins write them), and native quizzes in
a page's quiz blocks. Minimal reproductions of the plugins' own example pages."""

import json
from pathlib import Path

import pytest

from socratiq_local.importers.native import read_native
from socratiq_local.importers.quizdown import read_quizdown
from socratiq_local.importers.report import ImportFailed
from socratiq_local.quiz.checks import load_quiz

QUIZ = "# Which is prime?\n\n- [x] 2\n- [ ] 4\n"
SAMPLES = Path(__file__).parents[2] / "quizzes"


@pytest.mark.parametrize(
    ("page", "line"),
    [
        (f"Intro.\n\n```quizdown\n{QUIZ}```\n", 4),  # mkdocs-quizdown, quarto-quizdown
        (f"Intro.\n\n```{{quizdown}}\n{QUIZ}```\n", 4),  # MyST
        (f"Intro.\n\n:::{{quizdown}}\n:class: wide\n{QUIZ}:::\n", 5),  # MyST colon fence
        (f"Intro.\n\n::: {{.quizdown}}\n{QUIZ}:::\n", 4),  # a Quarto div
        (f"<p>Intro.</p>\n<div class='box quizdown'>\n{QUIZ}</div>\n", 2),  # HTML
        (f"Intro\n=====\n\n.. quizdown::\n\n   {QUIZ.replace(chr(10), chr(10) + '   ')}\n", 6),
        (f"- item\n\n    ```quizdown\n    {QUIZ.replace(chr(10), chr(10) + '    ')}```\n", 4),
    ],
)
def test_a_quizdown_block_in_a_page_is_found_and_reported_at_the_pages_lines(
    page: str, line: int
) -> None:
    report = read_quizdown(page + "\n```quizdown\n# Broken\n```\n", "chapter.md")
    (quiz, *_) = report.quizzes
    assert quiz.id == "chapter-1" and [q.text for q in quiz.questions] == ["Which is prime?"]
    assert [c.correct for c in quiz.questions[0].choices] == [True, False]  # type: ignore[union-attr]
    (skipped,) = report.skipped
    broken = page.count("\n") + 3
    assert skipped.location == f"line {broken}" and skipped.original == "# Broken"
    assert report.inexact == [skipped]
    assert line < broken


def test_each_block_is_a_quiz_of_its_own_numbered_after_the_page() -> None:
    page = f"# Chapter\n\n```quizdown\n{QUIZ}```\n\nText.\n\n```quizdown\n{QUIZ}```\n"
    report = read_quizdown(page, "docs/intro.qmd")
    assert [q.id for q in report.quizzes] == ["intro-1", "intro-2"]


def test_a_block_shown_in_a_longer_fence_is_an_example_beside_a_real_one() -> None:
    example = "````markdown\n```quizdown\n# Example?\n- [x] a\n- [ ] b\n```\n````\n"
    page = f"{example}\n```quizdown\n{QUIZ}```\n"
    (quiz,) = read_quizdown(page, "page.md").quizzes
    assert [q.text for q in quiz.questions] == ["Which is prime?"]


def test_a_documentation_page_imports_its_examples_with_a_note() -> None:
    """quizdown's docs/syntax.md shows its quizzes in ```markdown blocks, and has an options
    block (`---`) never closed; each example imports as a quiz."""
    page = (
        "# Quiz types\n\n- Each question starts with a heading.\n\n```markdown\n"
        f"{QUIZ}```\n\n## Sequence\n\n```markdown\n# Order\n\n1. One\n2. Two\n```\n\n---\n\n"
        "## Pairs (WIP)\n"
    )
    report = read_quizdown(page, "syntax.md")
    assert [q.questions[0].type for q in report.quizzes] == ["multiple_choice", "ordering"]
    assert [i.location for i in report.inexact] == ["line 6", "line 15"]
    assert all("example in a code block" in i.reason for i in report.inexact)


def test_a_block_naming_a_quiz_file_is_noted_not_skipped() -> None:
    report = read_quizdown(
        ".. quizdown:: quiz.md\n\n.. quizdown::\n\n   # Q?\n\n   - [x] a\n   - [ ] b\n", "p.rst"
    )
    assert len(report.quizzes) == 1 and report.skipped == []
    assert report.inexact[0].reason == "a quizdown block naming the file quiz.md"


def test_native_quizzes_in_a_pages_quiz_blocks_round_trip() -> None:
    quiz = json.loads((SAMPLES / "serving.json").read_text(encoding="utf-8"))
    quiz.pop("$schema", None)
    page = (
        f"# Serving\n\n```quiz\n{json.dumps(quiz, indent=2)}\n```\n\n"
        "```{quiz} quizzes/ch1.json\n:section: sec-a\n```\n\n```quiz\nid: [unclosed\n```\n"
    )
    report = read_native(page, "serving.md")
    (imported,) = report.quizzes
    assert imported == load_quiz(json.dumps(quiz))
    notes = [(i.location, i.action, i.skipped) for i in report.inexact]
    lines = page.split("\n")
    reference = lines.index("```{quiz} quizzes/ch1.json") + 3
    broken = lines.index("id: [unclosed") + 1
    assert notes == [
        (f"line {reference}", "nothing to import", False),
        (f"line {broken}", "skipped", True),
    ]


def test_a_native_file_reads_as_itself_and_a_bad_one_fails_with_its_problem() -> None:
    text = (SAMPLES / "serving.json").read_text(encoding="utf-8")
    assert read_native(text, "serving.json").quizzes[0].id == "serving"
    with pytest.raises(ImportFailed) as failure:
        read_native('{"id": "x"}', "x.json")
    assert failure.value.location == "title" or failure.value.message
    with pytest.raises(ImportFailed):
        read_native("Just prose.", "x.md")
