"""The Sphinx extension, through real `sphinx-build` runs of examples/sphinx (reStructuredText
and MyST Markdown): pre-rendered placeholders, the dashboard listing the book's quiz files, the
script tag only on pages that need it, the bundle copied once, broken quizzes failing the build
with the page, line and problem. The bundle is a small one made as build_bundle makes it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Site generators run at build time on CPython, never in a reader's browser.
if sys.platform == "emscripten":
    pytest.skip("no site generator (or subprocess) under Pyodide", allow_module_level=True)

from .test_packaged_bundle import FILES, make_bundle, tree

EXAMPLE = Path(__file__).parents[2] / "examples" / "sphinx"
SCRIPT = re.compile(r"<script[^>]*socratiq\.js[^>]*>")


def sphinx_build(
    book: Path, out: Path, bundle: Path, *, fresh: bool = True
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-q", *(["-E"] if fresh else [])]
    command += ["-D", f"socratiq_bundle_source={bundle}"]
    return subprocess.run(
        [*command, str(book), str(out)], capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The example book, with one page a folder deeper (relative paths)."""
    book = Path(shutil.copytree(EXAMPLE, tmp_path / "book"))
    (book / "part").mkdir()
    (book / "part" / "deep.rst").write_text(
        "Deep\n====\n\n.. quiz:: ../quizzes/data-pipelines.json\n"
        "   :section: sec-data-pipelines-loading\n"
    )
    index = book / "index.rst"
    index.write_text(index.read_text().replace("   about\n", "   about\n   part/deep\n"))
    return book


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundle", FILES)


