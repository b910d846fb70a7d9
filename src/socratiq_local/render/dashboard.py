"""The progress dashboard as accessible HTML, drawn with HTML and inline SVG only.

Every figure is said in words as well as drawn: bars are native `<progress>` elements next to
their numbers, the goal says "met" or how much is left, badges say "Locked", and the activity
calendar (an SVG picture with a `<title>` per day) comes with a sentence that sums it up. No
style attribute is written, so a strict Content Security Policy can stay strict: shades are
SVG presentation attributes and classes. Everything from data (ids, titles, badge names,
warnings) is escaped.

The browser runtime reacts to the `data-action` buttons ("review", "export", "import",
"wipe"), to the `<input type="file" data-action="import-file">`, writes its messages into
`.sq-data-status` and puts a review session into `.sq-review-area`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ..progress.dashboard import BadgeProgress, Dashboard, DayActivity, EarnedBadge
from ..progress.mastery import ChapterMastery, Mastery
from .markup import dom_id, element, escape, open_tag

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))

#: Calendar geometry, in SVG user units: a square per day, a column per week.
CELL = 12
STEP = 14
LEFT = 28
TOP = 16
RIGHT = 8  # room for a month label over the last column
#: The shade of each XP bucket: 0 XP, under half the goal, under the goal, met, twice met.
SHADES = ("0.08", "0.3", "0.5", "0.75", "1")

NO_CHAPTER = "Questions outside any chapter"
NO_SECTION = "Other questions"
DATA_SENTENCE = (
    "Your progress is stored only in this browser on this device and is never sent anywhere; "
    "export it to keep a copy or to move it to another device."
)


def _n(value: int) -> str:
    return f"{value:,}"


def _count(value: int, noun: str, plural: str | None = None) -> str:
    """ "1 day", "3 days", "1,000 questions"."""
    return f"{_n(value)} {noun if value == 1 else plural or noun + 's'}"


def _long_date(day: date) -> str:
    """A date in words, the same in every locale: "4 March 2024"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _time(day: date) -> str:
    return element("time", {"datetime": day.isoformat()}, escape(_long_date(day)))


def _p(text: str, css_class: str | None = None, id: str | None = None) -> str:
    return element("p", {"class": css_class, "id": id}, escape(text))


def _progress(value: int, maximum: int, attributes: Mapping[str, str | None]) -> str:
    """A native progress bar (role progressbar), its value clamped into 0..max."""
    top = max(maximum, 1)
    shown = min(max(value, 0), top)
    attrs = {**attributes, "max": str(top), "value": str(shown)}
    return element("progress", attrs, escape(f"{100 * shown // top}%"))


class _Ids:
    def __init__(self, instance: str) -> None:
        self.instance = instance

    def __call__(self, *parts: str) -> str:
        return dom_id(self.instance, "dashboard", *parts)


def _section(ids: _Ids, name: str, heading: str, body: str, css_class: str = "") -> str:
    heading_id = ids(name, "title")
    classes = f"sq-{name}-section {css_class}".strip()
    return element(
        "section",
        {"class": classes, "aria-labelledby": heading_id},
        element("h3", {"id": heading_id}, escape(heading)) + body,
    )


# --- cards: level, goal, streak -------------------------------------------------------------


def _level_card(board: Dashboard, ids: _Ids) -> str:
    level = board.level
    needed_id = ids("level", "needed")
    needed = f"{_n(level.xp_to_next_level)} XP to level {_n(level.level + 1)}"
    body = (
        _p(f"Level {_n(level.level)}", "sq-big sq-level-number")
        + _p(f"{_n(level.xp)} XP in total", "sq-xp-total")
        + _progress(
            level.xp - level.level_starts_at,
            level.next_level_at - level.level_starts_at,
            {
                "class": "sq-level-progress",
                "aria-label": f"Progress to level {_n(level.level + 1)}",
                "aria-describedby": needed_id,
            },
        )
        + _p(needed, "sq-xp-needed", needed_id)
        + _p(
            f"{_count(board.answers, 'answer')}, {_n(board.correct)} right",
            "sq-answers",
        )
    )
    return _section(ids, "level", "Level and XP", body, "sq-card")


