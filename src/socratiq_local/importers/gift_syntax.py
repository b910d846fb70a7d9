"""GIFT syntax, read the way Moodle's importer reads it: blocks, escapes, titles, answer sets.

Questions are blocks of lines parted by blank lines; lines starting with `//` are comments
(whose `[id:…]` and `[tag:…]` Moodle reads); `$CATEGORY:` sets the category of what follows.
A backslash escapes `~ = # { } :` and itself, and `\\n` is a line break. Escaped characters are
swapped for placeholders (lone surrogates, which no decoded text contains) while the structure
is read, and put back by `restore`. Every position keeps its source line, so errors can say
where they are.

Braces inside LaTeX math (`$$…$$`, `\\(…\\)`, `\\[…\\]`, or `$…$` holding a `\\`, `^` or `_`)
are literal when they pair up within the formula: authors write `$\\frac{1}{2}$` unescaped, and
Moodle, which would take `{1}` for the answer set, garbles such questions. Where a blank line
parts a text from its answer set, or cuts an answer set, the two blocks are read as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPABLE = "\\:#={}~n"
_PLACEHOLDER = {c: chr(0xD800 + ord(c)) for c in _ESCAPABLE}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?|-?\.\d+)%")
_COMMENT_ID = re.compile(r"\[id:((?:\\]|[^\]\x00-\x1f])+)\]")
_COMMENT_TAG = re.compile(r"\[tag:((?:\\]|[^\]<>\x00-\x1f])+)\]")
_CATEGORY = "$CATEGORY:"
_MATH = re.compile(r"\$\$.+?\$\$|\\\(.+?\\\)|\\\[.+?\\\]|\$[^$\n]+?\$", re.S)
_BRACES = str.maketrans({"{": _PLACEHOLDER["{"], "}": _PLACEHOLDER["}"]})


class GiftSyntaxError(Exception):
    """Malformed GIFT, at a source line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def restore(text: str) -> str:
    """Put escaped characters back (`\\n` as a line break)."""
    return text.translate(_RESTORE)


@dataclass(frozen=True)
class Located:
    """Block text with escapes swapped for placeholders, and the source line of each line."""

    text: str
    line_numbers: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.line_numbers[self.text.count("\n", 0, offset)]


@dataclass(frozen=True)
class Block:
    """One question (or category switch): its lines without comments, and its comments."""

    located: Located
    comments: tuple[str, ...]
    source: str
    category: str | None = None
    #: Why the block was read from more than one block of lines (see `read_blocks`).
    joined: str | None = None

    def idnumber(self) -> str | None:
        """Moodle's `// [id:…]` comment: the author's own id for the question."""
        match = _COMMENT_ID.search("\n".join(self.comments))
        return match.group(1).replace("\\]", "]").strip() if match else None

    def tags(self) -> list[str]:
        """Moodle's `// [tag:…]` comments."""
        found = _COMMENT_TAG.findall("\n".join(self.comments))
        return [t.replace("\\]", "]").strip() for t in found if t.strip()]


def _literal_math_braces(text: str) -> str:
    """Braces that pair up inside a formula, as placeholders (literal braces)."""

    def mask(match: re.Match[str]) -> str:
        formula = match.group()
        dollars = formula.startswith("$") and not formula.startswith("$$")
        if dollars and not re.search(r"[\\^_]", formula):
            return formula  # prices ($5 … $6), not math
        depth = 0
        for char in formula:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                return formula
        return formula.translate(_BRACES) if depth == 0 else formula

    return _MATH.sub(mask, text)


def _masked(lines: list[tuple[int, str]]) -> str:
    """Lines as one text, escapes and braces inside formulas swapped for placeholders."""
    text = "\n".join(_ESCAPE.sub(lambda m: _PLACEHOLDER[m.group(1)], t) for _, t in lines)
    return _literal_math_braces(text)


