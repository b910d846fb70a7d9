"""Progress anywhere: a small ring and a line of words for a chapter, a section or a quiz, or,
in a book's navigation, a badge: the ring and "3/10".

The ring draws two arcs over a faint track: the share of questions answered, and over it the
share mastered. It is decoration (`aria-hidden`): the words beside it say the same, so a
screen reader, a search engine and a reader who cannot tell the shades apart all get it.
Drawn with SVG presentation attributes only (no style attribute: the page's CSP stays strict).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..i18n import ENGLISH, Texts
from .markup import element, escape

if TYPE_CHECKING:
    from ..progress.mastery import Mastery

#: The ring's geometry, in SVG user units: a circle of radius 15 in a 36 x 36 box.
BOX = 36
RADIUS = 15
STROKE = 5


class Counts(Protocol):
    """What a ring and its words draw (a `Mastery` is one): how many questions, how many
    answered, how many mastered."""

    @property
    def total(self) -> int: ...

    @property
    def answered(self) -> int: ...

    @property
    def mastered(self) -> int: ...


@dataclass(frozen=True)
class Unanswered:
    """Questions nobody has answered on this device: drawn without reading any progress, so a
    first visit's quiz shows without loading the progress tracker."""

    total: int
    answered: int = 0
    mastered: int = 0


def _arc(share: float, css_class: str) -> str:
    """An arc from 12 o'clock, clockwise, over `share` (0..1) of the circle."""
    length = round(100 * min(max(share, 0.0), 1.0), 2)
    if length <= 0:
        return ""
    attributes = {
        "class": css_class,
        "cx": str(BOX // 2),
        "cy": str(BOX // 2),
        "r": str(RADIUS),
        "fill": "none",
        "stroke": "currentColor",
        "stroke-width": str(STROKE),
        "pathLength": "100",
        "stroke-dasharray": f"{length:g} 100",
        "transform": f"rotate(-90 {BOX // 2} {BOX // 2})",
    }
    return element("circle", attributes)


def ring_svg(part: Counts, *, size: int = BOX) -> str:
    """A ring of `size` CSS pixels: answered share, and mastered share over it."""
    total = max(part.total, 1)
    track = element(
        "circle",
        {
            "class": "sq-ring-track",
            "cx": str(BOX // 2),
            "cy": str(BOX // 2),
            "r": str(RADIUS),
            "fill": "none",
            "stroke": "currentColor",
            "stroke-opacity": "0.18",
            "stroke-width": str(STROKE),
        },
    )
    answered = _arc(part.answered / total, "sq-ring-answered")
    mastered = _arc(part.mastered / total, "sq-ring-mastered")
    done = " sq-ring-done" if part.total and part.mastered == part.total else ""
    attributes = {
        "class": "sq-ring" + done,
        "viewBox": f"0 0 {BOX} {BOX}",
        "width": str(size),
        "height": str(size),
        "aria-hidden": "true",
        "focusable": "false",
    }
    return element("svg", attributes, track + answered + mastered)


def progress_words(part: Counts, *, t: Texts = ENGLISH) -> str:
    """ "3 of 5 answered · 1 mastered" (or that there are no questions yet)."""
    if not part.total:
        return t("progress.no_questions")
    return t(
        "progress.answered_mastered",
        answered=part.answered,
        total=part.total,
        mastered=part.mastered,
    )


def render_progress_line(part: Counts, *, t: Texts = ENGLISH) -> str:
    """A quiz's or section's own header line: the ring and "N of M answered · K mastered"."""
    words = element("span", {"class": "sq-progress-words"}, escape(progress_words(part, t=t)))
    return element("p", {"class": "sq-progress-line"}, ring_svg(part, size=24) + words)


def _item(part: Mastery, title: str, t: Texts) -> str:
    return (
        ring_svg(part)
        + element("span", {"class": "sq-progress-title"}, escape(title))
        + " "
        + element("span", {"class": "sq-progress-words"}, escape(progress_words(part, t=t)))
    )


def render_chapter_progress(part: Mastery, title: str, *, t: Texts = ENGLISH) -> str:
    """One chapter's progress, for a `.socratiq-progress` element with `data-chapter`."""
    return element(
        "p", {"class": "sq-progress-chip", "data-chapter-id": part.id}, _item(part, title, t)
    )


def render_chapters_progress(parts: Sequence[tuple[Mastery, str]], *, t: Texts = ENGLISH) -> str:
    """Several chapters (a table of contents), for `data-chapters`: one list item each."""
    items = "".join(
        element(
            "li", {"class": "sq-progress-chip", "data-chapter-id": part.id}, _item(part, title, t)
        )
        for part, title in parts
    )
    return element(
        "ul", {"class": "sq-progress-list", "aria-label": t("progress.list_label")}, items
    )


def render_progress_badges(parts: Sequence[tuple[Mastery, str]], *, t: Texts = ENGLISH) -> str:
    """Chapters' progress inside a navigation link (`data-compact`): per chapter a small ring
    and "3/10", no title (the link shows it). A screen reader hears the title and the words
    instead ("Model serving: 3 of 10 answered · 1 mastered"): "3/10" alone says nothing."""
    said = "progress.badge_label"
    badges = "".join(
        element(
            "span",
            {"class": "sq-progress-badge", "data-chapter-id": part.id},
            ring_svg(part, size=16)
            + element(
                "span",
                {"class": "sq-progress-count", "aria-hidden": "true"},
                escape(t("progress.badge", answered=part.answered, total=part.total)),
            )
            + element(
                "span",
                {"class": "sq-visually-hidden"},
                escape(t(said, chapter=title, progress=progress_words(part, t=t))),
            ),
        )
        for part, title in parts
    )
    return element("span", {"class": "sq-progress-badges"}, badges)