def _goal_card(board: Dashboard, ids: _Ids) -> str:
    goal, today = board.daily_goal_xp, board.today_xp
    if board.goal_met_today:
        status = element(
            "p",
            {"class": "sq-goal-status sq-goal-met"},
            element("span", {"aria-hidden": "true"}, "✓") + " " + escape("Goal met today"),
        )
    else:
        left = max(goal - today, 0)
        words = f"Not met yet: {_n(left)} XP to go" if left else "Not met yet"
        status = _p(words, "sq-goal-status sq-goal-open")
    body = (
        _p(f"{_n(today)} of {_n(goal)} XP", "sq-big sq-goal-xp")
        + _progress(
            today, goal, {"class": "sq-goal-progress", "aria-label": "Today's XP towards the goal"}
        )
        + status
    )
    return _section(ids, "goal", "Today's goal", body, "sq-card")


def _streak_card(board: Dashboard, ids: _Ids) -> str:
    body = (
        _p(_count(board.streak, "day"), "sq-big sq-streak-days")
        + _p(f"Best streak: {_count(board.best_streak, 'day')}", "sq-best-streak")
        + _p(f"Streak freezes held: {_n(board.freezes_held)}", "sq-freezes")
    )
    missed = board.missed_days_to_freeze
    if missed:
        cover = f"{_count(missed, 'freeze')} will cover the {_count(missed, 'missed day')}"
        body += _p(f"Meet today's goal and {cover}.", "sq-freeze-note")
    elif board.streak == 0:
        body += _p("Meet your daily goal to start a streak.", "sq-streak-note")
    return _section(ids, "streak", "Streak", body, "sq-card")


# --- badges ---------------------------------------------------------------------------------


def _badge_text(title: str, description: str) -> str:
    return element("strong", {"class": "sq-badge-title"}, escape(title)) + " " + escape(description)


def _earned(earned: EarnedBadge) -> str:
    when = element("span", {"class": "sq-meta"}, "Earned " + _time(earned.earned_on))
    return element(
        "li",
        {"class": "sq-badge sq-earned", "data-badge-id": earned.badge.id},
        _badge_text(earned.badge.title, earned.badge.description) + " " + when,
    )


def _locked(pending: BadgeProgress) -> str:
    badge = pending.badge
    shown = min(pending.value, badge.at_least)
    progress = element(
        "span",
        {"class": "sq-meta sq-badge-progress"},
        escape(f"Locked: {_n(shown)} of {_n(badge.at_least)}"),
    )
    return element(
        "li",
        {"class": "sq-badge sq-locked", "data-badge-id": badge.id},
        _badge_text(badge.title, badge.description) + " " + progress,
    )


def _badges(board: Dashboard, ids: _Ids) -> str:
    earned = (
        element("ul", {"class": "sq-badges sq-earned-badges"}, "".join(map(_earned, board.badges)))
        if board.badges
        else _p("No badges yet: answer a question to earn the first one.", "sq-no-badges")
    )
    body = element("h4", None, escape(f"Earned ({_n(len(board.badges))})")) + earned
    if board.next_badges:
        body += element("h4", None, "Next to earn") + element(
            "ul", {"class": "sq-badges sq-next-badges"}, "".join(map(_locked, board.next_badges))
        )
    return _section(ids, "badges", "Badges", body)


# --- mastery --------------------------------------------------------------------------------


def _name(id: str | None, titles: Mapping[str, str], missing: str) -> str:
    if id is None:
        return missing
    return titles.get(id) or id


def _share(part: Mastery) -> str:
    return f"{_n(part.percent)}% ({_n(part.mastered)} of {_count(part.total, 'question')})"


def _section_row(section: Mastery, titles: Mapping[str, str]) -> str:
    name = _name(section.id, titles, NO_SECTION)
    bar = _progress(
        section.mastered, section.total, {"class": "sq-mini-bar", "aria-hidden": "true"}
    )
    return element(
        "tr",
        {"class": "sq-section-row", "data-section-id": section.id},
        element("th", {"scope": "row"}, escape(name))
        + element(
            "td", {"class": "sq-mastered"}, escape(f"{_n(section.mastered)} / {_n(section.total)}")
        )
        + element("td", {"class": "sq-percent"}, escape(f"{_n(section.percent)}%"))
        + element("td", {"class": "sq-bar-cell"}, bar),
    )


