"""Quiz Markdown to safe HTML: CommonMark with raw HTML off, `$math$`, and a URL policy.

Quiz files are untrusted, so nothing an author writes becomes a live tag or attribute: raw
HTML shows as text, links keep to http(s), mailto and relative URLs, images load only from
the page's own origin (others become links), code languages are reduced to safe characters,
and math is MathML serialised from a whitelist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .markup import element, escape, open_tag
from .math import render_math
from .urls import is_safe_link, is_same_origin

LINK_REL = "noopener noreferrer"

_NOT_LANGUAGE = re.compile(r"[^A-Za-z0-9_+-]")
_SLOT_START, _SLOT_END = "\ue000", "\ue001"
_SLOT = re.compile(f"{_SLOT_START}([0-9]+){_SLOT_END}")
_SLOT_MARKS = re.compile(f"[{_SLOT_START}{_SLOT_END}]")
#: How deeply inline markup (emphasis, strong, links) may nest; deeper marks show as the text
#: the author typed. Blocks are bounded by markdown-it's own maxNesting (20 in CommonMark),
#: inline emphasis is not: 5,000 nested `*` would make 5,000 nested elements in the page.
MAX_INLINE_NESTING = 20


class _SafeMarkdownIt(MarkdownIt):
    """MarkdownIt whose links and images must pass our URL policy to be parsed as such."""

    def validateLink(self, url: str) -> bool:
        return is_safe_link(url)


def _fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A fenced code block, its language kept as a class but cut to safe characters."""
    token = tokens[idx]
    language = _NOT_LANGUAGE.sub("", token.info.split(maxsplit=1)[0] if token.info.strip() else "")
    code_class = f"language-{language}" if language else None
    return (
        element("pre", None, element("code", {"class": code_class}, escape(token.content))) + "\n"
    )


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A link (already past the URL policy) that gives the target no opener or referrer."""
    tokens[idx].attrSet("rel", LINK_REL)
    return self.renderToken(tokens, idx, options, env)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image from this origin; from anywhere else only a link to it, so nothing loads."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children, options, env)
    if is_same_origin(src):
        title = token.attrGet("title")
        attributes = {"src": src, "alt": alt, "title": str(title) if title else None}
        return open_tag("img", attributes | {"loading": "lazy"})
    if is_safe_link(src):
        return element("a", {"href": src, "rel": LINK_REL}, escape(alt or src))
    return escape(alt)


def _math_renderer(display: bool, tag: str, css_class: str) -> Callable[..., str]:
    """A render rule putting our whitelisted MathML inside `tag`."""

    def render(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        mathml = render_math(tokens[idx].content.strip(), display=display)
        return element(tag, {"class": css_class}, mathml) + ("\n" if tag == "div" else "")

    return render


def _build_parser() -> MarkdownIt:
    md = _SafeMarkdownIt("commonmark", {"html": False, "xhtmlOut": False})
    md.use(dollarmath_plugin, allow_labels=False, double_inline=True)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("math_inline", _math_renderer(False, "span", "sq-math"))
    md.add_render_rule(
        "math_inline_double", _math_renderer(True, "span", "sq-math sq-math-display")
    )
    md.add_render_rule("math_block", _math_renderer(True, "div", "sq-math sq-math-display"))
    return md


_PARSER = _build_parser()


def _without_slot_marks(text: str) -> str:
    """Author text cannot forge a slot: the private-use marks we use become U+FFFD."""
    return _SLOT_MARKS.sub("\ufffd", text)


def _parse(source: str, *, inline: bool) -> list[Token]:
    tokens = _PARSER.parseInline(source) if inline else _PARSER.parse(source)
    for token in tokens:
        if token.type == "inline" and token.children:
            _flatten_deep_inline(token.children)
    return tokens


def _flatten_deep_inline(children: list[Token]) -> None:
    """Inline tags nested deeper than MAX_INLINE_NESTING become their Markdown marks as text,
    so no quiz text, however hostile, makes a deep tree for the page to lay out."""
    flattened: list[bool] = []
    for index, child in enumerate(children):
        if child.nesting == 1:
            flattened.append(len(flattened) >= MAX_INLINE_NESTING)
            if flattened[-1]:
                children[index] = _as_typed(child)
        elif child.nesting == -1 and flattened and flattened.pop():
            children[index] = _as_typed(child)


def _as_typed(tag: Token) -> Token:
    """A tag token as the text that made it: `*` or `**` for emphasis, nothing for a link."""
    typed = tag.markup if tag.type.startswith(("em_", "strong_")) else ""
    return Token("text", "", 0, content=typed)


def _render(tokens: Sequence[Token]) -> str:
    return str(_PARSER.renderer.render(tokens, _PARSER.options, {}))


def _is_one_paragraph(tokens: Sequence[Token]) -> bool:
    return [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Markdown to HTML; `inline` parses no blocks and adds no `<p>`, for labels and options."""
    return _render(_parse(_without_slot_marks(text), inline=inline))


def _compact(tokens: list[Token]) -> list[Token]:
    return tokens[1:2] if _is_one_paragraph(tokens) else tokens


def render_markdown_compact(text: str) -> str:
    """Markdown to HTML without the `<p>` when the text is one paragraph (legends, labels)."""
    return _render(_compact(_parse(_without_slot_marks(text), inline=False))).strip()


def markdown_to_text(text: str) -> str:
    """The plain text a reader sees in inline Markdown: for `<option>`s and ARIA labels."""
    shown = ("text", "code_inline", "math_inline", "math_inline_double")
    words = [
        child.content if child.type in shown else " "
        for token in _parse(_without_slot_marks(text), inline=True)
        for child in token.children or []
        if child.type in shown or child.type in ("softbreak", "hardbreak")
    ]
    return " ".join("".join(words).split())


def _split_slots(run: Token, slot_html: Callable[[int], str]) -> list[Token]:
    """A text token cut at its sentinels, each sentinel becoming a trusted HTML token."""
    pieces = _SLOT.split(run.content)
    tokens: list[Token] = []
    for position, piece in enumerate(pieces):
        if position % 2 == 0:
            if piece:
                tokens.append(Token("text", "", 0, content=piece))
        else:
            tokens.append(Token("html_inline", "", 0, content=slot_html(int(piece))))
    return tokens


def render_markdown_with_slots(
    text: str, pattern: re.Pattern[str], slot_html: Callable[[int], str]
) -> str:
    """Compact Markdown where the n-th match of `pattern` in running text becomes `slot_html(n)`.

    Matches are swapped for private-use sentinels before parsing, so Markdown cannot read
    them as syntax (`____` would be emphasis or a rule). Sentinels in running text become
    the trusted slot markup; any left in code or attributes get their original text back.
    """
    originals: list[str] = []

    def to_sentinel(match: re.Match[str]) -> str:
        originals.append(match.group())
        return f"{_SLOT_START}{len(originals) - 1}{_SLOT_END}"

    tokens = _compact(_parse(pattern.sub(to_sentinel, _without_slot_marks(text)), inline=False))
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = [
                piece
                for child in token.children
                for piece in (_split_slots(child, slot_html) if child.type == "text" else [child])
            ]
    rendered = _render(tokens).strip()
    return _SLOT.sub(lambda m: escape(originals[int(m.group(1))]), rendered)
