"""quizdown-js Markdown quizzes → one native quiz per file.

quizdown (bonartm/quizdown-js) starts each question with a heading; the paragraphs and code
blocks after it are the rest of the question, a `>` blockquote is its hint, and the first list
holds the answers:

* `- [x]` / `- [ ]`, an unordered task list: multiple choice, right when exactly the checked
  answers are picked, however many are checked (so it stays multiple choice with one);
* `1. [x]` / `1. [ ]`, an ordered task list: single choice, exactly one checked;
* `1. first` `2. second`, an ordered list without boxes: a sequence, right in the listed order.

A `> comment` inside an answer is shown when that answer is picked (choice feedback). A `---`
block of flat YAML before the first heading holds the quiz's options; one after a heading holds
that question's. The Markdown subset quizdown reads is parsed here by hand, line by line, so
every problem names its line.

What quizdown-js's parser accepts is accepted (and noted): an options block or code block
never closed runs to the end of the file, as marked's does; answers without a box in a task
list are wrong answers; a task list with nothing checked, or a bulleted list without boxes,
is a choice question with no right answer. A question quizdown-js itself cannot show (no
answer list, several [x] in a numbered list) is skipped with its line, reason and text, and
the others imported. A page (Markdown, MyST, Quarto, HTML) holding quizdown blocks gives one
quiz per block; see pages.py.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from ..quiz.models import QUESTION_TYPES, AnyQuestion, Question, Quiz
from .mlsysbook import chapter_id
from .pages import PageBlock, blocks_in_page
from .report import ImportFailed, ImportReport, Inexact, skipped_question

_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_OPTIONS = re.compile(r"^ {0,3}-{3,}[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$")
_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+(.*))?$", re.S)
_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_SINGLE_QUOTED = re.compile(r"^'((?:[^']|'')*)'[ \t]*(?:#.*)?$")
_DOUBLE_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"[ \t]*(?:#.*)?$')
_INTEGER = re.compile(r"^[-+]?\d{1,18}$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d{1,3})?$")
_CODE_SPAN = re.compile(r"(`+)[\s\S]*?(?<!`)\1(?!`)")
_HTML_COMMENT = re.compile(r"<!--[\s\S]*?(?:-->|$)")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>")
_HEADING_THEN_LIST = re.compile(
    r"^ {0,3}#{1,6}[ \t][\s\S]*?^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]", re.M
)

#: quizdown accepts the snake_case names of versions up to 0.3 as well.
_CANONICAL = {
    "shuffle_answers": "shuffleAnswers",
    "shuffle_questions": "shuffleQuestions",
    "start_on_load": "startOnLoad",
    "primary_color": "primaryColor",
    "secondary_color": "secondaryColor",
    "text_color": "textColor",
    "enable_retry": "enableRetry",
}
#: quizdown options about its own page, colours and language: nothing to carry over.
_DISPLAY_OPTIONS = frozenset(
    {
        "startOnLoad",
        "primaryColor",
        "secondaryColor",
        "textColor",
        "locale",
        "passingGrade",
        "customPassMsg",
        "customFailMsg",
        "enableRetry",
        "customStyleSheet",
    }
)

BlockKind = Literal["heading", "text", "code", "quote", "list", "options"]


@dataclass
class _Answer:
    line: int
    box: bool | None  # None: no `[ ]` box; else whether it is checked
    text: str
    comment: str


@dataclass
class _Block:
    kind: BlockKind
    line: int
    text: str = ""
    ordered: bool = False
    answers: list[_Answer] = field(default_factory=list)
    entries: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Draft:
    """One question's blocks, from its heading to the next."""

    line: int
    heading: str
    parts: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    lists: list[_Block] = field(default_factory=list)
    options: list[_Block] = field(default_factory=list)


@dataclass
class _Option:
    line: int
    name: str
    value: object