def _chapter_table(chapter: ChapterMastery, titles: Mapping[str, str]) -> str:
    name = _name(chapter.id, titles, NO_CHAPTER)
    caption = element(
        "caption",
        None,
        element("span", {"class": "sq-chapter-title"}, escape(name))
        + escape(f": {_share(chapter)} mastered"),
    )
    head = element(
        "thead",
        None,
        element(
            "tr",
            None,
            "".join(
                element("th", {"scope": "col"}, escape(label))
                for label in ("Section", "Mastered", "Percent")
            )
            + element(
                "th", {"scope": "col"}, element("span", {"class": "sq-visually-hidden"}, "Bar")
            ),
        ),
    )
    rows = "".join(_section_row(s, titles) for s in chapter.sections)
    return element(
        "table",
        {"class": "sq-mastery-table", "data-chapter-id": chapter.id},
        caption + head + element("tbody", None, rows),
    )


def _mastery(board: Dashboard, ids: _Ids, titles: Mapping[str, str]) -> str:
    book = board.mastery.book
    if not book.total:
        return _section(ids, "mastery", "Mastery", _p("This book has no questions yet."))
    body = (
        _p(f"{_n(book.percent)}%", "sq-big sq-book-percent")
        + _progress(
            book.mastered, book.total, {"class": "sq-book-progress", "aria-label": "Book mastery"}
        )
        + _p(
            f"{_n(book.mastered)} of {_count(book.total, 'question')} in the book mastered "
            "(right at the last try and on two different days).",
            "sq-book-mastery",
        )
        + "".join(_chapter_table(c, titles) for c in board.mastery.chapters)
    )
    return _section(ids, "mastery", "Mastery", body)


# --- activity calendar ----------------------------------------------------------------------


def _bucket(day: DayActivity, goal: int) -> int:
    if day.xp <= 0:
        return 0
    if day.goal_met:
        return 4 if day.xp >= 2 * goal else 3
    return 1 if 2 * day.xp < goal else 2


def _day_title(day: DayActivity, today: date) -> str:
    words = f"{day.day.isoformat()}: {_n(day.xp)} XP"
    if day.goal_met:
        words += ", goal met"
    return words + (" (today)" if day.day == today else "")


def _label(x: int, y: int, text: str, anchor: str = "start") -> str:
    attributes = {
        "x": str(x),
        "y": str(y),
        "class": "sq-calendar-label",
        "font-size": "9",
        "fill": "currentColor",
        "text-anchor": anchor,
    }
    return element("text", attributes, escape(text))


