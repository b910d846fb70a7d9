"""The Quarto extension, through real pandoc runs of examples/quarto with the filter that
`socratiq-local quarto-extension` writes: pre-rendered placeholders, the dashboard and progress
listing the book's quiz files, the script tag only on pages that need it, quiz files and the
bundle published once, broken quizzes failing the build with the page, line and problem, and
MLSysBook chapters. Quarto itself cannot be installed here: pandoc runs the filter as Quarto
would, page by page, with the project's _quarto.yml as metadata; one test stands in Quarto's
Lua API (`quarto.doc`, `quarto.project`) to run the filter's Quarto branch."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Site generators run at build time on CPython, never in a reader's browser.
if sys.platform == "emscripten":
    pytest.skip("no site generator (or subprocess) under Pyodide", allow_module_level=True)

from socratiq_local import __version__
from socratiq_local.integrations.quarto import EXTENSION

from .test_packaged_bundle import FILES, make_bundle, tree

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "quarto"
MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook" / "vol1_introduction_quizzes.json"
PAGES = ("index", "chapters/latency", "chapters/batching", "progress")
SCRIPT = re.compile(r"<script[^>]*socratiq\.js[^>]*>")
#: The command line a book's build runs for each page (Quarto passes the same to pandoc).
FILTER = "_extensions/socratiq/socratiq.lua"


def pandoc_path() -> str:
    path = shutil.which("pandoc")
    if path is None:
        pytest.fail("Debian's pandoc is not installed (./build.sh installs it)")
    return path


def environment() -> dict[str, str]:
    """socratiq-local on PATH, as an author's activated venv has it."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def render(
    book: Path, page: str, *extra: str, out: bool = True
) -> subprocess.CompletedProcess[str]:
    """One page, as pandoc renders it from the book's root into site/."""
    target = book / "site" / f"{page}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        pandoc_path(), "--metadata-file", "_quarto.yml", *extra, "--lua-filter", FILTER,
        "-f", "markdown", "-t", "html5", "-s", "--shift-heading-level-by=-1", f"{page}.qmd",
        *(["-o", str(target)] if out else []),
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=book, env=environment(), capture_output=True, text=True, check=False
    )


