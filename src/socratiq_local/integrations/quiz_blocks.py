"""Quiz blocks in a page's Markdown: fenced ```` ```quiz ````, ```` ```quiz-dashboard ```` and
```` ```quiz-progress ````.

An author writes a quiz where it goes, either whole (a native quiz as YAML or JSON) or as a
reference to a quiz file (`src: quizzes/ch1.json`, optionally `section: sec-x`,
`format: mlsysbook`, `title: false`). The generator's drop-in replaces each block with the
placeholder; this module only finds the blocks and reads them, and says where a broken one is
(the page's line), so a build fails on the author's own line rather than deep inside a template.
Fences nested in a longer fence (a page showing how to write a quiz) are left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml  # PyYAML: every Markdown site generator brings it

from ..quiz.checks import QuizFileError, load_quiz
from ..quiz.models import Quiz
from .locate import problem_line
from .prerender import QuizFormat

BlockKind = Literal["quiz", "quiz-dashboard", "quiz-progress"]
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)[^`]*$")
_REFERENCE_KEYS = {"src", "section", "format", "title"}


class BlockError(ValueError):
    """A quiz block that cannot be used: where (the page's line) and why."""

    def __init__(self, page: str, line: int, problem: str) -> None:
        self.page, self.line, self.problem = page, line, problem
        super().__init__(f"{page}:{line}: {problem}")


@dataclass(frozen=True)
class Block:
    """A fenced quiz block: its kind, the lines it spans (0-based, fences included), its
    indentation (kept for the replacement, so a block inside an admonition stays inside),
    and its body, unindented; `line` is the opening fence's 1-based line in the page's file,
    which has `offset` lines (front matter) above the Markdown."""

    kind: BlockKind
    start: int
    end: int
    indent: str
    body: str
    offset: int = 0

    @property
    def line(self) -> int:
        return self.offset + self.start + 1


@dataclass(frozen=True)
class QuizReference:
    """A block naming a quiz file, as written (relative to the page, or to the docs root with
    a leading `/`)."""

    src: str
    section: str | None
    format_name: QuizFormat
    show_title: bool


def find_blocks(markdown: str, offset: int = 0) -> Iterator[Block]:
    """Every quiz block in the page, in order; `offset`: the file's lines above `markdown`."""
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        end = _closing(lines, index + 1, fence, indent)
        if opening["info"] in ("quiz", "quiz-dashboard", "quiz-progress"):
            body = "\n".join(_unindent(line, indent) for line in lines[index + 1 : end])
            kind: BlockKind = opening["info"]  # type: ignore[assignment]
            yield Block(kind, index, end, indent, body, offset)
        index = end + 1


def _closing(lines: list[str], start: int, fence: str, indent: str) -> int:
    """The closing fence's index (or the last line: an unclosed fence runs to the end)."""
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        same_kind = stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence)
        if same_kind and line.startswith(indent):
            return index
    return len(lines) - 1


def _unindent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip()


def read_block(block: Block, page: str) -> Quiz | QuizReference:
    """The quiz written in a `quiz` block, or the quiz file it names; a BlockError otherwise."""
    data = _parse(block, page)
    if not isinstance(data, dict):
        raise BlockError(page, block.line, "a quiz block holds a quiz or `src: <quiz file>`")
    if "questions" not in data and "src" in data:
        return _reference(data, block, page)
    try:
        return load_quiz(json.dumps(data, default=str), f"{page}:{block.line}")
    except QuizFileError as error:
        raise _located(error, block, page) from None


def read_progress(block: Block, page: str) -> list[str]:
    """The chapters a `quiz-progress` block names (`chapters: ch1 ch2`, or a YAML list);
    none: every chapter of the book."""
    data = _parse(block, page)
    if data is None:
        return []
    chapters = data.get("chapters") if isinstance(data, dict) and len(data) == 1 else None
    if isinstance(chapters, str):
        chapters = chapters.split()
    if not isinstance(chapters, list) or not all(isinstance(c, str) for c in chapters):
        raise BlockError(
            page, block.line, "a quiz-progress block holds `chapters: <ids>`, or nothing"
        )
    return chapters


def _parse(block: Block, page: str) -> Any:
    try:
        return yaml.safe_load(block.body)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = block.line + 1 + (mark.line if mark is not None else 0)
        reason = getattr(error, "problem", None) or str(error)
        raise BlockError(page, line, f"not valid YAML or JSON: {reason}") from None


def _reference(data: dict[str, Any], block: Block, page: str) -> QuizReference:
    unknown = sorted(set(data) - _REFERENCE_KEYS)
    if unknown:
        raise BlockError(page, block.line, f"unknown key(s) beside src: {', '.join(unknown)}")
    src, section, format_name = data.get("src"), data.get("section"), data.get("format", "native")
    if not isinstance(src, str) or not src:
        raise BlockError(page, block.line, "src must name a quiz file")
    if section is not None and not isinstance(section, str):
        raise BlockError(page, block.line, "section must be a section id (sec-…)")
    if format_name not in ("native", "mlsysbook"):
        raise BlockError(page, block.line, "format must be native or mlsysbook")
    show_title = data.get("title", True)
    if not isinstance(show_title, bool):
        raise BlockError(page, block.line, "title must be true or false")
    return QuizReference(src, section, format_name, show_title)


def _located(error: QuizFileError, block: Block, page: str) -> BlockError:
    """Every error of a quiz written in the page, each at the page's line it is on (the first
    line of the block's body is the one after the opening fence)."""
    said = []
    for problem in (p for p in error.problems if p.severity == "error"):
        line = block.line + (problem_line(problem, block.body, yaml_text=True) or 0)
        where = f"{problem.location}: " if problem.location else ""
        said.append((line, where + problem.message))
    first_line, first = said[0]
    rest = "".join(f"\n  {page}:{line}: {problem}" for line, problem in said[1:])
    return BlockError(page, first_line, first + rest)
