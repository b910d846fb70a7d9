"""Which format a quiz file is in, told by its name and content when nobody says.

Shared by the page (a dashboard may list native and MLSysBook files side by side) and the
command line (`import --from auto`, and `validate`'s hint that a file is a foreign format).
It reads shapes only, never whole importers, so a page showing native quizzes stays light:
MLSysBook's chapter files hold a `sections` list whose entries carry `section_id` /
`quiz_data`; ours hold `questions` of our types; jupyterquiz's a list of questions with
`answers`; quizdown is Markdown with a heading and a task list (or a page with quizdown
blocks); GIFT has `{…}` answer blocks after its questions.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Literal

ForeignFormat = Literal["mlsysbook", "jupyterquiz", "quizdown", "gift"]
AnyFormat = Literal["native", "mlsysbook", "jupyterquiz", "quizdown", "gift"]

_JUPYTERQUIZ_TYPES = ("multiple_choice", "many_choice", "numeric", "string")
_QUIZDOWN_BLOCK = re.compile(
    r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{?quizdown\}?[ \t]*$|<div\b[^>]*\bclass=[\"'][^\"']*"
    r"\bquizdown\b",
    re.M | re.I,
)
_NATIVE_BLOCK = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{?quiz\}?(?:[ \t]|$)", re.M)
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.M)
_TASK_OR_NUMBERED = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?\S", re.M)
_TASK = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]", re.M)
_GIFT_ANSWERS = re.compile(
    r"\{\s*(?:T|F|TRUE|FALSE)\s*(?:#[^{}]*)?\}|\{\s*#[^{}]*\}|\{[^{}]*?(?<=[\s{])[=~][^{}]*\}",
    re.M,
)
_GIFT_MARK = re.compile(r"^\s*(?:::[^:\n]+::|//|\$CATEGORY:)", re.M)
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd", ".rmd", ".myst", ".html", ".htm", ".rst")


def _json(text: str) -> object:
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return None


def looks_like_mlsysbook(text: str) -> bool:
    """Whether `text` is shaped like an MLSysBook chapter quiz file (not whether it is valid)."""
    if '"sections"' not in text:  # most native files are told apart without parsing them
        return False
    data = _json(text)
    if not isinstance(data, dict) or "questions" in data:
        return False
    sections = data.get("sections")
    return isinstance(sections, list) and any(
        isinstance(section, dict) and ("quiz_data" in section or "section_id" in section)
        for section in sections
    )


def _jupyterquiz_question(value: object) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") in _JUPYTERQUIZ_TYPES
        and isinstance(value.get("answers"), list)
    )


def looks_like_jupyterquiz(text: str) -> bool:
    """A JSON list of questions with `answers` (or one such question) of jupyterquiz's types."""
    data = _json(text)
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        data = data["questions"]
    if isinstance(data, list):
        return any(_jupyterquiz_question(q) for q in data)
    return _jupyterquiz_question(data)


def looks_like_quizdown(text: str) -> bool:
    """A page with quizdown blocks, or quizdown itself: a heading and a task list after it."""
    if _QUIZDOWN_BLOCK.search(text):
        return True
    heading = _HEADING.search(text)
    return heading is not None and _TASK.search(text, heading.end()) is not None


def looks_like_gift(text: str) -> bool:
    """Moodle GIFT: answer blocks in braces, and a title, comment or category line, or several
    blocks; never a JSON file."""
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return False
    blocks = len(_GIFT_ANSWERS.findall(text))
    return blocks >= 2 or (blocks == 1 and _GIFT_MARK.search(text) is not None)


def detect(text: str, name: str = "") -> AnyFormat | None:
    """The format of a file, from its name and content; None when they do not settle it."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".gift":
        return "gift"
    if suffix == ".json" or text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        if looks_like_mlsysbook(text) or (name.endswith("_quizzes.json") and _stub(text)):
            return "mlsysbook"
        if looks_like_jupyterquiz(text):
            return "jupyterquiz"
        data = _json(text)
        return "native" if isinstance(data, dict) and "questions" in data else None
    if suffix in _MARKDOWN_SUFFIXES or not suffix or suffix == ".txt":
        if _NATIVE_BLOCK.search(text) and not _QUIZDOWN_BLOCK.search(text):
            return "native"
        if looks_like_quizdown(text):
            return "quizdown"
        if looks_like_gift(text):
            return "gift"
    return None


def _stub(text: str) -> bool:
    data = _json(text)
    return isinstance(data, dict) and not any(v for k, v in data.items() if k != "metadata")


def foreign_format(text: str, name: str = "") -> ForeignFormat | None:
    """The foreign format a file looks like, if any (a hint for `validate` and the page)."""
    found = detect(text, name)
    return None if found is None or found == "native" else found
