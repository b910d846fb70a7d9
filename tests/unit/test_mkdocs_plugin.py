"""The MkDocs plugin, through real `mkdocs build`s of the example book (examples/mkdocs)."""

from __future__ import annotations

import hashlib
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

from socratiq_local.integrations.quiz_blocks import BlockError, find_blocks, read_block
from socratiq_local.quiz.checks import load_quiz

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mkdocs"
SCRIPT = re.compile(r'<script src="([^"]*socratiq\.js)" data-book="([^"]*)" async="">')


def fake_bundle(folder: Path) -> Path:
    """A small bundle in the real format (files listed with their sha256 in manifest.json)."""
    files = {"socratiq.js": b"window.socratiq = {};\n", "styles.css": b".sq-root {}\n"}
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    listed = [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in files.items()
    ]
    (folder / "manifest.json").write_text(json.dumps({"schema": 1, "files": listed}))
    return folder


def book(tmp_path: Path, *, instant: bool = False, bundle: Path | None = None) -> Path:
    """The example book in a temp folder, its bundle the fake one."""
    root = tmp_path / "book"
    shutil.copytree(EXAMPLE, root)
    config = (root / "mkdocs.yml").read_text()
    if not instant:
        config = config.replace("    - navigation.instant\n", "")
    source = bundle if bundle is not None else fake_bundle(tmp_path / "bundle")
    config = config.replace("  - socratiq\n", f"  - socratiq:\n      bundle_source: {source}\n")
    (root / "mkdocs.yml").write_text(config)
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_quiz_blocks_become_prerendered_placeholders_with_the_script_only_where_needed(
    tmp_path: Path,
) -> None:
    root = book(tmp_path)
    result = build(root)
    assert result.returncode == 0, result.stderr
    chapter = page(root, "chapters/serving/index.html")
    referenced = '<div class="socratiq-quiz" data-src="../../quizzes/serving.json"'
    assert referenced + ' data-section="sec-serving-latency"><template shadowrootmode="open">' in (
        chapter
    )
    assert "how many requests are in flight at once?" in chapter  # drawn at build time
    assert "Batching" not in chapter.split("socratiq-quiz", 1)[1].split("</template>")[0]
    inline = '<div class="socratiq-quiz" data-src="../../quizzes/inline/serving-basics.json">'
    assert inline in chapter
    assert "What does batching requests on a GPU mostly improve?" in chapter
    assert '<link rel="stylesheet" href="../../socratiq/styles.css">' in chapter
    assert "SOCRATIQBLOCK" not in chapter
    assert "```quiz" not in chapter and "src: ../quizzes" not in chapter

    assert SCRIPT.findall(chapter) == [("../../socratiq/socratiq.js", "serving-models")]
    assert SCRIPT.findall(page(root, "progress/index.html")) == [
        ("../socratiq/socratiq.js", "serving-models")
    ]
    assert SCRIPT.findall(page(root, "index.html")) == []  # no quiz: no tag

    dashboard = '<div class="socratiq-dashboard" data-quizzes="../quizzes/serving.json'
    assert dashboard + ' ../quizzes/inline/serving-basics.json"></div>' in page(
        root, "progress/index.html"
    )
    book_files = 'data-quizzes="../quizzes/serving.json ../quizzes/inline/serving-basics.json"'
    every_chapter = f'<div class="socratiq-progress" data-chapters="serving" {book_files}></div>'
    assert every_chapter in page(root, "progress/index.html")
    one = '<div class="socratiq-progress" data-chapter="serving" data-quizzes="../../quizzes/'
    assert one in chapter
    assert "socratiq-progress" not in page(root, "index.html")
    written = (root / "site/quizzes/inline/serving-basics.json").read_text()
    assert load_quiz(written, "inline").id == "serving-basics"

    copies = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("socratiq.js"))
    assert copies == [Path("socratiq/socratiq.js")]
    assert (root / "site/socratiq/manifest.json").is_file()


def test_with_material_instant_navigation_every_page_has_the_script(tmp_path: Path) -> None:
    root = book(tmp_path, instant=True)
    assert build(root).returncode == 0
    assert SCRIPT.findall(page(root, "index.html")) == [("socratiq/socratiq.js", "serving-models")]


def test_a_broken_quiz_file_fails_the_build_naming_the_page_file_and_line(tmp_path: Path) -> None:
    root = book(tmp_path)
    quiz = root / "docs/quizzes/serving.json"
    lines = quiz.read_text().split("\n")
    lines[5] = lines[5] + ","  # two commas: invalid JSON on line 6
    quiz.write_text("\n".join(lines))
    result = build(root)
    assert result.returncode != 0
    assert "chapters/serving.md:11: quizzes/serving.json: line 6" in result.stderr
    assert not (root / "site/socratiq").exists()


def test_a_wrong_value_in_a_quiz_file_names_the_page_line_and_the_files_line(
    tmp_path: Path,
) -> None:
    root = book(tmp_path)
    quiz = root / "docs/quizzes/serving.json"
    text = quiz.read_text()
    quiz.write_text(text.replace('"value": 10,', '"value": "ten",'))
    line = text[: text.index('"value": 10,')].count("\n") + 1
    result = build(root)
    assert result.returncode != 0
    assert (
        f"chapters/serving.md:11: quizzes/serving.json:{line}: questions[0].value: error: "
        "Input should be a valid number"
    ) in result.stderr


