"""GIFT syntax, read the way Moodle's importer reads it: blocks, escapes, titles, answer sets.

Questions are blocks of lines parted by blank lines; lines starting with `//` are comments
(whose `[id:…]` and `[tag:…]` Moodle reads); `$CATEGORY:` sets the category of what follows.
A backslash escapes `~ = # { } :` and itself, and `\\n` is a line break. Escaped characters are
swapped for placeholders (lone surrogates, which no decoded text contains) while the structure
is read, and put back by `restore`. Every position keeps its source line, so errors can say
where they are.
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
    category: str | None = None

    def idnumber(self) -> str | None:
        """Moodle's `// [id:…]` comment: the author's own id for the question."""
        match = _COMMENT_ID.search("\n".join(self.comments))
        return match.group(1).replace("\\]", "]").strip() if match else None

    def tags(self) -> list[str]:
        """Moodle's `// [tag:…]` comments."""
        found = _COMMENT_TAG.findall("\n".join(self.comments))
        return [t.replace("\\]", "]").strip() for t in found if t.strip()]


def _block(lines: list[tuple[int, str]], comments: list[str]) -> Block:
    category = None
    if lines and lines[0][1].lstrip().startswith(_CATEGORY):
        category = lines[0][1].lstrip()[len(_CATEGORY) :].strip()
        lines = lines[1:]
    text = "\n".join(_ESCAPE.sub(lambda m: _PLACEHOLDER[m.group(1)], t) for _, t in lines)
    located = Located(text, tuple(n for n, _ in lines) or (0,))
    return Block(located, tuple(comments), category)


def read_blocks(source_text: str) -> list[Block]:
    """The blocks of a GIFT file, in order; blocks holding only comments are left out."""
    lines = source_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
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
                blocks.append(_block(body, comments))
            body, comments = [], []
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
    if end < 0:
        raise GiftSyntaxError(
            located.line_at(start), "the question title (::title::) is not closed"
        )
    return restore(text[start + 2 : end]).strip(), end + 2


def _answer_set(located: Located, start: int) -> tuple[int, int] | None:
    """Where `{` and its `}` are; None for a block without one (a description)."""
    text = located.text
    opening = text.find("{", start)
    closing = text.find("}", start)
    if opening < 0 and closing < 0:
        return None
    if closing >= 0 and (opening < 0 or closing < opening):
        raise GiftSyntaxError(located.line_at(closing), "a } without a { before it")
    if closing < 0:
        raise GiftSyntaxError(located.line_at(opening), "the answer set { is not closed by }")
    nested = text.find("{", opening + 1, closing)
    if nested >= 0:
        raise GiftSyntaxError(
            located.line_at(nested), "a { inside an answer set; write \\{ for a literal brace"
        )
    extra = re.search(r"[{}]", text[closing + 1 :])
    if extra:
        raise GiftSyntaxError(
            located.line_at(closing + 1 + extra.start()),
            f"a second {extra.group()} after the answer set; a question has one answer set"
            " (write \\{ and \\} for literal braces)",
        )
    return opening, closing


def read_question(block: Block) -> RawQuestion:
    """Split a question block into title, text, answer set and general feedback."""
    located = block.located
    title, start = _title(located)
    first_line = located.line_numbers[0]
    braces = _answer_set(located, start)
    if braces is None:
        rest = located.text[start:]
        return RawQuestion(first_line, title, rest, None, "", start, None, located)
    opening, closing = braces
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
