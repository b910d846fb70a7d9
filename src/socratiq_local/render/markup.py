"""Building HTML strings: every attribute value and text is escaped here, once.

Renderers compose trusted markup (from these helpers or from the Markdown renderer) with
untrusted text, and untrusted text only ever passes through `escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

Attributes = Mapping[str, str | None]

_ID_SAFE = re.compile(r"[^A-Za-z0-9-]")


def escape(text: str) -> str:
    """Text or an attribute value made inert: &, <, >, " and ' become entities."""
    return html.escape(text, quote=True)


def open_tag(name: str, attributes: Attributes | None = None) -> str:
    """`<name a="v">`, leaving out attributes whose value is None."""
    rendered = "".join(
        f' {key}="{escape(value)}"'
        for key, value in (attributes or {}).items()
        if value is not None
    )
    return f"<{name}{rendered}>"


def element(name: str, attributes: Attributes | None = None, inner_html: str = "") -> str:
    """An element around markup that is already safe."""
    return f"{open_tag(name, attributes)}{inner_html}</{name}>"


def _id_part(part: str) -> str:
    """Letters, digits and hyphens kept; anything else, `_` included, as `_hex_`, so no clashes."""
    return _ID_SAFE.sub(lambda m: f"_{ord(m.group()):x}_", part)


def dom_id(*parts: str) -> str:
    """An element id unique to its parts: each part encoded, joined by `__`."""
    return "__".join(_id_part(p) for p in parts)
