"""Quizzes written inside a page: fenced blocks and directives of Markdown, MyST, Quarto and
HTML, as the quiz plugins of MkDocs, Sphinx and Quarto expect them.

For a block name such as `quizdown` this finds ```` ```quizdown ````, ```` ```{quizdown} ````
(MyST), `:::{quizdown}` / `::: {.quizdown}` (MyST colon fences, Quarto divs),
`<div class="quizdown">…</div>` (HTML) and `.. quizdown::` (reStructuredText, at the page's
top level: an indented one is an example inside another directive). A block shown inside
another fence (a page teaching the syntax) is an example, not a quiz, and is left alone. Each
block keeps its first line's number in the page, so a problem in it is reported there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$"
)
_DIV_OPEN = re.compile(r"<div\b[^>]*>", re.I)
_DIV_ANY = re.compile(r"<(/?)div\b[^>]*>", re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_DIRECTIVE_OPTION = re.compile(r"^:[\w-]+:(?:[ \t].*)?$")
_RST_DIRECTIVE = re.compile(r"^\.\. (?P<name>[\w-]+)::[ \t]*(?P<argument>.*?)[ \t]*$")


@dataclass(frozen=True)
class PageBlock:
    """A block's body, the page line its body starts on (1-based), and what follows the
    block's name on its opening line (a directive's argument)."""

    line: int
    body: str
    argument: str = ""


def _names_block(info: str, name: str) -> bool:
    """Whether a fence's info string opens a `name` block: name, {name}, {.name}, {name} arg."""
    words = info.strip().split()
    if not words:
        return False
    first = words[0].strip("{}").lstrip(".")
    return first == name or (info.startswith("{") and f".{name}" in info.split("}")[0].split())


def _fenced(lines: list[str], name: str) -> list[PageBlock]:
    found: list[PageBlock] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        if fence[0] == ":" and not _names_block(opening["info"], name):
            index += 1  # another directive or div (an admonition): its content is the page's
            continue
        end = index + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"]
                and len(closing["indent"]) <= len(opening["indent"]) + 3
            ):
                break
            end += 1
        if _names_block(opening["info"], name):
            body = lines[index + 1 : end]
            skip = 0
            while skip < len(body) and _DIRECTIVE_OPTION.match(body[skip].strip()):
                skip += 1  # MyST directive options (`:class: …`) belong to the directive
            indent = len(opening["indent"])
            kept = [line[indent:] if line[:indent].isspace() else line for line in body[skip:]]
            argument = opening["info"].strip().lstrip("{").partition(name)[2].lstrip("}").strip()
            found.append(PageBlock(index + 2 + skip, "\n".join(kept), argument))
        index = end + 1
    return found


def _rst(lines: list[str], name: str) -> list[PageBlock]:
    found: list[PageBlock] = []
    for index, line in enumerate(lines):
        directive = _RST_DIRECTIVE.match(line)
        if directive is None or directive["name"] != name:
            continue
        end = index + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in " \t"):
            end += 1
        body = lines[index + 1 : end]
        skip = 0
        while skip < len(body) and (
            not body[skip].strip() or _DIRECTIVE_OPTION.match(body[skip].strip())
        ):
            skip += 1
        found.append(PageBlock(index + 2 + skip, "\n".join(body[skip:]), directive["argument"]))
    return found


def _divs(text: str, name: str) -> list[PageBlock]:
    found: list[PageBlock] = []
    position = 0
    while (opening := _DIV_OPEN.search(text, position)) is not None:
        position = opening.end()
        classes = _CLASS.search(opening.group())
        if classes is None or name not in (classes.group(1) or classes.group(2) or "").split():
            continue
        depth, end = 1, len(text)
        for tag in _DIV_ANY.finditer(text, opening.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.start()
                break
        line = text.count("\n", 0, opening.end()) + 1
        if text[opening.end() : end].strip():  # an empty one is a mention in prose
            found.append(PageBlock(line, html.unescape(text[opening.end() : end])))
        position = end
    return found


def _code_lines(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines inside fenced code (``` or ~~~) and its fences."""
    inside: set[int] = set()
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        previous = lines[number - 2].strip() if number > 1 else ""
        if fence is None and opening and not opening["info"] and previous:
            opening = None  # a heading's underline (reStructuredText, setext), not a fence
        if fence is None and opening is not None and opening["fence"][0] != ":":
            fence = opening["fence"]
        elif (
            fence is not None
            and opening is not None
            and not opening["info"]
            and opening["fence"][0] == fence[0]
            and len(opening["fence"]) >= len(fence)
            and len(opening["indent"]) <= 3
        ):
            fence = None
        if fence is not None or (opening is not None and opening["fence"][0] != ":"):
            inside.add(number)
    return inside


def blocks_in_page(text: str, name: str) -> list[PageBlock]:
    """Every `name` block in a page, in page order (a directive or div shown in a code block
    is an example, not a quiz)."""
    lines = text.split("\n")
    code = _code_lines(lines)
    shown = [b for b in _rst(lines, name) + _divs(text, name) if b.line - 1 not in code]
    return sorted(_fenced(lines, name) + shown, key=lambda block: block.line)