def _block(lines: list[tuple[int, str]], comments: list[str], joined: str | None) -> Block:
    category = None
    if lines and lines[0][1].lstrip().startswith(_CATEGORY):
        category = lines[0][1].lstrip()[len(_CATEGORY) :].strip()
        lines = lines[1:]
    located = Located(_masked(lines), tuple(n for n, _ in lines) or (0,))
    source = "\n".join(t for _, t in lines)
    return Block(located, tuple(comments), source, category, joined)


def _left_open(lines: list[tuple[int, str]]) -> bool:
    """The lines end inside an answer set: a `{` whose `}` has not come yet."""
    inside = False
    for brace in re.sub(r"[^{}]", "", _masked(lines)):
        inside = brace == "{"
    return inside


def _join_reason(first: list[tuple[int, str]], second: list[tuple[int, str]]) -> str | None:
    """Why two blocks parted by blank lines are one question, or None when they are not."""
    braces = re.sub(r"[^{}]", "", _masked(second))
    if braces.startswith("}") and _left_open(first):
        return (
            "a blank line inside the answer set {…} (Moodle stops the question there:"
            " Could not find {...} around answers)"
        )
    text = _masked(first)
    if (
        second[0][1].lstrip().startswith("{")
        and not re.search("[{}]", text)
        and not first[0][1].lstrip().startswith((_CATEGORY, "::"))
    ):
        return (
            "the answer set {…} stands apart from its text (Moodle reads a text and"
            " a question without text)"
        )
    return None


def read_blocks(source_text: str) -> list[Block]:
    """The blocks of a GIFT file, in order; blocks holding only comments are left out.

    Two blocks are read as one question where the blank line between them parts the
    answer set from its text, or cuts through the answer set (see `_join_reason`).
    """
    lines = source_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    groups: list[tuple[list[tuple[int, str]], list[str]]] = []
    body: list[tuple[int, str]] = []
    comments: list[str] = []
    for number, line in enumerate([*lines.split("\n"), ""], start=1):
        if _SURROGATE.search(line):
            raise GiftSyntaxError(number, "the text has an unpaired surrogate (not Unicode text)")
        if line.lstrip().startswith("//"):
            comments.append(line.strip())
        elif line.strip():
            body.append((number, line))
        else:
            if body:
                groups.append((body, comments))
            body, comments = [], []
    blocks: list[Block] = []
    joined: str | None = None
    for n, (lines_, comments_) in enumerate(groups):
        if n + 1 < len(groups):
            reason = _join_reason(lines_, groups[n + 1][0])
            if reason:
                groups[n + 1] = (lines_ + groups[n + 1][0], comments_ + groups[n + 1][1])
                joined = joined or reason
                continue
        blocks.append(_block(lines_, comments_, joined))
        joined = None
    return blocks


@dataclass(frozen=True)
class Answer:
    """One answer of an answer set: `=` or `~` (or nothing), an optional %weight%, feedback."""

    marker: str
    weight: float | None
    text: str
    feedback: str | None
    line: int
    raw: str = field(repr=False)


@dataclass(frozen=True)
class RawQuestion:
    """A question block read into its parts; texts still hold escape placeholders."""

    line: int
    title: str | None
    before: str
    after: str | None
    body: str
    body_start: int
    general_feedback: str | None
    located: Located = field(repr=False)
    #: Every answer set, as (`{` offset, `}` offset); Moodle reads only the first.
    sets: tuple[tuple[int, int], ...] = ()
    #: What was read differently from the letter of the text, for the report.
    notes: tuple[str, ...] = ()

    @property
    def is_missing_word(self) -> bool:
        """Text after the answer set: the answers fill a blank where the set stood."""
        return self.after is not None and bool(self.after.strip())

    def line_at(self, offset: int) -> int:
        return self.located.line_at(offset)


def _title(located: Located) -> tuple[str | None, int]:
    text = located.text
    start = len(text) - len(text.lstrip())
    if not text.startswith("::", start):
        return None, start
    end = text.find("::", start + 2)
    if end < 0:  # Moodle drops the `::` and reads the rest as the question's text
        return None, start + 2
    return restore(text[start + 2 : end]).strip(), end + 2


