"""Which line of a quiz file a problem is on, for build errors an author can jump to.

The checks place a problem by its path in the document (`questions[7].answer`), which is what
pydantic knows; an author's editor wants a line. JSON files are walked with the standard
library's own decoder along that path only (the file was already parsed, so it is valid JSON);
YAML (a quiz written in a page) by PyYAML's node tree, which carries each node's line. A path
the document does not have all of (a missing field) gives the line of the deepest part it has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..quiz.checks import Problem, QuizFileError

Path = Sequence[int | str]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")
_PART = re.compile(r'\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][A-Za-z0-9_$]*)')


def parse_location(location: str) -> list[int | str] | None:
    """The path `format_location` wrote (`questions[3].choices[0]`), or None for a location
    that is no path (`line 6, column 3`, or empty)."""
    path: list[int | str] = []
    at = 0
    while at < len(location):
        part = _PART.match(location, at)
        if part is None:
            return None
        index, quoted, name = part.groups()
        path.append(int(index) if index else json.loads(quoted) if quoted else name)
        at = part.end()
    return path or None


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()  # type: ignore[union-attr]  # \s* always matches


def _child(text: str, at: int, part: int | str) -> int | None:
    """Where the member (its key) or element `part` of the value at `at` starts."""
    opening = text[at : at + 1]
    if opening not in ("{", "[") or isinstance(part, int) != (opening == "["):
        return None
    found, index, at = None, 0, _skip(text, at + 1)
    while text[at : at + 1] not in ("}", "]", ""):
        start = at
        if opening == "{":
            key, at = _DECODER.raw_decode(text, at)
            at = _skip(text, _skip(text, at) + 1)  # past the colon
            found = start if key == part else found  # the last of duplicate keys wins
        elif index == part:
            return start
        index += 1
        at = _skip(text, _DECODER.raw_decode(text, at)[1])
        at = _skip(text, at + 1) if text[at : at + 1] == "," else at
    return found


def _value(text: str, at: int) -> int:
    """Where the value of the member whose key starts at `at` starts."""
    return _skip(text, _skip(text, _DECODER.raw_decode(text, at)[1]) + 1)


def json_line(text: str, path: Path) -> int:
    """The 1-based line of `path` in a JSON document's text (of its deepest existing part)."""
    at = _skip(text, 0)
    value = at
    for part in path:
        found = _child(text, value, part)
        if found is None:
            break
        at = found
        value = _value(text, found) if isinstance(part, str) else found
    return text.count("\n", 0, at) + 1


def yaml_line(text: str, path: Path) -> int:
    """The 1-based line of `path` in a YAML document's text (of its deepest existing part)."""
    import yaml  # the generators' dependency (MkDocs, myst-parser); only YAML needs it

    node = yaml.compose(text)
    line = node.start_mark.line if node is not None else 0
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((pair for pair in node.value if pair[0].value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = (node.value[part],) * 2 if part < len(node.value) else None
        if child is None:
            break
        line, node = child[0].start_mark.line, child[1]
    return line + 1


def problem_line(problem: Problem, text: str, *, yaml_text: bool = False) -> int | None:
    """The line a problem is on, when its location is a path into the document."""
    path = parse_location(problem.location)
    if path is None:
        return None
    try:
        return yaml_line(text, path) if yaml_text else json_line(text, path)
    except ValueError:  # not the document the problem was found in
        return None


def describe_errors(error: QuizFileError, text: str, *, yaml_text: bool = False) -> str:
    """Each error of a quiz file on a line of its own, as `source:line: location: message`."""
    lines = []
    for problem in error.problems:
        if problem.severity != "error":
            continue
        line = problem_line(problem, text, yaml_text=yaml_text)
        source = f"{error.source}:{line}" if line is not None else error.source
        lines.append(problem.describe(source))
    return "\n".join(lines)
