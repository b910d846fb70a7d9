"""Progress badges in a built page's navigation: a badge (a `.socratiq-progress` element with
`data-compact`) at the end of each navigation entry leading to a page with quizzes.

Done on the page's finished HTML rather than in a template: the author writes no override, and
any theme whose navigation is a list of links works. A navigation entry is a link inside a list
item, outside the page's own text, leading to a page of the book with no fragment (a table of
contents' links have one) and no `rel` (the default theme's Previous and Next); and Material's
entry for the current page on small screens, `<label class="md-nav__link" for="__toc">`.
Material's instant navigation swaps in the next page's whole sidebar, its badges with it: the
page script mounts them as they arrive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit


def site_path(url: str) -> str:
    """A page's address from the site's root, as links to it resolve: `/chapters/a/`."""
    return unquote("/" + url.lstrip("/"))


class _Entries(HTMLParser):
    """Where each navigation entry's end tag starts, and the page the entry leads to."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.here = site_path(page_url)
        self.items = 0  # list items open
        self.entry: tuple[str, str] | None = None  # the entry being read: its tag, its page
        self.found: list[tuple[tuple[int, int], str]] = []  # (line, column) of its end tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.items += 1
        elif self.items and self.entry is None:
            target = self._target(tag, dict(attrs))
            if target is not None:
                self.entry = (tag, target)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.items = max(self.items - 1, 0)
        elif self.entry is not None and tag == self.entry[0]:
            self.found.append((self.getpos(), self.entry[1]))
            self.entry = None

    def _target(self, tag: str, attrs: Mapping[str, str | None]) -> str | None:
        """The page an entry starting here leads to (from the site's root), if it is one."""
        if tag == "label":
            material = attrs.get("for") == "__toc" and "md-nav__link" in (attrs.get("class") or "")
            return self.here if material else None
        href = attrs.get("href")
        if tag != "a" or href is None or attrs.get("rel") is not None:
            return None
        parts = urlsplit(urljoin(self.here, href))
        if parts.scheme or parts.netloc or parts.query or parts.fragment:
            return None
        return unquote(parts.path)


def add_nav_badges(html: str, page_url: str, badges: Mapping[str, str], content: str) -> str:
    """`html` with `badges[page]` (by `site_path`) before the end of each navigation entry
    leading to that page; `content`, the page's own text in it, is left alone."""
    if not badges:
        return html
    parser = _Entries(page_url)
    parser.feed(html)
    parser.close()
    line_starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
    text_start = html.find(content) if content else -1
    text = range(text_start, text_start + len(content)) if text_start >= 0 else range(0)
    for (line, column), target in reversed(parser.found):
        at = line_starts[line - 1] + column
        if target in badges and at not in text:
            html = html[:at] + badges[target] + html[at:]
    return html
