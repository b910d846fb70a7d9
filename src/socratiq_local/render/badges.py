"""Badge pictures: a medal with a sign for what the badge counts, as inline SVG.

No image files and no style attributes: each picture is a few shapes with presentation
attributes, coloured by class from the stylesheet (`.sq-medal-<metric>`), so the dashboard
and the celebration toasts share it and a strict CSP holds. The picture is decoration
(`aria-hidden`): the badge's title and description always stand beside it in words.
"""

from __future__ import annotations

from ..i18n import ENGLISH, Texts
from ..progress.badges import Badge, Metric
from .markup import element

#: The sign on each medal, drawn in a 48 x 48 box: (SVG path data, filled rather than stroked).
SIGNS: dict[Metric, tuple[str, bool]] = {
    "answers": ("M15 25l6 6 12-13", False),  # a check mark
    "goal_days": ("M24 14a10 10 0 1 0 .01 0M24 20a4 4 0 1 0 .01 0", False),  # a target
    "streak": (  # a flame
        "M24 11c6 8 9 12 9 17a9 9 0 0 1-18 0c0-5 4-8 6-12 1 4 3 5 5 5-1-3-2-6-2-10z",
        True,
    ),
    "perfect_sections": (  # a star
        "M24 11l3.9 8.2 8.9 1.1-6.6 6.1 1.7 8.8L24 30.8l-7.9 4.4 1.7-8.8-6.6-6.1 8.9-1.1z",
        True,
    ),
    "mastered_questions": (  # a sprout
        "M24 35V22m0 2c0-7 5-10 10-10 0 6-4 10-10 10m0 3c0-6-5-9-10-9 0 6 4 9 10 9",
        False,
    ),
    "mastered_chapters": (  # an open book
        "M13 15h8a3 3 0 0 1 3 2 3 3 0 0 1 3-2h8v18h-8a3 3 0 0 0-3 2 3 3 0 0 0-3-2h-8zM24 17v18",
        False,
    ),
    "review_days": ("M33 24a9 9 0 1 1-3-6.7M31 11v6h-6", False),  # a turning arrow
    "level": ("M15 27l9-9 9 9M15 34l9-9 9 9", False),  # two chevrons up
}


def _sign(metric: Metric) -> str:
    path, filled = SIGNS[metric]
    paint = (
        {"fill": "#ffffff", "stroke": "none"}
        if filled
        else {
            "fill": "none",
            "stroke": "#ffffff",
            "stroke-width": "3",
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        }
    )
    return element("path", {"class": "sq-medal-sign", "d": path, **paint})


def badge_svg(badge: Badge, *, size: int = 48) -> str:
    """The badge's picture, `size` CSS pixels square."""
    medal = element(
        "circle",
        {
            "class": f"sq-medal sq-medal-{badge.metric}",
            "cx": "24",
            "cy": "24",
            "r": "22",
            "fill": "currentColor",
        },
    )
    rim = element(
        "circle",
        {
            "class": "sq-medal-rim",
            "cx": "24",
            "cy": "24",
            "r": "19",
            "fill": "none",
            "stroke": "#ffffff",
            "stroke-opacity": "0.45",
            "stroke-width": "1.5",
        },
    )
    attributes = {
        "class": "sq-badge-art",
        "viewBox": "0 0 48 48",
        "width": str(size),
        "height": str(size),
        "aria-hidden": "true",
        "focusable": "false",
        "data-badge-id": badge.id,
    }
    return element("svg", attributes, medal + rim + _sign(badge.metric))


def badge_words(badge: Badge, t: Texts = ENGLISH) -> tuple[str, str]:
    """A badge's title and description in the reader's language (UI strings
    `badge.<id>.title` and `badge.<id>.description`; a test checks every badge has both)."""
    return t(f"badge.{badge.id}.title"), t(f"badge.{badge.id}.description")
