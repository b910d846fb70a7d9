"""The dashboard's two charts, read at a glance: XP per week, and mastery per chapter.

Each is one inline SVG (`role="img"`, named, and described by a sentence printed under it),
so the chart is a picture of numbers the reader can also read. The SVGs scale to their box
(`viewBox`, no fixed width), carry no style attribute, and shade by class and presentation
attribute; every text in them is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..i18n import ENGLISH, Texts
from ..progress.dashboard import DayActivity
from ..progress.mastery import Mastery
from .markup import element, escape

#: Activity chart geometry, in SVG user units.
WEEK_WIDTH = 24
BAR_WIDTH = 16
BAR_HEIGHT = 64
LABEL_ROOM = 14
TOP_ROOM = 12

#: Mastery chart geometry: a label line and a bar per chapter.
CHART_WIDTH = 240
ROW_HEIGHT = 32
BAR_THICKNESS = 10
#: A chapter's name is cut to this many characters in the chart (the list says it in full).
LABEL_LENGTH = 38
#: The four groups of a chapter's questions, left to right, and their default shades.
SEGMENTS = (
    ("mastered", "1"),
    ("right-once", "0.6"),
    ("missed", "0.35"),
    ("new", "0.12"),
)


def _text(x: float, y: float, words: str, css_class: str, anchor: str = "start") -> str:
    attributes = {
        "x": f"{x:g}",
        "y": f"{y:g}",
        "class": css_class,
        "font-size": "11",
        "fill": "currentColor",
        "text-anchor": anchor,
    }
    return element("text", attributes, escape(words))


def weeks_of(days: Sequence[DayActivity]) -> list[list[DayActivity]]:
    """The days cut into weeks (the calendar starts on a Monday)."""
    return [list(days[i : i + 7]) for i in range(0, len(days), 7)]


def _starts_month(weeks: list[list[DayActivity]], index: int) -> bool:
    """Label this week with its month? Where the month changes, and the first week unless
    the second starts a new month (their labels would touch)."""
    month = weeks[index][0].day.month
    if index == 0:
        return len(weeks) < 2 or weeks[1][0].day.month == month
    return month != weeks[index - 1][0].day.month


def activity_chart(
    days: Sequence[DayActivity], today: date, chart_id: str, *, t: Texts = ENGLISH
) -> str:
    """XP per week as bars, this week last and marked, with a sentence that sums it up."""
    weeks = weeks_of(days)
    totals = [sum(day.xp for day in week) for week in weeks]
    top = max([*totals, 1])
    bars: list[str] = []
    for index, (week, xp) in enumerate(zip(weeks, totals, strict=True)):
        start = week[0].day
        x = index * WEEK_WIDTH + (WEEK_WIDTH - BAR_WIDTH) / 2
        height = round(BAR_HEIGHT * xp / top, 1) if xp else 0
        this_week = index == len(weeks) - 1
        label = t("dashboard.week_of", date=t.date(start), xp=xp)
        bar = element(
            "rect",
            {
                "class": "sq-week" + (" sq-this-week" if this_week else ""),
                "x": f"{x:g}",
                "y": f"{TOP_ROOM + BAR_HEIGHT - max(height, 1):g}",
                "width": str(BAR_WIDTH),
                "height": f"{max(height, 1):g}",
                "rx": "2",
                "fill": "currentColor",
                "fill-opacity": "1" if xp else "0.2",
                "data-week": start.isoformat(),
            },
            element("title", None, escape(label)),
        )
        bars.append(bar)
        if _starts_month(weeks, index):
            bars.append(
                _text(
                    x,
                    TOP_ROOM + BAR_HEIGHT + LABEL_ROOM - 2,
                    t.month_short(start.month),
                    "sq-chart-label",
                )
            )
    if totals and totals[-1]:
        x = (len(weeks) - 1) * WEEK_WIDTH + WEEK_WIDTH / 2
        y = TOP_ROOM + BAR_HEIGHT - round(BAR_HEIGHT * totals[-1] / top, 1) - 3
        bars.append(_text(x, y, t.number(totals[-1]), "sq-chart-value", "middle"))
    width = max(len(weeks), 1) * WEEK_WIDTH
    height = TOP_ROOM + BAR_HEIGHT + LABEL_ROOM
    summary_id = f"{chart_id}-summary"
    svg = element(
        "svg",
        {
            "class": "sq-chart sq-activity-chart",
            "id": chart_id,
            "role": "img",
            "aria-label": t.plural("dashboard.activity_label", len(weeks)),
            "aria-describedby": summary_id,
            "viewBox": f"0 0 {width} {height}",
            "preserveAspectRatio": "xMinYMid meet",
            "focusable": "false",
        },
        "".join(bars),
    )
    return svg + element(
        "p",
        {"class": "sq-chart-summary sq-activity-summary", "id": summary_id},
        escape(_activity_sentence(days, weeks, totals, today, t)),
    )


def _activity_sentence(
    days: Sequence[DayActivity],
    weeks: list[list[DayActivity]],
    totals: list[int],
    today: date,
    t: Texts,
) -> str:
    if not sum(totals):
        return t.plural("dashboard.activity_none", len(weeks))
    best = max(range(len(totals)), key=lambda i: (totals[i], i))
    goal_days = sum(day.goal_met for day in days)
    return " ".join(
        (
            t.plural("dashboard.activity_total", len(weeks), xp=sum(totals)),
            t("dashboard.activity_this_week", xp=totals[-1]),
            t("dashboard.activity_best", xp=totals[best], date=t.date(weeks[best][0].day)),
            t.plural("dashboard.activity_goal_days", goal_days),
        )
    )


def _segment_counts(part: Mastery) -> dict[str, int]:
    return {
        "mastered": part.mastered,
        "right-once": part.right_once,
        "missed": part.missed,
        "new": part.new,
    }


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def mastery_chart(
    chapters: Sequence[tuple[Mastery, str]], chart_id: str, *, t: Texts = ENGLISH
) -> str:
    """One stacked bar per chapter: mastered, right once, to practise again, new."""
    rows: list[str] = []
    for index, (part, name) in enumerate(chapters):
        top = index * ROW_HEIGHT
        x = 0.0
        shapes = [_text(0, top + 12, _short(name), "sq-chart-label")]
        for (kind, shade), count in zip(SEGMENTS, _segment_counts(part).values(), strict=True):
            if not count or not part.total:
                continue
            width = CHART_WIDTH * count / part.total
            shapes.append(
                element(
                    "rect",
                    {
                        "class": f"sq-segment sq-segment-{kind}",
                        "x": f"{x:.2f}",
                        "y": str(top + 17),
                        "width": f"{width:.2f}",
                        "height": str(BAR_THICKNESS),
                        "fill": "currentColor",
                        "fill-opacity": shade,
                    },
                )
            )
            x += width
        title = element("title", None, escape(f"{name}: {_counts_sentence(part, t)}"))
        rows.append(element("g", {"class": "sq-chart-row"}, title + "".join(shapes)))
    height = max(len(chapters), 1) * ROW_HEIGHT
    summary_id = f"{chart_id}-summary"
    svg = element(
        "svg",
        {
            "class": "sq-chart sq-mastery-chart",
            "id": chart_id,
            "role": "img",
            "aria-label": t("dashboard.mastery_chart_label"),
            "aria-describedby": summary_id,
            "viewBox": f"0 0 {CHART_WIDTH} {height}",
            "preserveAspectRatio": "xMinYMin meet",
            "focusable": "false",
        },
        "".join(rows),
    )
    legend = element(
        "ul",
        {"class": "sq-legend", "aria-hidden": "true"},
        "".join(
            element(
                "li",
                {"class": f"sq-legend-{kind}"},
                element("span", {"class": "sq-swatch"}) + escape(label),
            )
            for kind, label in (
                ("mastered", t("dashboard.legend_mastered")),
                ("right-once", t("dashboard.legend_right_once")),
                ("missed", t("dashboard.legend_missed")),
                ("new", t("dashboard.legend_new")),
            )
        ),
    )
    summary = " ".join(f"{name}: {_counts_sentence(part, t)}" for part, name in chapters)
    return (
        svg
        + legend
        + element(
            "p", {"class": "sq-chart-summary sq-mastery-summary", "id": summary_id}, escape(summary)
        )
    )


def _counts_sentence(part: Mastery, t: Texts) -> str:
    """ "1 mastered, 2 right once, 0 to practise again, 2 new." """
    return t(
        "dashboard.chart_counts",
        mastered=part.mastered,
        right_once=part.right_once,
        missed=part.missed,
        new=part.new,
    )