def test_a_broken_inline_quiz_fails_the_build_naming_the_line_of_each_problem(
    tmp_path: Path,
) -> None:
    root = book(tmp_path)
    chapter = root / "docs/chapters/serving.md"
    text = chapter.read_text()
    text = text.replace("    text: What does", "    tex: W").replace("correct: true", "correct: 1")
    chapter.write_text("---\ntitle: Serving\n---\n" + text)
    lines = chapter.read_text().split("\n")
    question = lines.index("  - id: batching-throughput") + 1
    typo = lines.index("    tex: W batching requests on a GPU mostly improve?") + 1
    correct = lines.index("        correct: 1") + 1
    result = build(root)
    assert result.returncode != 0
    said = result.stderr
    assert f"chapters/serving.md:{question}: questions[0].text: required field is missing" in said
    assert f"chapters/serving.md:{typo}: questions[0].tex: unknown field" in said
    assert f"chapters/serving.md:{correct}: questions[0].choices[0].correct: Input" in said


def test_a_progress_block_naming_a_chapter_no_quiz_has_fails_the_build(tmp_path: Path) -> None:
    root = book(tmp_path)
    (root / "docs/index.md").write_text(
        "# Home\n\n```quiz-progress\nchapters: [serving, srv]\n```\n"
    )
    result = build(root)
    assert result.returncode != 0
    assert (
        "socratiq: index.md:3: no quiz of the book is in chapter srv (the book's chapters: serving)"
    ) in result.stderr


def test_nav_progress_gives_templates_every_chapters_progress_on_every_page(
    tmp_path: Path,
) -> None:
    root = book(tmp_path)
    config = (root / "mkdocs.yml").read_text()
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    config = config.replace(
        "      bundle_source:", "      nav_progress: true\n      bundle_source:"
    )
    (root / "mkdocs.yml").write_text(config)
    (root / "overrides").mkdir()
    (root / "overrides/main.html").write_text(
        '{% extends "base.html" %}\n'
        "{% block content %}{{ socratiq_progress }}{{ super() }}{% endblock %}\n"
    )
    result = build(root)
    assert result.returncode == 0, result.stderr
    for path, up in (("index.html", ""), ("chapters/serving/index.html", "../../")):
        html = page(root, path)
        listed = f"{up}quizzes/serving.json {up}quizzes/inline/serving-basics.json"
        every_chapter = f'data-chapters="serving" data-quizzes="{listed}"'
        assert f'<div class="socratiq-progress" {every_chapter}></div>' in html, path
        assert len(SCRIPT.findall(html)) == 1, path  # the script on every page, once


def test_the_dashboard_and_every_chapter_follow_the_navs_order(tmp_path: Path) -> None:
    root = book(tmp_path)
    (root / "docs/chapters/a-later.md").write_text(
        "# Later\n\n```quiz\nid: later\ntitle: Later\nchapter: later\nquestions:\n"
        "  - {type: true_false, text: Is it later, answer: true}\n```\n"
    )
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(
        config.replace(
            "  - chapters/serving.md\n", "  - chapters/serving.md\n  - chapters/a-later.md\n"
        )
    )
    assert build(root).returncode == 0
    progress = page(root, "progress/index.html")
    files = (
        "../quizzes/serving.json ../quizzes/inline/serving-basics.json ../quizzes/inline/later.json"
    )
    assert f'<div class="socratiq-dashboard" data-quizzes="{files}"></div>' in progress
    assert f'data-chapters="serving later" data-quizzes="{files}"' in progress


def test_a_progress_block_holds_chapters_or_nothing(tmp_path: Path) -> None:
    root = book(tmp_path)
    (root / "docs/index.md").write_text("# Home\n\n```quiz-progress\nchapter: serving\n```\n")
    result = build(root)
    assert result.returncode != 0
    assert "index.md:3: a quiz-progress block holds `chapters: <ids>`, or nothing" in result.stderr


def test_without_a_bundle_the_build_says_where_it_looked_and_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = build(book(tmp_path, bundle=tmp_path / "empty"))
    assert result.returncode != 0
    assert f"no browser bundle in {tmp_path / 'empty'}" in result.stderr
    assert "./build.sh bundle" in result.stderr


def test_a_quiz_fence_shown_inside_a_longer_fence_is_left_alone() -> None:
    markdown = "````md\n```quiz\nsrc: a.json\n```\n````\n\n  ```quiz\n  src: b.json\n  ```\n"
    blocks = list(find_blocks(markdown))
    assert [(b.line, b.indent, b.body) for b in blocks] == [(7, "  ", "src: b.json")]


def test_a_block_that_is_not_yaml_names_its_line() -> None:
    (block,) = find_blocks("text\n\n```quiz\nsrc: a.json\nsection: [\n```\n")
    with pytest.raises(BlockError) as raised:
        read_block(block, "ch.md")
    assert raised.value.line == 5
    assert str(raised.value).startswith("ch.md:5: not valid YAML or JSON")