def _calendar_svg(board: Dashboard, ids: _Ids, summary_id: str) -> str:
    days = board.calendar
    start = days[0].day if days else board.today
    weeks = max((len(days) + 6) // 7, 1)
    width, height = LEFT + weeks * STEP + RIGHT, TOP + 7 * STEP
    rects: list[str] = []
    labels: list[str] = []
    for day in days:
        column, row = (day.day - start).days // 7, day.day.weekday()
        x, y = LEFT + column * STEP, TOP + row * STEP
        if row == 0 and day.day.day <= 7:  # the month's first Monday: label its column
            labels.append(_label(x, TOP - 5, MONTHS[day.day.month - 1][:3]))
        bucket = _bucket(day, board.daily_goal_xp)
        attributes = {
            "x": str(x),
            "y": str(y),
            "width": str(CELL),
            "height": str(CELL),
            "rx": "2",
            "class": f"sq-day sq-day-{bucket}" + (" sq-today" if day.day == board.today else ""),
            "fill": "currentColor",
            "fill-opacity": SHADES[bucket],
            "data-date": day.day.isoformat(),
        }
        rects.append(
            element("rect", attributes, element("title", None, _day_title(day, board.today)))
        )
    for row, text in WEEKDAY_LABELS:
        labels.append(_label(LEFT - 4, TOP + row * STEP + CELL - 2, text, "end"))
    svg_attributes = {
        "class": "sq-calendar",
        "role": "img",
        "aria-label": f"Activity calendar: XP per day over the last {_count(weeks, 'week')}",
        "aria-describedby": summary_id,
        "viewBox": f"0 0 {width} {height}",
        "width": str(width),
        "height": str(height),
        "focusable": "false",
    }
    return element("svg", svg_attributes, "".join(labels) + "".join(rects))


def _calendar(board: Dashboard, ids: _Ids) -> str:
    active = sum(1 for d in board.calendar if d.xp > 0)
    met = sum(1 for d in board.calendar if d.goal_met)
    summary_id = ids("calendar", "summary")
    summary = (
        f"Active on {_n(active)} of the last {_count(len(board.calendar), 'day')}; "
        f"daily goal met on {_count(met, 'day')}. Darker squares mean more XP; "
        "weeks run left to right, Monday at the top."
    )
    body = _calendar_svg(board, ids, summary_id) + _p(summary, "sq-calendar-summary", summary_id)
    return _section(ids, "activity", "Activity", body)


# --- review and data controls ---------------------------------------------------------------


def _review(board: Dashboard, ids: _Ids) -> str:
    due = board.due_for_review
    if due:
        verb = "is" if due == 1 else "are"
        message = f"{_count(due, 'question')} {verb} due for review."
        button = element(
            "button",
            {"type": "button", "class": "sq-primary sq-review-button", "data-action": "review"},
            "Review now",
        )
    else:
        message = "No questions are due for review."
        button = element(
            "button",
            {
                "type": "button",
                "class": "sq-review-button",
                "data-action": "review",
                "disabled": "",
            },
            "Nothing to review today",
        )
    area = element("div", {"class": "sq-review-area", "id": ids("review", "area")})
    body = _p(message, "sq-due") + button + area
    return _section(ids, "review", "Review", body)


def _data_controls(ids: _Ids) -> str:
    def button(action: str, label: str, css_class: str | None = None) -> str:
        return element(
            "button", {"type": "button", "data-action": action, "class": css_class}, label
        )

    file_input = open_tag(
        "input",
        {
            "type": "file",
            "accept": "application/json,.json",
            "data-action": "import-file",
            "hidden": "",
            "aria-label": "Progress file to import",
        },
    )
    controls = element(
        "div",
        {"class": "sq-data-controls"},
        button("export", "Export progress")
        + button("import", "Import progress")
        + file_input
        + button("wipe", "Delete all progress", "sq-danger"),
    )
    status = element("p", {"class": "sq-data-status", "role": "status", "aria-live": "polite"})
    body = _p(DATA_SENTENCE, "sq-data-note") + controls + status
    return _section(ids, "data", "Your data", body)


def _warnings(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    return element(
        "div", {"class": "sq-warnings", "role": "status"}, "".join(_p(w) for w in warnings)
    )


def render_dashboard(
    dashboard: Dashboard,
    *,
    instance: str = "sq",
    titles: Mapping[str, str] | None = None,
    warnings: Sequence[str] = (),
) -> str:
    """The whole progress page; `titles` names chapters and sections by id (ids otherwise)."""
    ids = _Ids(instance)
    names = titles or {}
    heading_id = ids("title")
    heading = element("h2", {"id": heading_id}, "Your progress")
    cards = element(
        "div",
        {"class": "sq-dashboard-grid"},
        _level_card(dashboard, ids) + _goal_card(dashboard, ids) + _streak_card(dashboard, ids),
    )
    body = (
        _warnings(warnings)
        + heading
        + cards
        + _badges(dashboard, ids)
        + _mastery(dashboard, ids, names)
        + _calendar(dashboard, ids)
        + _review(dashboard, ids)
        + _data_controls(ids)
    )
    attributes = {
        "class": "sq-dashboard",
        "id": ids(),
        "aria-labelledby": heading_id,
        "data-today": dashboard.today.isoformat(),
    }
    return element("section", attributes, body)