class _Lexer:
    """Markdown lines → the blocks quizdown reads; fails on blocks that never close."""

    def __init__(self, lines: list[str], source: str) -> None:
        self.lines = lines
        self.source = source
        self.i = 0
        self.notes: list[Inexact] = []

    def blocks(self) -> list[_Block]:
        found: list[_Block] = []
        while self.i < len(self.lines):
            if not self.lines[self.i].strip():
                self.i += 1
            elif (block := self._block(self.lines[self.i])) is not None:
                found.append(block)
        return found

    def _block(self, line: str) -> _Block | None:
        if _OPTIONS.match(line):
            return self._options()
        if _fence(line):
            return self._fenced_code()
        if heading := _HEADING.match(line):
            self.i += 1
            return _Block("heading", self.i, text=heading.group(1) or "")
        if _RULE.match(line):
            self.i += 1
            return None
        if _QUOTE.match(line):
            return self._quote()
        if _ITEM.match(line):
            return self._list()
        if _indent(line) >= 4:
            return self._indented_code()
        return self._paragraph()

    def _options(self) -> _Block:
        start = self.i + 1
        block = _Block("options", start)
        self.i += 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            self.i += 1
            if _OPTIONS.match(line):
                return block
            block.entries.append((self.i, line))
        self.notes.append(
            Inexact(
                location=f"line {start}",
                reason="this `---` options block is never closed by another `---` line (for a"
                " horizontal rule, write `***`)",
                action="the rest of the file read as options, as quizdown does",
            )
        )
        return block

    def _fenced_code(self) -> _Block:
        opening = _fence(self.lines[self.i])
        assert opening is not None
        start = self.i
        closing = re.compile(rf"^ {{0,3}}{re.escape(opening[0])}{{{len(opening)},}}[ \t]*$")
        self.i += 1
        while self.i < len(self.lines):
            self.i += 1
            if closing.match(self.lines[self.i - 1]):
                return _Block("code", start + 1, text="\n".join(self.lines[start : self.i]))
        self.notes.append(
            Inexact(
                location=f"line {start + 1}",
                reason="this code block is never closed",
                action="the rest of the file read as code, as quizdown does",
            )
        )
        body = "\n".join(self.lines[start + 1 :])
        return _Block("code", start + 1, text=fenced(body))

    def _indented_code(self) -> _Block:
        start = self.i
        body: list[str] = []
        while self.i < len(self.lines) and (
            not self.lines[self.i].strip() or _indent(self.lines[self.i]) >= 4
        ):
            body.append(self.lines[self.i][4:])
            self.i += 1
        return _Block("code", start + 1, text=fenced("\n".join(body).strip("\n")))

    def _quote(self) -> _Block:
        start = self.i
        parts: list[str] = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if quoted := _QUOTE.match(line):
                parts.append(quoted.group(1))
            elif line.strip() and parts[-1].strip() and not _starts_block(line):
                parts.append(line.strip())  # a lazy continuation line
            else:
                break
            self.i += 1
        return _Block("quote", start + 1, text=_plain("\n".join(parts)))

    def _paragraph(self) -> _Block:
        start = self.i
        parts = [self.lines[self.i].strip()]
        self.i += 1
        while (
            self.i < len(self.lines)
            and self.lines[self.i].strip()
            and not _starts_block(self.lines[self.i])
        ):
            parts.append(self.lines[self.i].strip())
            self.i += 1
        return _Block("text", start + 1, text=_plain("\n".join(parts)))

    def _list(self) -> _Block:
        first = _ITEM.match(self.lines[self.i])
        assert first is not None
        kind = _marker_kind(first.group(2))
        block = _Block("list", self.i + 1, ordered=kind in ".)")
        while (item := self._item_at(self.i)) and _marker_kind(item.group(2)) == kind:
            block.answers.append(self._answer(item))
            following = self._next_filled(self.i)
            next_item = self._item_at(following)
            if not next_item or _marker_kind(next_item.group(2)) != kind:
                break
            self.i = following
        return block

    def _next_filled(self, index: int) -> int:
        """The index of the first line from `index` on that is not blank (or the end)."""
        while index < len(self.lines) and not self.lines[index].strip():
            index += 1
        return index

    def _item_at(self, index: int) -> re.Match[str] | None:
        if index >= len(self.lines):
            return None
        line = self.lines[index]
        if _OPTIONS.match(line) or _RULE.match(line):
            return None
        return _ITEM.match(line)

    def _answer(self, item: re.Match[str]) -> _Answer:
        """One list item: its lines, indented deeper than its marker, and lazy continuations."""
        start = self.i + 1
        marker_indent = len(item.group(1))
        gap = len(item.group(3) or "")
        width = marker_indent + len(item.group(2)) + (gap if 1 <= gap <= 4 else 1)
        body = [item.group(4) or ""]
        self.i += 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if not line.strip():
                following = self._next_filled(self.i)
                if following == len(self.lines) or _indent(self.lines[following]) <= marker_indent:
                    break
                body.append("")
                self.i = following
                continue
            if _indent(line) > marker_indent:
                body.append(line[min(_indent(line), width) :])
            elif body[-1].strip() and (not _starts_block(line) or _QUOTE.match(line)):
                body.append(line.strip())  # a lazy line; a `>` comment, as quizdown's demo has
            else:
                break
            self.i += 1
        return _split_answer(start, body)


