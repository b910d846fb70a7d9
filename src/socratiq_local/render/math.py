"""LaTeX to MathML without a CDN, serialised by us from a whitelist.

latex2mathml's own string output is not safe to insert: it un-escapes `\\text{<script>}` into
raw markup and keeps `\\href{javascript:...}` as an attribute. So we take its element tree and
write out only known MathML elements and presentation attributes, escaping every text and
value. Unknown elements become `<mrow>` so their content still shows.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from .markup import element, escape

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

MATHML_ELEMENTS = frozenset(
    {
        "math", "mi", "mn", "mo", "ms", "mspace", "mtext", "mrow", "mfrac", "msqrt", "mroot",
        "mstyle", "merror", "mpadded", "mphantom", "menclose", "msub", "msup", "msubsup",
        "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mtable",
        "mtr", "mtd",
    }
)  # fmt: skip

MATHML_ATTRIBUTES = frozenset(
    {
        "accent", "accentunder", "align", "columnalign", "columnlines", "columnspacing",
        "columnspan", "denomalign", "depth", "display", "displaystyle", "fence", "form",
        "frame", "framespacing", "height", "largeop", "linebreak", "linethickness", "lspace",
        "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize",
        "movablelimits", "notation", "numalign", "rowalign", "rowlines", "rowspacing", "rowspan",
        "rspace", "scriptlevel", "separator", "stretchy", "symmetric", "voffset", "width",
    }
)  # fmt: skip

#: Deeper brace nesting is refused before conversion: recursion is scarce on Pyodide.
MAX_BRACE_DEPTH = 40

_NUMERIC_CHARACTER_REFERENCE = re.compile(r"&#(?:[0-9]+|[xX][0-9A-Fa-f]+);")


def _text(raw: str | None) -> str:
    """Element text, escaped; latex2mathml writes symbols as `&#x...;`, which we decode first."""
    if not raw:
        return ""
    return escape(_NUMERIC_CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group()), raw))


def _serialise(node: Element) -> str:
    name = node.tag if node.tag in MATHML_ELEMENTS else "mrow"
    kept = {k: v for k, v in node.attrib.items() if k in MATHML_ATTRIBUTES and name == node.tag}
    inner = _text(node.text) + "".join(_serialise(child) + _text(child.tail) for child in node)
    return element(name, kept, inner)


def _brace_depth(latex: str) -> int:
    depth = deepest = 0
    for char in latex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def math_error(latex: str) -> str:
    """What shows instead of math that cannot be converted: the source, as code."""
    return element("code", {"class": "sq-math-error"}, escape(latex))


def render_math(latex: str, *, display: bool) -> str:
    """`<math>` for a LaTeX formula, or its escaped source in `code.sq-math-error`. Never raises."""
    if _brace_depth(latex) > MAX_BRACE_DEPTH:
        return math_error(latex)
    # deferred: latex2mathml and what it imports cost ~60 ms on Pyodide; most text has no math
    from latex2mathml.converter import convert_to_element

    try:
        tree = convert_to_element(latex, display="block" if display else "inline")
        return _serialise(tree)
    except Exception:  # latex2mathml raises many types on bad input; all mean "not math"
        return math_error(latex)