def build(book: Path) -> None:
    for page in PAGES:
        built = render(book, page)
        assert built.returncode == 0, built.stderr


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The example book with the extension written into it, its bundle a small one."""
    book = Path(shutil.copytree(EXAMPLE, tmp_path / "book"))
    written = subprocess.run(
        [sys.executable, "-m", "socratiq_local", "quarto-extension", "-o", str(book)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "_extensions/socratiq" in written.stdout
    bundle = make_bundle(tmp_path / "bundle", FILES)
    config = book / "_quarto.yml"
    config.write_text(config.read_text() + f"  bundle-source: {bundle}\n")
    return book


def html(book: Path, page: str) -> str:
    return (book / "site" / f"{page}.html").read_text(encoding="utf-8")


def test_the_extension_is_written_from_the_package(book: Path) -> None:
    folder = book / "_extensions" / "socratiq"
    assert sorted(p.name for p in folder.iterdir()) == ["_extension.yml", "socratiq.lua"]
    assert f'version: "{__version__}"' in (folder / "_extension.yml").read_text()
    assert "- socratiq.lua" in (folder / "_extension.yml").read_text()
    assert (folder / "socratiq.lua").read_text() == (EXTENSION / "socratiq.lua").read_text()


def test_the_example_book_builds_with_its_quizzes_drawn(book: Path, tmp_path: Path) -> None:
    build(book)

    latency = html(book, "chapters/latency")
    assert (
        '<div class="socratiq-quiz" data-src="../quizzes/serving.json"'
        ' data-section="sec-serving-latency"><template shadowrootmode="open">'
        '<link rel="stylesheet" href="../socratiq/styles.css">'
    ) in latency
    assert "Why do interactive inference services usually set their latency" in latency
    assert ">Model serving</h2>" in latency  # the quiz's title: the file's first placeholder
    assert SCRIPT.findall(latency) == [
        '<script src="../socratiq/socratiq.js" data-book="serving-models" async="">'
    ]

    batching = html(book, "chapters/batching")
    assert 'data-section="sec-serving-batching"' in batching
    assert ">Model serving</h2>" not in batching  # title="false"
    assert '<div class="socratiq-quiz" data-src="../quizzes/inline/serving-basics.json">' in (
        batching
    )
    assert "What does batching requests on a GPU mostly improve?" in batching
    assert "```" not in batching and "id: serving-basics" not in batching

    progress = html(book, "progress")
    listed = "quizzes/serving.json quizzes/inline/serving-basics.json"
    assert f'<div class="socratiq-dashboard" data-quizzes="{listed}"></div>' in progress
    assert (
        f'<div class="socratiq-progress" data-chapter="serving" data-quizzes="{listed}"></div>'
    ) in progress
    assert SCRIPT.findall(progress) == [
        '<script src="socratiq/socratiq.js" data-book="serving-models" async="">'
    ]
    assert SCRIPT.findall(html(book, "index")) == []  # no quiz, no script

    site = book / "site"
    assert (site / "quizzes" / "serving.json").read_bytes() == (
        book / "quizzes" / "serving.json"
    ).read_bytes()
    published = json.loads((site / "quizzes" / "inline" / "serving-basics.json").read_text())
    assert published["questions"][0]["choices"][0]["correct"] is True
    assert tree(site / "socratiq") == tree(tmp_path / "bundle")


def test_the_bundle_is_copied_once(book: Path) -> None:
    build(book)
    script = book / "site" / "socratiq" / "socratiq.js"
    os.utime(script, (0, 0))
    build(book)
    assert script.stat().st_mtime == 0, "the bundle was copied again"


def test_a_broken_quiz_file_fails_the_build_naming_page_line_and_problem(book: Path) -> None:
    quiz_file = book / "quizzes" / "serving.json"
    quiz = json.loads(quiz_file.read_text())
    quiz["questions"][8]["answer"] = "nope"
    quiz_file.write_text(json.dumps(quiz, indent=2))

    built = render(book, "chapters/latency")

    assert built.returncode != 0
    found = re.search(
        r"chapters/latency\.qmd:6: \.\./quizzes/serving\.json:(\d+): questions\[8\]\.answer: "
        r"error: Input should be a valid boolean",
        built.stderr,
    )
    assert found, built.stderr
    line = quiz_file.read_text().splitlines()[int(found[1]) - 1]
    assert '"answer": "nope"' in line
    assert not (book / "site" / "chapters" / "latency.html").exists()


def test_every_broken_block_of_a_page_is_named(book: Path) -> None:
    (book / "chapters" / "bad.qmd").write_text(
        "# Bad\n\n"
        '::: {.quiz file="../quizzes/serving.json" sectoin="sec-serving-latency"}\n:::\n\n'
        "```quiz\nid: oops\nquestions: [nope\n```\n\n"
        '::: {.quiz file="../quizzes/serving.json" section="sec-typo"}\n:::\n\n'
        '::: {.quiz file="../quizzes/missing.json"}\n:::\n'
    )

    built = render(book, "chapters/bad")

    assert built.returncode != 0
    for line, problem in [
        (3, "unknown key(s) beside src: sectoin"),
        (8, "not valid YAML or JSON"),
        (11, "The quiz “Model serving” has no questions for section sec-typo."),
        (14, "../quizzes/missing.json: cannot read: No such file or directory"),
    ]:
        assert f"chapters/bad.qmd:{line}: {problem}" in built.stderr


def test_a_quiz_written_in_a_div_is_drawn_and_published(book: Path) -> None:
    page = book / "chapters" / "latency.qmd"
    page.write_text(
        page.read_text()
        + '\n::: {.quiz}\n```json\n{"id": "in-a-div", "title": "In a div", "questions": '
        '[{"id": "q", "type": "true_false", "text": "Written in the div.", "answer": true}]}'
        "\n```\n:::\n"
    )
    built = render(book, "chapters/latency")
    assert built.returncode == 0, built.stderr
    drawn = html(book, "chapters/latency")
    assert '<div class="socratiq-quiz" data-src="../quizzes/inline/in-a-div.json">' in drawn
    assert "Written in the div." in drawn and "```" not in drawn
    assert (book / "site" / "quizzes" / "inline" / "in-a-div.json").is_file()


def test_a_quiz_div_inside_code_is_left_alone(book: Path) -> None:
    page = book / "chapters" / "latency.qmd"
    page.write_text(
        '# Writing a quiz\n\n````markdown\n::: {.quiz file="nowhere.json"}\n:::\n````\n\n'
        + page.read_text().split("\n", 1)[1]
    )
    built = render(book, "chapters/latency")
    assert built.returncode == 0, built.stderr
    assert html(book, "chapters/latency").count('class="socratiq-quiz"') == 1


def test_a_page_written_to_stdout_gets_its_quizzes(book: Path) -> None:
    built = render(book, "chapters/latency", out=False)
    assert built.returncode == 0, built.stderr
    assert 'data-section="sec-serving-latency"' in built.stdout


def test_mlsysbook_chapters_get_their_quiz_file_on_the_script_tag(book: Path) -> None:
    shutil.copy(MLSYSBOOK, book / "chapters" / "introduction_quizzes.json")
    (book / "chapters" / "introduction.qmd").write_text(
        "---\nquiz: introduction_quizzes.json\n---\n\n# Introduction\n\n## AI Pervasiveness\n"
    )
    config = book / "_quarto.yml"
    config.write_text(config.read_text() + "  mlsysbook: true\n")

    assert render(book, "chapters/introduction").returncode == 0
    assert SCRIPT.findall(html(book, "chapters/introduction")) == [
        '<script src="../socratiq/socratiq.js" data-book="serving-models"'
        ' data-mlsysbook="introduction_quizzes.json" async="">'
    ]
    published = book / "site" / "chapters" / "introduction_quizzes.json"
    assert published.read_bytes() == MLSYSBOOK.read_bytes()
    assert render(book, "index").returncode == 0
    assert SCRIPT.findall(html(book, "index")) == []  # a page without `quiz:` gets nothing

    build(book)  # the dashboard counts the chapter's file too, in its format
    assert "mlsysbook:chapters/introduction_quizzes.json" in html(book, "progress")

    (book / "chapters" / "introduction_quizzes.json").write_text("{oops")
    broken = render(book, "chapters/introduction")
    assert broken.returncode != 0
    assert "chapters/introduction.qmd: quiz: introduction_quizzes.json:" in broken.stderr


def test_a_data_mlsysbook_pattern_goes_on_every_page(book: Path) -> None:
    config = book / "_quarto.yml"
    config.write_text(config.read_text() + '  mlsysbook: "{chapter}_quizzes.json"\n')
    assert render(book, "index").returncode == 0
    assert 'data-mlsysbook="{chapter}_quizzes.json"' in html(book, "index")


QUARTO = """-- Quarto's Lua API as Quarto gives it to a filter (only what ours reads), then our
-- filter, then a last one putting what went to the page's head into its body, to be seen.
quarto = {
  doc = {
    input_file = PROJECT .. "/chapters/latency.qmd",
    is_format = function(name) return name == "html" end,
    include_text = function(where, text) HEADER = where .. ":" .. text end,
  },
  project = { directory = PROJECT, output_directory = PROJECT .. "/_book", offset = ".." },
}
local filters = dofile(PROJECT .. "/_extensions/socratiq/socratiq.lua")
table.insert(filters, { Pandoc = function(doc)
  table.insert(doc.blocks, pandoc.RawBlock("html", HEADER))
  return doc
end })
return filters
"""


def test_under_quarto_the_filter_uses_quartos_paths_and_includes(book: Path) -> None:
    """Quarto runs the filter in the page's folder with its own API: the page's source, the
    project and its output folder come from it, and the script goes in by include_text."""
    (book / "as-quarto.lua").write_text(f"PROJECT = {json.dumps(str(book))}\n" + QUARTO)
    target = book / "intermediate.html"
    command = [
        pandoc_path(), "--metadata-file", "../_quarto.yml", "--lua-filter", "../as-quarto.lua",
        "-f", "markdown", "-t", "html5", "latency.qmd", "-o", str(target),
    ]  # fmt: skip
    built = subprocess.run(
        command, cwd=book / "chapters", env=environment(), capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    page = target.read_text()
    assert 'in-header:<script src="../socratiq/socratiq.js" data-book="serving-models"' in page
    assert 'data-src="../quizzes/serving.json"' in page
    assert (book / "_book" / "quizzes" / "serving.json").is_file()
    assert (book / "_book" / "socratiq" / "manifest.json").is_file()