def _split_answer(line: int, body: list[str]) -> _Answer:
    """An item's box, its text, and its `>` comment (with lazy continuation lines)."""
    box: bool | None = None
    if task := _TASK.match(body[0]):
        box = task.group(1) != " "
        body = [task.group(2) or "", *body[1:]]
    text: list[str] = []
    comment: list[str] = []
    in_comment = False
    for raw in body:
        if quoted := _QUOTE.match(raw.lstrip()):
            in_comment = True
            comment.append(quoted.group(1))
        elif in_comment and raw.strip():
            comment.append(raw.strip())
        else:
            in_comment = False
            text.append(raw)
    return _Answer(line, box, _plain("\n".join(text)), _plain("\n".join(comment)))


def _fence(line: str) -> str | None:
    """The fence characters opening a code block on this line, or None."""
    match = _FENCE.match(line)
    if not match or (match.group(2)[0] == "`" and "`" in match.group(3)):
        return None
    return match.group(2)


def _starts_block(line: str) -> bool:
    return bool(
        _OPTIONS.match(line)
        or _fence(line)
        or _HEADING.match(line)
        or _RULE.match(line)
        or _QUOTE.match(line)
        or _ITEM.match(line)
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _marker_kind(marker: str) -> str:
    """A list continues only with the same bullet, or the same `.`/`)` after a number."""
    return marker[-1]


def fenced(code: str, info: str = "") -> str:
    """Code as a fenced Markdown block, its fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{code}\n{fence}"


def _plain(markdown: str) -> str:
    """Markdown with its HTML tags reduced to their text, except inside code spans."""
    pieces: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(markdown):
        pieces += [_strip_tags(markdown[last : span.start()]), span.group()]
        last = span.end()
    pieces.append(_strip_tags(markdown[last:]))
    return "".join(pieces).strip()


def _strip_tags(html: str) -> str:
    html = _HTML_COMMENT.sub("", html)
    return _HTML_TAG.sub("", _HTML_BREAK.sub("\n", html))


def _source_lines(text: str) -> list[str]:
    """The lines as quizdown sees them: entities it decodes first, common indent removed."""
    text = text.removeprefix("\ufeff")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    lines = [_expand_leading_tabs(line) for line in re.split(r"\r\n|\r|\n", text)]
    return textwrap.dedent("\n".join(lines)).split("\n")


def _expand_leading_tabs(line: str) -> str:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


class _Importer:
    """Blocks → questions, noting in `inexact` whatever cannot be carried over exactly."""

    def __init__(self, source: str, lines: list[str], ident: str, first_line: int = 1) -> None:
        self.source = source
        self.lines = lines
        self.ident = ident
        self.first_line = first_line
        self.inexact: list[Inexact] = []

    def fail(self, line: int, message: str) -> ImportFailed:
        return ImportFailed(self.source, f"line {line}", message)

    def note(self, line: int, reason: str, action: str) -> None:
        self.inexact.append(Inexact(location=f"line {line}", reason=reason, action=action))

    def run(self, blocks: list[_Block]) -> ImportReport:
        quiz_options, drafts = self._drafts(blocks)
        if not drafts:
            raise self.fail(
                self.first_line, "no questions: each quizdown question starts with a `#` heading"
            )
        settings = self._options(quiz_options)
        shuffle_choices = _flag(settings, "shuffleAnswers", True, self)
        shuffle_questions = _flag(settings, "shuffleQuestions", False, self)
        questions: list[AnyQuestion] = []
        for index, draft in enumerate(drafts):
            notes = len(self.inexact)
            try:
                questions.append(self._question(draft, shuffle_choices))
            except ImportFailed as failure:  # this question only: the others still import
                del self.inexact[notes:]
                end = drafts[index + 1].line - 1 if index + 1 < len(drafts) else len(self.lines)
                original = "\n".join(self.lines[draft.line - 1 : end])
                self.inexact.append(skipped_question(failure.location, failure.message, original))
        subset = self._subset(settings, shuffle_questions, len(questions))
        self._note_unused(settings, {"shuffleAnswers", "shuffleQuestions", "nQuestions"})
        self.inexact.sort(key=lambda i: int(i.location.removeprefix("line ")))
        if not questions:
            return ImportReport(source=self.source, quizzes=[], inexact=self.inexact)
        ident = self.ident
        try:
            quiz = Quiz(
                id=ident,
                title=ident.replace("_", " ").replace("-", " ").strip().title() or ident,
                shuffle_choices=shuffle_choices,
                shuffle_questions=shuffle_questions,
                subset=subset,
                questions=questions,
            )
        except ValidationError as error:
            raise ImportFailed(self.source, "", _first_error(error)) from None
        return ImportReport(source=self.source, quizzes=[quiz], inexact=self.inexact)

    def _drafts(self, blocks: list[_Block]) -> tuple[_Block | None, list[_Draft]]:
        quiz_options: _Block | None = None
        drafts: list[_Draft] = []
        stray: _Block | None = None
        for block in blocks:
            if block.kind == "heading":
                drafts.append(_Draft(block.line, _plain(block.text)))
            elif not drafts:
                if block.kind == "options" and quiz_options is None:
                    quiz_options = block
                else:
                    stray = stray or block
            elif block.kind in ("text", "code"):
                drafts[-1].parts.append(block.text)
            elif block.kind == "quote":
                drafts[-1].hints.append(block.text)
            elif block.kind == "list":
                drafts[-1].lists.append(block)
            else:
                drafts[-1].options.append(block)
        if stray is not None:
            self.note(
                stray.line,
                "text before the first question heading belongs to no question",
                "ignored, as quizdown does",
            )
        return quiz_options, drafts

    def _question(self, draft: _Draft, shuffle_choices: bool) -> AnyQuestion:
        text = "\n\n".join(part for part in [draft.heading, *draft.parts] if part)
        if not text:
            raise self.fail(draft.line, "the question heading has no text")
        if not draft.lists:
            raise self.fail(
                draft.line,
                "the question has no answer list (`- [x]`, `1. [x]` or `1.`), without which"
                " quizdown shows no quiz at all",
            )
        answers, *others = draft.lists
        for other in others:
            self.note(
                other.line,
                "a second list in one question: quizdown takes only the first as the answers",
                "ignored",
            )
        fields = self._answers(answers)
        for block in draft.options:
            self._question_options(block, fields["type"], shuffle_choices)
        fields |= {"text": text, "hint": "\n\n".join(h for h in draft.hints if h) or None}
        try:
            return _QUESTION.validate_python(fields)
        except ValidationError as error:
            raise self.fail(draft.line, _first_error(error)) from None

    def _answers(self, block: _Block) -> dict[str, Any]:
        answers = []
        for answer in block.answers:
            if not answer.text:
                self.note(answer.line, "this answer has no text", "left out")
                continue
            if (answer.box is None) != (block.answers[0].box is None):
                mismatch = "has a [ ] box" if answer.box is not None else "has no [ ] box"
                action = (
                    "read as a wrong answer, as quizdown does"
                    if answer.box is None
                    else "its box is ignored, as quizdown does"
                )
                self.note(answer.line, f"this answer {mismatch}, unlike the first answer", action)
            answers.append(answer)
        if block.answers[0].box is None and block.ordered:
            return self._sequence(block, answers)
        if len(answers) < 2:
            raise self.fail(block.line, "a choice question needs at least two answers")
        checked = sum(1 for a in answers if a.box)
        if block.ordered and checked > 1:
            raise self.fail(
                block.line,
                f"a numbered list of boxes is a single-choice question, which needs exactly one"
                f" [x], not {checked} (quizdown itself refuses it); for several right answers"
                " use `- [x]` (multiple choice)",
            )
        if block.answers[0].box is None:
            self.note(
                block.line,
                "a bulleted list without [x] or [ ] boxes: quizdown shows a multiple-choice"
                " question with no right answer",
                "imported as it is: picking no answer is the right answer",
            )
        elif not checked:
            self.note(
                block.line,
                "no answer is marked [x]",
                "imported as it is: picking no answer is the right answer, as in quizdown",
            )
        choices = [
            {"text": a.text, "correct": bool(a.box), "feedback": a.comment or None} for a in answers
        ]
        kind = "single_choice" if block.ordered else "multiple_choice"
        return {"type": kind, "choices": choices}

    def _sequence(self, block: _Block, answers: list[_Answer]) -> dict[str, Any]:
        if len(answers) < 2:
            raise self.fail(block.line, "a sequence needs at least two items")
        for answer in answers:
            if answer.comment:
                self.note(
                    answer.line,
                    "a comment on a sequence item has no equivalent",
                    "dropped",
                )
        return {"type": "ordering", "items": [a.text for a in answers]}

    def _question_options(self, block: _Block, kind: str, shuffle_choices: bool) -> None:
        for option in self._options(block).values():
            if option.name != "shuffleAnswers":
                self.note(
                    option.line, f"question option {option.name} has no equivalent", "ignored"
                )
                continue
            wanted = _boolean(option, self, shuffle_choices)
            if wanted != shuffle_choices and kind != "ordering":
                state = "shuffled" if shuffle_choices else "in their order"
                self.note(
                    option.line,
                    f"shuffleAnswers: {str(wanted).lower()} for one question has no equivalent",
                    f"the quiz's setting applies: answers {state}",
                )

    def _options(self, block: _Block | None) -> dict[str, _Option]:
        """A flat YAML block: `name: value` lines, comments, quoted or plain scalars."""
        options: dict[str, _Option] = {}
        for number, raw in block.entries if block else []:
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            match = _KEY.match(raw)
            if raw[0] in " \t" or not match:
                self.note(
                    number,
                    "not an option (`name: value`) of the `---` options block"
                    " (for a horizontal rule, write `***`)",
                    "ignored",
                )
                continue
            name = _CANONICAL.get(match.group(1), match.group(1))
            if name in options:
                self.note(number, f"option {name} is set twice", "the later value is used")
            options[name] = _Option(number, name, _scalar(match.group(2) or "", number, self))
        return options

    def _subset(self, settings: dict[str, _Option], shuffled: bool, count: int) -> int | None:
        option = settings.get("nQuestions")
        if option is None:
            return None
        value = option.value
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.note(option.line, "nQuestions is not a whole number of at least 1", "ignored")
            return None
        if not shuffled:
            self.note(
                option.line,
                "nQuestions only takes effect with shuffleQuestions: true in quizdown",
                "ignored",
            )
            return None
        return value if value < count else None

    def _note_unused(self, settings: dict[str, _Option], used: set[str]) -> None:
        display = [o for o in settings.values() if o.name in _DISPLAY_OPTIONS]
        unknown = [o for o in settings.values() if o.name not in _DISPLAY_OPTIONS | used]
        if display:
            names = ", ".join(o.name for o in display)
            self.note(
                display[0].line, f"quizdown display options with no equivalent: {names}", "ignored"
            )
        if unknown:
            names = ", ".join(o.name for o in unknown)
            self.note(unknown[0].line, f"unknown quizdown options: {names}", "ignored")


def _flag(settings: dict[str, _Option], name: str, default: bool, importer: _Importer) -> bool:
    option = settings.get(name)
    return default if option is None else _boolean(option, importer, default)


def _boolean(option: _Option, importer: _Importer, default: bool) -> bool:
    if not isinstance(option.value, bool):
        importer.note(
            option.line,
            f"{option.name} is not true or false",
            f"ignored: {str(default).lower()}, the default",
        )
        return default
    return option.value


def _scalar(raw: str, line: int, importer: _Importer) -> object:
    """A YAML 1.2 scalar: quoted text, true/false, null, a number, or plain text."""
    raw = raw.strip()
    if raw.startswith("'"):
        if not (single := _SINGLE_QUOTED.match(raw)):
            importer.note(line, "a quoted value is not closed", "read as written")
            return raw
        return single.group(1).replace("''", "'")
    if raw.startswith('"'):
        if not (double := _DOUBLE_QUOTED.match(raw)):
            importer.note(line, "a quoted value is not closed", "read as written")
            return raw
        try:
            return str(json.loads(f'"{double.group(1)}"'))
        except json.JSONDecodeError:
            return double.group(1)
    plain = re.sub(r"(^|[ \t])#.*$", "", raw).strip()
    if plain in ("", "~", "null", "Null", "NULL"):
        return None
    if plain in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return plain.lower() == "true"
    if _INTEGER.match(plain):
        return int(plain)
    if _FLOAT.match(plain):
        return float(plain)
    return plain


def _first_error(error: ValidationError) -> str:
    """The first problem pydantic found, placed by field (without the union's type tag)."""
    first = error.errors()[0]
    path = [str(part) for part in first["loc"] if part not in QUESTION_TYPES]
    return f"{'.'.join(path)}: {first['msg']}" if path else first["msg"]


def _read_one(text: str, source: str, ident: str, first_line: int = 1) -> ImportReport:
    """One quizdown quiz; `first_line`: its first line's number in the file (for a block)."""
    lines = _source_lines("\n" * (first_line - 1) + text)
    lexer = _Lexer(lines, source)
    blocks = lexer.blocks()
    try:
        report = _Importer(source, lines, ident, first_line).run(blocks)
    except ImportFailed as failure:  # no question: say why, if a block swallowed them
        if not lexer.notes:
            raise
        first = lexer.notes[0]
        message = f"{failure.message} ({first.location}: {first.reason})"
        raise ImportFailed(source, failure.location, message) from None
    report.inexact = sorted(
        lexer.notes + report.inexact, key=lambda i: int(i.location.removeprefix("line "))
    )
    return report


def _outside_code(text: str) -> str:
    """The page without its fenced code blocks (where examples of quizzes live)."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = _fence(line)
        if fence is None and opening:
            fence = opening
        elif (
            fence is not None
            and _indent(line) <= 3
            and not line.strip().strip(fence[0])
            and (line.strip().startswith(fence))
        ):
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)


def _mostly_questions(text: str) -> bool:
    """Whether text reads as a quizdown file: at least half its headings are followed by a
    list (a README with a to-do list after its last heading is a page, not a quiz)."""
    headings = with_list = 0
    listed = False
    for line in text.split("\n"):
        if _HEADING.match(line):
            headings, with_list, listed = headings + 1, with_list + listed, False
        elif headings and _ITEM.match(line):
            listed = True
    with_list += listed
    return headings > 0 and 2 * with_list >= headings


def _examples(text: str) -> list[PageBlock]:
    """Quizzes shown as examples in a page's ```markdown (```html, ```rst) blocks: a quizdown
    block inside one, or a Markdown example that reads as quizdown (a heading, then a list)."""
    found: list[PageBlock] = []
    for language in ("markdown", "md", "html", "rst"):
        for example in blocks_in_page(text, language):
            inner = blocks_in_page(example.body, "quizdown")
            if inner:
                found += [PageBlock(example.line + b.line - 1, b.body, b.argument) for b in inner]
            elif language in ("markdown", "md") and _HEADING_THEN_LIST.search(example.body):
                found.append(example)
    return sorted(found, key=lambda block: block.line)


def _read_blocks(
    blocks: list[PageBlock], source: str, ident: str, inexact: list[Inexact]
) -> ImportReport:
    """Each block as one quiz, named after the page and numbered when there are several."""
    quizzes = []
    for number, block in enumerate(blocks, start=1):
        name = f"{ident[:96]}-{number}" if len(blocks) > 1 else ident
        if block.argument and not block.body.strip():
            where = f"line {block.line - 1}"
            reason = f"a quizdown block naming the file {block.argument}"
            inexact.append(Inexact(location=where, reason=reason, action="import that file"))
            continue
        try:
            part = _read_one(block.body, source, name, block.line)
        except ImportFailed as failure:  # an empty block: quizdown shows nothing either
            inexact.append(skipped_question(failure.location, failure.message, block.body))
            continue
        quizzes += part.quizzes
        inexact += part.inexact
    return ImportReport(source=source, quizzes=quizzes, inexact=inexact)


def read_quizdown(text: str, source: str) -> ImportReport:
    """Convert one quizdown file into one native quiz; or each quizdown block of a page
    (Markdown, MyST, Quarto, reStructuredText, HTML) into a quiz of its own; or, in a page
    with neither (documentation), each quizdown example of its ```markdown blocks."""
    text = text.removeprefix("\ufeff")
    ident = chapter_id(PurePath(source).stem)
    if blocks := blocks_in_page(text, "quizdown"):
        return _read_blocks(blocks, source, ident, [])
    if not _mostly_questions(_outside_code(text)) and (examples := _examples(text)):
        notes = [
            Inexact(
                location=f"line {example.line}",
                reason="a quizdown example in a code block (the page has no quizdown block"
                " and is no quizdown file)",
                action="imported as a quiz",
            )
            for example in examples
        ]
        return _read_blocks(examples, source, ident, notes)
    return _read_one(text, source, ident)