def _answer_sets(located: Located, start: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Where each `{` and its `}` are (none in a description), and stray `}` after a set.

    Moodle reads the first `{` and the first `}` after it, so a `}` after the answer set stays
    in the question's text: such strays are returned, to be read as literal braces.
    """
    sets: list[tuple[int, int]] = []
    strays: list[int] = []
    opening: int | None = None
    for match in re.finditer(r"[{}]", located.text[start:]):
        position = start + match.start()
        if match.group() == "{":
            if opening is not None:
                raise GiftSyntaxError(
                    located.line_at(position),
                    "a { inside an answer set; write \\{ for a literal brace",
                )
            opening = position
        elif opening is None and sets:
            strays.append(position)
        elif opening is None:
            raise GiftSyntaxError(
                located.line_at(position),
                "a } without a { before it (Moodle: Could not find {...} around answers);"
                " write \\} for a literal brace",
            )
        else:
            sets.append((opening, position))
            opening = None
    if opening is not None:
        raise GiftSyntaxError(
            located.line_at(opening),
            "the answer set { is not closed by } (Moodle: Could not find {...} around answers)",
        )
    return sets, strays


def read_question(block: Block) -> RawQuestion:
    """Split a question block into title, text, answer set and general feedback."""
    located = block.located
    title, start = _title(located)
    first_line = located.line_numbers[0]
    sets, strays = _answer_sets(located, start)
    notes: tuple[str, ...] = ()
    if strays:
        text = list(located.text)
        for position in strays:
            text[position] = _PLACEHOLDER["}"]
        located = Located("".join(text), located.line_numbers)
        notes = (f"a }} without a {{ after the answer set, at line {located.line_at(strays[0])}",)
    if not sets:
        rest = located.text[start:]
        return RawQuestion(first_line, title, rest, None, "", start, None, located)
    opening, closing = sets[0]
    body = located.text[opening + 1 : closing]
    general = body.rfind("####")
    general_feedback = body[general + 4 :].strip() if general >= 0 else None
    if general >= 0:
        body = body[:general]
    return RawQuestion(
        line=first_line,
        title=title,
        before=located.text[start:opening],
        after=located.text[closing + 1 :],
        body=body,
        body_start=opening + 1,
        general_feedback=general_feedback or None,
        located=located,
        sets=tuple(sets),
        notes=notes,
    )


def split_answers(
    question: RawQuestion, markers: str, start: int = 0, end: int | None = None
) -> list[Answer]:
    """The answers in `body[start:end]`, each starting at one of `markers`.

    Text before the first marker is an answer too, as in Moodle's importer.
    """
    stop = len(question.body) if end is None else end
    starts = [
        m.start()
        for m in re.compile(f"[{re.escape(markers)}]").finditer(question.body, start, stop)
    ]
    bounds = [start, *starts] if not starts or starts[0] > start else starts
    answers: list[Answer] = []
    for begin, finish in zip(bounds, [*bounds[1:], stop], strict=True):
        raw = question.body[begin:finish]
        marker = raw[0] if raw[:1] and raw[0] in markers else ""
        content = raw[len(marker) :].strip()
        if not marker and not content:
            continue
        indent = len(raw) - len(raw.lstrip()) if not marker else 0
        answers.append(
            _answer(marker, content, question.line_at(question.body_start + begin + indent))
        )
    return answers


def _answer(marker: str, raw: str, line: int) -> Answer:
    """An answer's %weight%, text and #feedback (matching reads `raw` instead)."""
    weight = None
    content = raw
    match = _WEIGHT.match(content)
    if match:
        weight = float(match.group(1)) / 100
        content = content[match.end() :]
    text, hash_, feedback = content.partition("#")
    return Answer(marker, weight, text.strip(), feedback.strip() if hash_ else None, line, raw)
