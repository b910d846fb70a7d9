"""The progress dashboard: phone first, said in words, drawn with HTML and inline SVG only.

From the top: today (the daily goal, settable, and "Review now" with the review session's
area right under it), where the reader stands (XP, level, streak), the book as a path of
chapters with what comes next, two charts, the badges, and the reader's data. Nothing needs
width: rows are stacked blocks that wrap, so it reads the same at 320 px as at 1280 px.

Every figure is said in words as well as drawn (rings and charts are pictures of sentences
printed beside them); no chapter or section is named by its id (see render/names.py); no
style attribute is written, so a strict Content Security Policy stays strict; everything
from data (titles, badge names, warnings) is escaped.

The page reacts to the `data-action` buttons ("review", "review-next", "review-done",
"export", "import", "wipe"), to `<input type="file" data-action="import-file">`, to a file
dropped on `[data-drop=import]` and to the submit of `<form data-action="set-goal">` (its
checked `goal` radio is the XP); it writes its
messages into `.sq-data-status` / `.sq-goal-status-message` and puts the review session
into `.sq-review-area`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..i18n import ENGLISH, Texts
from ..progress.dashboard import BadgeProgress, Dashboard, EarnedBadge
from ..progress.mastery import ChapterMastery, Mastery
from .badges import badge_svg, badge_words
from .charts import activity_chart, mastery_chart
from .markup import dom_id, element, escape, open_tag
from .names import Titles, chapter_name, section_name
from .rings import progress_words, ring_svg

SEPARATOR = " · "


class _Ids:
    def __init__(self, instance: str) -> None:
        self.instance = instance

    def __call__(self, *parts: str) -> str:
        return dom_id(self.instance, "dashboard", *parts)


def _p(text: str, css_class: str | None = None, id: str | None = None) -> str:
    return element("p", {"class": css_class, "id": id}, escape(text))


def _span(text: str, css_class: str) -> str:
    return element("span", {"class": css_class}, escape(text))


def _progress(value: int, maximum: int, attributes: dict[str, str | None]) -> str:
    """A native progress bar (role progressbar), its value clamped into 0..max."""
    top = max(maximum, 1)
    shown = min(max(value, 0), top)
    attrs = {**attributes, "max": str(top), "value": str(shown)}
    return element("progress", attrs, escape(f"{100 * shown // top}%"))


def _section(ids: _Ids, name: str, heading: str, body: str, css_class: str = "") -> str:
    heading_id = ids(name, "title")
    classes = f"sq-{name}-section {css_class}".strip()
    return element(
        "section",
        {"class": classes, "aria-labelledby": heading_id},
        element("h3", {"id": heading_id}, escape(heading)) + body,
    )


# --- today: the goal, review ----------------------------------------------------------------


def _goal(board: Dashboard, t: Texts) -> str:
    goal, today = board.daily_goal_xp, board.today_xp
    if board.goal_met_today:
        amount = t("dashboard.goal_xp_today", xp=today)
        status = element(
            "p",
            {"class": "sq-goal-status sq-goal-met"},
            element("span", {"aria-hidden": "true"}, "✓")
            + " "
            + escape(t("dashboard.goal_met", goal=goal)),
        )
    else:
        amount = t("dashboard.goal_progress", xp=today, goal=goal)
        status = _p(
            t("dashboard.goal_to_go", xp=max(goal - today, 0)), "sq-goal-status sq-goal-open"
        )
    bar = _progress(
        today, goal, {"class": "sq-goal-progress", "aria-label": t("dashboard.goal_bar_label")}
    )
    return _p(amount, "sq-big sq-goal-xp") + bar + status


def _goal_form(board: Dashboard, ids: _Ids, t: Texts) -> str:
    """The daily goal, settable: one radio per choice and a submit button."""
    choices = "".join(
        element(
            "label",
            {"class": "sq-goal-choice"},
            open_tag(
                "input",
                {
                    "type": "radio",
                    "name": "goal",
                    "value": str(xp),
                    "checked": "" if xp == board.daily_goal_xp else None,
                },
            )
            + " "
            + escape(t("dashboard.goal_choice", xp=xp)),
        )
        for xp in board.goal_choices
    )
    fieldset = element(
        "fieldset",
        {"class": "sq-goal-choices"},
        element("legend", None, escape(t("dashboard.goal_legend"))) + choices,
    )
    form = element(
        "form",
        {"class": "sq-goal-form", "data-action": "set-goal", "id": ids("goal", "form")},
        fieldset
        + element("button", {"type": "submit"}, escape(t("dashboard.goal_save")))
        + element(
            "p",
            {"class": "sq-goal-status-message", "role": "status", "aria-live": "polite"},
        ),
    )
    summary = element("summary", None, escape(t("dashboard.goal_change")))
    return element("details", {"class": "sq-goal-setting"}, summary + form)


def _review(board: Dashboard, ids: _Ids, t: Texts) -> str:
    due = board.due_for_review
    if due:
        message = t.plural("dashboard.due", due)
        button = element(
            "button",
            {"type": "button", "class": "sq-primary sq-review-button", "data-action": "review"},
            escape(t.plural("dashboard.review_now", due)),
        )
    else:
        upcoming = board.next_review_on
        if upcoming is None:
            message = t("dashboard.nothing_due")
        elif upcoming <= board.today:
            message = t("dashboard.next_review_today")
        else:
            message = t("dashboard.next_review_on", date=t.date(upcoming))
        button = element(
            "button",
            {
                "type": "button",
                "class": "sq-review-button",
                "data-action": "review",
                "disabled": "",
            },
            escape(t("dashboard.nothing_to_review")),
        )
    area = element("div", {"class": "sq-review-area", "id": ids("review", "area")})
    return element("div", {"class": "sq-review-call"}, button + _p(message, "sq-due")) + area


def _today(board: Dashboard, ids: _Ids, t: Texts) -> str:
    body = _goal(board, t) + _review(board, ids, t) + _goal_form(board, ids, t)
    return _section(ids, "today", t("dashboard.today"), body, "sq-card")


# --- where the reader stands: XP, level, streak ---------------------------------------------


def _standing(board: Dashboard, ids: _Ids, t: Texts) -> str:
    level = board.level
    needed_id = ids("level", "needed")
    line = element(
        "p",
        {"class": "sq-level-line"},
        _span(t("dashboard.xp_total", xp=level.xp), "sq-xp-total")
        + SEPARATOR
        + _span(t("dashboard.level", level=level.level), "sq-level-number")
        + SEPARATOR
        + element(
            "span",
            {"class": "sq-xp-needed", "id": needed_id},
            escape(t("dashboard.xp_to_level", xp=level.xp_to_next_level, level=level.level + 1)),
        ),
    )
    bar = _progress(
        level.xp - level.level_starts_at,
        level.next_level_at - level.level_starts_at,
        {
            "class": "sq-level-progress",
            "aria-label": t("dashboard.level_bar_label", level=level.level + 1),
            "aria-describedby": needed_id,
        },
    )
    streak = element(
        "p",
        {"class": "sq-streak-line"},
        _span(t.plural("dashboard.streak", board.streak), "sq-streak-days")
        + SEPARATOR
        + _span(t.plural("dashboard.best_streak", board.best_streak), "sq-best-streak")
        + SEPARATOR
        + _span(t.plural("dashboard.freezes", board.freezes_held), "sq-freezes"),
    )
    body = line + bar + streak
    if board.missed_days_to_freeze:
        body += _p(t.plural("dashboard.freeze_note", board.missed_days_to_freeze), "sq-freeze-note")
    elif board.streak == 0:
        body += _p(t("dashboard.streak_start"), "sq-streak-note")
    body += _p(t.plural("dashboard.answers", board.answers, right=board.correct), "sq-answers")
    return _section(ids, "standing", t("dashboard.standing"), body, "sq-card")


# --- the path: chapters as steps, what comes next -------------------------------------------


def _breakdown(part: Mastery, today: date, t: Texts) -> str:
    """ "2 new · 1 to practise again · 2 right once, back for review on 4 March · 1 mastered"."""
    words: list[str] = []
    if part.new:
        words.append(t.plural("dashboard.count_new", part.new))
    if part.missed:
        words.append(t.plural("dashboard.count_missed", part.missed))
    if part.right_once:
        once = t.plural("dashboard.count_right_once", part.right_once)
        if part.comes_back_on is not None and part.comes_back_on <= today:
            once = t("dashboard.comes_back_today", counts=once)
        elif part.comes_back_on is not None:
            once = t("dashboard.comes_back", counts=once, date=t.date(part.comes_back_on))
        words.append(once)
    if part.mastered:
        words.append(t.plural("dashboard.count_mastered", part.mastered))
    return SEPARATOR.join(words)


def _section_row(section: Mastery, number: int, titles: Titles, today: date, t: Texts) -> str:
    return element(
        "li",
        {"class": "sq-section-row", "data-section-id": section.id},
        _span(section_name(titles, section.id, number, t=t), "sq-section-title")
        + " "
        + _span(_breakdown(section, today, t), "sq-section-counts"),
    )


def _step(
    chapter: ChapterMastery,
    name: str,
    current: bool,
    titles: Titles,
    today: date,
    t: Texts,
) -> str:
    title = _span(name, "sq-chapter-title")
    if current:
        title += " " + _span(t("dashboard.you_are_here"), "sq-here")
    body = element("p", {"class": "sq-step-title"}, title) + _p(
        progress_words(chapter, t=t), "sq-step-counts"
    )
    back = chapter.comes_back_on
    if chapter.right_once and back is not None:
        detail = (
            t.plural("dashboard.step_comes_back_today", chapter.right_once)
            if back <= today
            else t.plural("dashboard.step_comes_back", chapter.right_once, date=t.date(back))
        )
        body += _p(detail, "sq-step-detail")
    named = [s for s in chapter.sections if s.id is not None]
    if named:
        rows = "".join(
            _section_row(section, n, titles, today, t)
            for n, section in enumerate(chapter.sections, 1)
        )
        summary = element(
            "summary", None, escape(t.plural("dashboard.sections", len(chapter.sections)))
        )
        body += element(
            "details",
            {"class": "sq-step-sections", "open": "" if current else None},
            summary + element("ul", {"class": "sq-section-list"}, rows),
        )
    done = chapter.total > 0 and chapter.mastered == chapter.total
    classes = (
        "sq-step" + (" sq-step-current" if current else "") + (" sq-step-done" if done else "")
    )
    return element(
        "li",
        {
            "class": classes,
            "data-chapter-id": chapter.id,
            "aria-current": "step" if current else None,
        },
        ring_svg(chapter, size=40) + element("div", {"class": "sq-step-body"}, body),
    )


def _next_sentence(board: Dashboard, names: list[str], t: Texts) -> str:
    step = board.next_step
    chapter = names[step.chapter] if step.chapter is not None else ""
    match step.kind:
        case "empty":
            return t("dashboard.next_empty")
        case "start":
            return t.plural("dashboard.next_start", step.count, chapter=chapter)
        case "review":
            return t.plural("dashboard.next_review", step.count)
        case "continue":
            return t.plural("dashboard.next_continue", step.count, chapter=chapter)
        case "come_back" if step.on is not None and step.on <= board.today:
            return t.plural("dashboard.next_come_back_today", step.count)
        case "come_back" if step.on is not None:
            return t.plural("dashboard.next_come_back", step.count, date=t.date(step.on))
        case "come_back":
            return t.plural("dashboard.next_come_back_later", step.count)
        case _:
            return t("dashboard.next_done")


def _chapter_names(board: Dashboard, titles: Titles, t: Texts) -> list[str]:
    return [
        chapter_name(titles, chapter.id, number, t=t)
        for number, chapter in enumerate(board.mastery.chapters, 1)
    ]


def _path(board: Dashboard, ids: _Ids, titles: Titles, names: list[str], t: Texts) -> str:
    body = element("p", {"class": "sq-next-step"}, escape(_next_sentence(board, names, t)))
    chapters = board.mastery.chapters
    if chapters:
        body += _p(t("dashboard.mastery_rule"), "sq-mastery-rule")
        steps = "".join(
            _step(chapter, names[index], board.current_chapter == index, titles, board.today, t)
            for index, chapter in enumerate(chapters)
        )
        body += element("ol", {"class": "sq-path"}, steps)
    return _section(ids, "path", t("dashboard.path"), body)


# --- charts ---------------------------------------------------------------------------------


def _charts(board: Dashboard, ids: _Ids, names: list[str], t: Texts) -> str:
    activity = _section(
        ids,
        "activity",
        t("dashboard.activity"),
        activity_chart(board.calendar, board.today, ids("activity", "chart"), t=t),
        "sq-chart-card",
    )
    if not board.mastery.chapters:
        return element("div", {"class": "sq-charts"}, activity)
    mastery = _section(
        ids,
        "mastery",
        t("dashboard.mastery_chart"),
        mastery_chart(
            list(zip(board.mastery.chapters, names, strict=True)),
            ids("mastery", "chart"),
            t=t,
        ),
        "sq-chart-card",
    )
    return element("div", {"class": "sq-charts"}, activity + mastery)


# --- badges ---------------------------------------------------------------------------------


def _badge_words(title: str, description: str, meta: str) -> str:
    return element(
        "div",
        {"class": "sq-badge-words"},
        element("strong", {"class": "sq-badge-title"}, escape(title))
        + " "
        + _span(description, "sq-badge-description")
        + " "
        + meta,
    )


def _dated(message: str, day: date, t: Texts) -> str:
    """`message` (its `{date}` filled with a marker) with a `<time>` element at the marker:
    the language places the date, the page gets it machine-readable."""
    marker = "\0"
    time = element("time", {"datetime": day.isoformat()}, escape(t.date(day)))
    return escape(message).replace(marker, time)


def _earned(earned: EarnedBadge, t: Texts) -> str:
    when = element(
        "span",
        {"class": "sq-meta"},
        _dated(t("dashboard.badge_earned_on", date="\0"), earned.earned_on, t),
    )
    badge = earned.badge
    return element(
        "li",
        {"class": "sq-badge sq-earned", "data-badge-id": badge.id},
        badge_svg(badge) + _badge_words(*badge_words(badge, t), when),
    )


def _locked(pending: BadgeProgress, t: Texts) -> str:
    badge = pending.badge
    shown = min(pending.value, badge.at_least)
    meta = _span(
        t("dashboard.badge_progress", value=shown, goal=badge.at_least), "sq-meta sq-badge-progress"
    )
    return element(
        "li",
        {"class": "sq-badge sq-locked", "data-badge-id": badge.id},
        badge_svg(badge) + _badge_words(*badge_words(badge, t), meta),
    )


def _badges(board: Dashboard, ids: _Ids, t: Texts) -> str:
    earned = (
        element(
            "ul",
            {"class": "sq-badges sq-earned-badges"},
            "".join(_earned(b, t) for b in board.badges),
        )
        if board.badges
        else _p(t("dashboard.no_badges"), "sq-no-badges")
    )
    body = element("h4", None, escape(t.plural("dashboard.badges_earned", len(board.badges))))
    body += earned
    if board.next_badges:
        body += element("h4", None, escape(t("dashboard.badges_next"))) + element(
            "ul",
            {"class": "sq-badges sq-next-badges"},
            "".join(_locked(p, t) for p in board.next_badges),
        )
    return _section(ids, "badges", t("dashboard.badges"), body)


# --- the reader's data ----------------------------------------------------------------------


def _data_controls(ids: _Ids, t: Texts) -> str:
    def button(action: str, label: str, css_class: str | None = None) -> str:
        return element(
            "button", {"type": "button", "data-action": action, "class": css_class}, escape(label)
        )

    file_input = open_tag(
        "input",
        {
            "type": "file",
            "accept": "application/json,.json",
            "data-action": "import-file",
            "hidden": "",
            "aria-label": t("dashboard.import_file_label"),
        },
    )
    controls = element(
        "div",
        {"class": "sq-data-controls"},
        button("export", t("dashboard.export"))
        + button("import", t("dashboard.import"))
        + file_input
        + button("wipe", t("dashboard.wipe"), "sq-danger"),
    )
    # A file dropped anywhere on the zone is imported as one picked with the button (the
    # keyboard's way in): web/src/actions.js.
    drop = _p(t("dashboard.drop_hint"), "sq-drop-hint")
    zone = element("div", {"class": "sq-drop-zone", "data-drop": "import"}, controls + drop)
    status = element("p", {"class": "sq-data-status", "role": "status", "aria-live": "polite"})
    body = _p(t("dashboard.data_note"), "sq-data-note") + zone + status
    return _section(ids, "data", t("dashboard.data"), body)


def _warnings(warnings: Sequence[str], t: Texts) -> str:
    """What the reader should know about their stored progress: shown on every drawing until
    they dismiss it (or it is resolved: see `Session.standing`)."""
    if not warnings:
        return ""
    dismiss = element(
        "button",
        {"type": "button", "data-action": "dismiss-warnings"},
        escape(t("dashboard.dismiss_warnings")),
    )
    said = "".join(_p(w) for w in warnings)
    return element("div", {"class": "sq-warnings", "role": "status"}, said + dismiss)


def render_dashboard(
    dashboard: Dashboard,
    *,
    instance: str = "sq",
    titles: Titles | None = None,
    warnings: Sequence[str] = (),
    t: Texts = ENGLISH,
) -> str:
    """The whole progress page; `titles` names chapters and sections (neutral names otherwise)."""
    ids = _Ids(instance)
    known = titles or Titles()
    names = _chapter_names(dashboard, known, t)
    heading_id = ids("title")
    body = (
        _warnings(warnings, t)
        + element("h2", {"id": heading_id}, escape(t("dashboard.title")))
        + element(
            "div",
            {"class": "sq-dashboard-top"},
            _today(dashboard, ids, t) + _standing(dashboard, ids, t),
        )
        + _path(dashboard, ids, known, names, t)
        + _charts(dashboard, ids, names, t)
        + _badges(dashboard, ids, t)
        + _data_controls(ids, t)
    )
    attributes = {
        "class": "sq-dashboard",
        "id": ids(),
        "aria-labelledby": heading_id,
        "data-today": dashboard.today.isoformat(),
    }
    return element("section", attributes, body)