def test_the_example_book_builds_with_its_quizzes_drawn(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    built = sphinx_build(book, out, bundle)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""

    pipelines = (out / "pipelines.html").read_text()
    assert pipelines.count('<div class="socratiq-quiz" data-src="quizzes/data-pipelines.json"') == 2
    assert 'data-section="sec-data-pipelines-ingestion"' in pipelines
    assert '<template shadowrootmode="open">' in pipelines
    assert "_static/socratiq/styles.css" in pipelines
    assert "Reading the shards in date order" in pipelines  # a question of the loading section

    myst = (out / "shuffling.html").read_text()
    assert '<div class="socratiq-quiz" data-src="_quizzes/shuffling.json">' in myst
    assert "A shuffle buffer larger than the dataset gives a global shuffle." in myst
    assert 'data-section="sec-data-pipelines-validation"' in myst
    published = json.loads((out / "_quizzes" / "shuffling.json").read_text())
    assert published["questions"][0]["answer"] is True
    assert (out / "quizzes" / "data-pipelines.json").read_bytes() == (
        book / "quizzes" / "data-pipelines.json"
    ).read_bytes()

    deep = (out / "part" / "deep.html").read_text()
    assert 'data-src="../quizzes/data-pipelines.json"' in deep
    assert "../_static/socratiq/styles.css" in deep
    assert SCRIPT.findall(deep) == [
        '<script async="async" data-book="example-book" src="../_static/socratiq/socratiq.js">'
    ]

    index = (out / "index.html").read_text()
    book_files = (
        'data-quizzes="quizzes/data-pipelines.json _quizzes/shuffling.json"'  # reading order
    )
    assert f'<div class="socratiq-dashboard" {book_files}></div>' in index
    every_chapter = 'data-chapters="data-pipelines shuffling"'  # in the toctree's order
    assert f'<div class="socratiq-progress" {every_chapter} {book_files}></div>' in index
    assert '<div class="socratiq-progress" data-chapter="data-pipelines" ' + book_files in (
        pipelines
    )
    for page in ("index", "pipelines", "shuffling"):
        assert len(SCRIPT.findall((out / f"{page}.html").read_text())) == 1, page
    for page in ("about", "genindex", "search"):
        assert SCRIPT.findall((out / f"{page}.html").read_text()) == [], page

    assert tree(out / "_static" / "socratiq") == tree(bundle)
    assert [p for p in out.rglob("manifest.json")] == [
        out / "_static" / "socratiq" / "manifest.json"
    ]


def test_a_broken_quiz_file_fails_the_build_naming_page_line_file_line_and_problem(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    quiz_file = book / "quizzes" / "data-pipelines.json"
    text = quiz_file.read_text()
    quiz_file.write_text(text.replace('"answer": false,', '"answer": "nope",'))
    line = text[: text.index('"answer": false')].count("\n") + 1

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert (
        f"{book / 'pipelines.rst'}:17: ERROR: quizzes/data-pipelines.json:{line}: "
        "questions[7].answer: error: Input should be a valid boolean"
    ) in built.stderr
    assert f"{book / 'shuffling.md'}:19: ERROR:" in built.stderr
    assert not (tmp_path / "site" / "_static" / "socratiq").exists()


def test_a_missing_field_of_a_quiz_file_names_the_line_of_its_question(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    quiz_file = book / "quizzes" / "data-pipelines.json"
    text = quiz_file.read_text()
    quiz_file.write_text(text.replace('"text": "What does the final', '"txt": "What does the'))
    lines = text.split("\n")
    question = lines.index('      "id": "data-prefetch",')  # its "{" is the line above
    typo = next(n for n, line in enumerate(lines, 1) if "What does the final" in line)

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert f"quizzes/data-pipelines.json:{question}: questions[8].text: error: required" in (
        built.stderr
    )
    assert f"quizzes/data-pipelines.json:{typo}: questions[8].txt: error: unknown" in (built.stderr)


def test_a_broken_quiz_in_a_markdown_page_fails_the_build(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    page = book / "shuffling.md"
    page.write_text(page.read_text().replace("answer: true", "answer: [oops"))

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert f"{page}:14: ERROR: invalid YAML" in built.stderr  # where YAML finds out


def test_a_wrong_field_of_a_quiz_in_a_page_names_its_line_in_the_page(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    page = book / "shuffling.md"
    page.write_text(page.read_text().replace("answer: true", "answer: maybe"))

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert (
        f"{page}:13: ERROR: line 13: questions[0].answer: error: Input should be a valid boolean"
    ) in built.stderr


def test_a_quiz_in_a_restructuredtext_page_names_the_line_of_each_problem(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    page = book / "about.rst"
    page.write_text(
        "About\n=====\n\n.. quiz::\n\n   id: about\n   title: About\n   questions:\n"
        "     - type: true_false\n       txt: Typo.\n       answer: true\n"
        "     - type: numeric\n       text: How many?\n       value: many\n"
    )

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert f"{page}:9: ERROR: line 9: questions[0].text: error: required field" in built.stderr
    assert "line 10: questions[0].txt: error: unknown field" in built.stderr
    assert "line 14: questions[1].value: error: Input should be a valid number" in built.stderr


def test_a_progress_element_naming_a_chapter_no_quiz_has_fails_every_build(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    page = book / "about.rst"
    page.write_text(page.read_text() + "\n.. quiz-progress:: shuffling data-pipelinez\n")
    said = (
        f"{page}:6: no quiz of the book is in chapter data-pipelinez "
        "(the book's chapters: data-pipelines, shuffling)"
    )

    built = sphinx_build(book, tmp_path / "site", bundle)
    assert built.returncode == 1
    assert said in built.stderr
    assert SCRIPT.findall((tmp_path / "site" / "about.html").read_text()) != []

    again = sphinx_build(book, tmp_path / "site", bundle, fresh=False)  # no page read again
    assert again.returncode == 1
    assert said in again.stderr


def test_a_section_with_no_question_fails_the_build(
    book: Path, bundle: Path, tmp_path: Path
) -> None:
    page = book / "pipelines.rst"
    page.write_text(page.read_text().replace("sec-data-pipelines-loading", "sec-typo"))

    built = sphinx_build(book, tmp_path / "site", bundle)

    assert built.returncode == 1
    assert f"{page}:17: ERROR: quizzes/data-pipelines.json: no question is in section" in (
        built.stderr
    )
