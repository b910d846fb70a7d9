"""Which URLs quiz text may link to or load, judged as a browser would read them.

Links may go to http(s), mailto or a relative URL. Images load only from the page's own
origin: a request to another host would leak who is reading what, so only relative
references that keep the page's host can be images.
"""

from __future__ import annotations

import re

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PATH_OR_QUERY_OR_FRAGMENT = re.compile(r"[/?#]")
_STRIPPED_BY_BROWSERS = "".join(chr(c) for c in range(0x21))
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_NETWORK_PATH = re.compile(r"^[/\\]{2}")


def _as_browser_reads(url: str) -> str:
    """The URL after the WHATWG parser's clean-up: edges stripped, tabs and newlines gone."""
    return _IGNORED_INSIDE.sub("", url.strip(_STRIPPED_BY_BROWSERS))


def _is_relative(url: str) -> bool:
    """A reference without a scheme; a colon in its first segment could pass for one, so no."""
    first_segment = _PATH_OR_QUERY_OR_FRAGMENT.split(url, maxsplit=1)[0]
    return not _SCHEME.match(url) and ":" not in first_segment


def is_safe_link(url: str) -> bool:
    """Whether a link to `url` may appear: http(s), mailto or relative."""
    seen = _as_browser_reads(url)
    scheme = _SCHEME.match(seen)
    if scheme:
        return scheme.group(1).lower() in LINK_SCHEMES
    return _is_relative(seen)


def is_same_origin(url: str) -> bool:
    """Whether loading `url` stays on the page's origin: relative, and not `//host`-style."""
    seen = _as_browser_reads(url)
    return _is_relative(seen) and not _NETWORK_PATH.match(seen)
