"""Celebrations: for each notice of an answer, a small toast to show and a sentence to announce.

The page animates the toast (`html`) and reads `text` out through one polite live region, so
the toast itself carries no live region and its pictures are decoration. Kinds are the
notices' own (`xp`, `level`, `badge`, `goal`, `streak`, `freeze`); the page may style or time
each kind differently (`data-kind`, `.sq-toast-<kind>`).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from ..i18n import ENGLISH, Texts
from ..progress.record import (
    BadgeEarned,
    FreezesSpent,
    GoalMet,
    LevelUp,
    Notice,
    StreakExtended,
    XpEarned,
)
from .badges import badge_svg, badge_words
from .markup import element, escape

#: Pictures for the toasts that are not badges, in a 48 x 48 box (stroked path data).
PICTURES = {
    "xp": "M24 12v24M12 24h24",  # a plus
    "level": "M15 27l9-9 9 9M15 34l9-9 9 9",  # two chevrons up
    "goal": "M24 14a10 10 0 1 0 .01 0M24 20a4 4 0 1 0 .01 0",  # a target
    "streak": "M24 11c6 8 9 12 9 17a9 9 0 0 1-18 0c0-5 4-8 6-12 1 4 3 5 5 5-1-3-2-6-2-10z",
    "freeze": "M24 12v24M13.6 18l20.8 12M13.6 30l20.8-12",  # a snowflake
}


class Celebration(BaseModel):
    """One toast: its kind, its HTML, and the same said in plain text."""

    model_config = ConfigDict(frozen=True)

    kind: str
    html: str
    text: str


def _picture(kind: str) -> str:
    path = element(
        "path",
        {
            "d": PICTURES[kind],
            "fill": "none",
            "stroke": "currentColor",
            "stroke-width": "3",
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        },
    )
    return element(
        "svg",
        {
            "class": "sq-toast-art",
            "viewBox": "0 0 48 48",
            "width": "40",
            "height": "40",
            "aria-hidden": "true",
            "focusable": "false",
        },
        path,
    )


def _toast(kind: str, picture: str, headline: str, detail: str = "") -> Celebration:
    words = element("strong", {"class": "sq-toast-headline"}, escape(headline))
    if detail:
        words += " " + element("span", {"class": "sq-toast-detail"}, escape(detail))
    html = element(
        "div",
        {"class": f"sq-toast sq-toast-{kind}", "data-kind": kind},
        picture + element("p", {"class": "sq-toast-words"}, words),
    )
    text = f"{headline} {detail}".strip()
    return Celebration(kind=kind, html=html, text=text)


def celebration(notice: Notice, *, t: Texts = ENGLISH) -> Celebration | None:
    """The toast for one notice (None for one not worth a toast: no XP earned)."""
    match notice:
        case XpEarned(xp=xp, total=total) if xp > 0:
            return _toast(
                "xp",
                _picture("xp"),
                t("celebrate.xp", xp=xp),
                t("celebrate.xp_total", total=total),
            )
        case LevelUp(level=level):
            return _toast(
                "level",
                _picture("level"),
                t("celebrate.level", level=level),
                t("celebrate.level_detail"),
            )
        case BadgeEarned(badge=badge):
            return _toast(
                "badge",
                badge_svg(badge, size=40),
                t("celebrate.badge", title=badge_words(badge, t)[0]),
                badge_words(badge, t)[1],
            )
        case GoalMet(daily_goal_xp=goal):
            return _toast(
                "goal", _picture("goal"), t("celebrate.goal"), t("celebrate.goal_detail", goal=goal)
            )
        case StreakExtended(days=days):
            return _toast(
                "streak",
                _picture("streak"),
                t.plural("celebrate.streak", days),
                t("celebrate.streak_detail"),
            )
        case FreezesSpent(count=count, held=held):
            return _toast(
                "freeze",
                _picture("freeze"),
                t.plural("celebrate.freeze", count),
                t.plural("celebrate.freezes_left", held),
            )
    return None


def celebrations(notices: Sequence[Notice], *, t: Texts = ENGLISH) -> list[dict[str, str]]:
    """The notices of one answer as the check reply's `celebrations: [{kind, html, text}]`."""
    return [
        found.model_dump() for notice in notices if (found := celebration(notice, t=t)) is not None
    ]
