"""GIFT text formats to quiz Markdown, so readers see what Moodle would have shown them.

A GIFT text may start with `[moodle]` (the default), `[html]`, `[plain]` or `[markdown]`.
Markdown passes through as written. The other three are not Markdown: their characters are
escaped so that `*`, `_` or `#` show literally, HTML tags are reduced to their text (never live
markup), entities are decoded, and line breaks stay where Moodle would show them. Math that
Moodle's filters render in any format (`$$…$$`, `\\(…\\)`, `\\[…\\]`) stays math.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Literal

TextFormat = Literal["moodle", "html", "plain", "markdown"]

#: Where an answer set stood in a missing-word question; becomes `____` after conversion.
BLANK_MARK = "\udbff"

_FORMAT_PREFIX = re.compile(r"\s*\[(moodle|html|plain|markdown)\]")
_MATH = re.compile(r"\$\$(.+?)\$\$|\\\((.+?)\\\)|\\\[(.+?)\\\]")
_ESCAPE_ANYWHERE = re.compile(r"([\\`*_\[\]<$])|&(?=#?[A-Za-z0-9]+;)")
_ESCAPE_LINE_START = re.compile(r"^([#>+=-])|^(\d+)([.)])")
#: Tags that start or end a paragraph (`<br>` only breaks the line).
_BLOCK_TAG = re.compile(
    r"address|article|aside|blockquote|d[dlt]|div|fig(caption|ure)|footer|h[1-6r]|header"
    r"|li|ol|p|pre|section|t(able|body|head|r)|ul"
)
_HIDDEN_TAGS = frozenset({"script", "style", "head", "title", "template"})


def split_format(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    """A text's own `[format]` prefix, if any, and the text without it."""
    match = _FORMAT_PREFIX.match(text)
    if match is None:
        return default, text
    name: TextFormat = match.group(1)  # type: ignore[assignment]
    return name, text[match.end() :]


def escape_markdown(text: str, *, line_start: bool) -> str:
    """Text that Markdown shows exactly as written."""
    escaped = _ESCAPE_ANYWHERE.sub(lambda m: "\\" + m.group(), text)
    if line_start:
        escaped = _ESCAPE_LINE_START.sub(
            lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
        )
    return escaped


def _literal_line(line: str) -> str:
    """One line of literal text as Markdown, its math kept as `$…$` or `$$…$$`."""
    pieces: list[str] = []
    position = 0
    for match in _MATH.finditer(line):
        pieces.append(escape_markdown(line[position : match.start()], line_start=position == 0))
        dollars, parenthesised, bracketed = match.groups()
        if parenthesised is not None:
            pieces.append(f"${parenthesised.strip()}$")
        else:
            pieces.append(f"$${(dollars or bracketed).strip()}$$")
        position = match.end()
    pieces.append(escape_markdown(line[position:], line_start=position == 0))
    return "".join(pieces)


def _paragraphs(lines: list[str]) -> str:
    """Lines as Markdown: empty lines part paragraphs, the others break lines (`\\`)."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        words = " ".join(line.split())
        if words:
            paragraphs[-1].append(_literal_line(words))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\\\n".join(p) for p in paragraphs if p)


class _HtmlText(HTMLParser):
    """The text of an HTML fragment as lines, empty lines marking paragraph ends."""

    def __init__(self, *, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.lines: list[str] = [""]
        self.hidden = 0

    def _break(self, *, paragraph: bool) -> None:
        if paragraph and self.lines[-1].strip():
            self.lines.append("")
        self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "br":
            self._break(paragraph=False)
        elif _BLOCK_TAG.fullmatch(tag):
            self._break(paragraph=True)
        elif tag == "img":
            self.handle_data(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif _BLOCK_TAG.fullmatch(tag):
            self._break(paragraph=True)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.keep_newlines:
            self.lines[-1] += data.replace("\n", " ")
            return
        first, *rest = data.split("\n")
        self.lines[-1] += first
        self.lines += rest


def _html_lines(text: str, *, keep_newlines: bool) -> list[str]:
    parser = _HtmlText(keep_newlines=keep_newlines)
    parser.feed(text)
    parser.close()
    return parser.lines


def to_markdown(text: str, text_format: TextFormat) -> str:
    """A GIFT text (escapes already resolved) in the given format, as quiz Markdown."""
    if text_format == "markdown":
        return text.strip()
    if text_format == "plain":
        return _paragraphs(text.split("\n"))
    return _paragraphs(_html_lines(text, keep_newlines=text_format == "moodle"))
