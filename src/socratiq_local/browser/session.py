"""One reader's session in one tab: the quizzes on the page, their progress, and its storage.

The page sends plain messages (`op` plus JSON fields, see web/src/); each method here
answers one of them with plain data, HTML made by `render/`, and the storage writes for the
page to apply. Time comes in every message (the page's clock and UTC offset), so nothing here
reads a global clock and the whole session runs, and is tested, on CPython as in the browser.

Only what showing a quiz needs is imported with this module: the progress tracker, grading,
the dashboard and the importers are imported where they are first needed, so the page's first
quiz shows sooner; the "warm" message imports them ahead of the first answer (see `warm`).
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..formats import foreign_format
from ..i18n import ENGLISH, Texts
from ..quiz.checks import Problem, QuizFileError, load_quiz, nesting_problem, quiz_problems
from ..quiz.form import Fields, answer_from_fields
from ..quiz.grading import GradeResult, build_validators, grade, is_empty, wants_model_answer
from ..quiz.kept import keep, restore
from ..quiz.models import AnyQuestion, Quiz, ShortAnswer
from ..quiz.shuffle import questions_for
from ..render.question import (
    QUESTIONS_PER_PAGE,
    QuizMode,
    Shown,
    render_more_questions,
    render_question,
    render_quiz,
)
from ..storage.keys import BookKeys, check_writer_id
from ..storage.learner import Learner, read_learner
from .formats import FORMAT_NAMES, detect_format, looks_like_mlsysbook
from .mirror import MirrorStorage, Write

if TYPE_CHECKING:
    from ..progress.book import BookIndex
    from ..progress.events import AnyEvent
    from ..progress.mastery import Mastery
    from ..progress.record import Notice
    from ..progress.review import ReviewSession
    from ..progress.state import ProgressState, QuestionProgress
    from ..render.names import Titles
    from ..storage.book import BookStore

#: How long a tab whose storage was found full waits before it tries the real storage again.
RETRY_FULL_AFTER = timedelta(seconds=20)
#: The most cards one review session shows; the summary offers the rest.
REVIEW_SESSION_SIZE = 10
#: The longest section heading the page may send with a quiz (longer ones are cut).
SECTION_TITLE_LENGTH = 200

#: The modules that answering, reviewing and the dashboard import on first need.
FIRST_ANSWER_MODULES = (
    "..progress.dashboard",
    "..progress.record",
    "..progress.review",
    "..progress.state",
    "..render.celebrations",
    "..render.dashboard",
    "..render.feedback",
    "..render.review",
    "..storage.book",
)


class SessionError(Exception):
    """Something the reader should be told, in one sentence (a bad quiz file, a bad import)."""


def one_more_try(question: AnyQuestion) -> bool:
    """Whether a miss leaves something to try: not when the marks on the picked option leave
    only one other (true/false, two choices), and not for a self-rated short answer."""
    match question.type:
        case "true_false" | "short_answer":
            return False
        case "single_choice":
            return len(question.choices) > 2
        case _:
            return True


def new_seed() -> str:
    return secrets.token_hex(12)


def warm() -> None:
    """Import what the reader's first answer and the dashboard need, before they are asked for:
    the page sends "warm" when idle, once its first quizzes show."""
    for name in FIRST_ANSWER_MODULES:
        importlib.import_module(name, __package__)
    build_validators()


@dataclass
class PageClock:
    """The storage's clock: the time of the page's latest message, so a tab left open for days
    stamps its writes with the day it makes them."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Moment:
    """The page's clock and time zone at the moment of one message."""

    now: datetime
    tz: tzinfo

    @property
    def local_date(self) -> date:
        return self.now.astimezone(self.tz).date()

    @classmethod
    def of(cls, message: Mapping[str, Any]) -> Moment:
        millis = message.get("now")
        offset = message.get("tzOffsetMinutes")
        now = (
            datetime.fromtimestamp(millis / 1000, UTC)
            if isinstance(millis, (int, float)) and not isinstance(millis, bool)
            else datetime.now(UTC)
        )
        minutes = offset if isinstance(offset, int) and abs(offset) <= 16 * 60 else 0
        return cls(now=now, tz=timezone(timedelta(minutes=minutes)))

    def clock(self) -> datetime:
        return self.now


def read_quiz(text: str, source: str, format_name: str = "auto", t: Texts = ENGLISH) -> Quiz:
    """A quiz from a file's text, in our format or MLSysBook's ("auto": told by its shape, see
    formats.py); SessionError says what is wrong, in `t`'s language. The nesting is checked
    before anything parses the text."""
    if format_name not in FORMAT_NAMES:
        raise SessionError(
            t("session.unknown_format", name=format_name, names=", ".join(FORMAT_NAMES))
        )
    if (deep := nesting_problem(text)) is not None:
        raise _file_problem([deep], source, t)
    if (detect_format(text) if format_name == "auto" else format_name) == "mlsysbook":
        quiz = read_mlsysbook_quiz(text, source, t)
        if errors := [p for p in quiz_problems(quiz) if p.severity == "error"]:
            raise _file_problem(errors, source, t)  # two questions with one id, for one
        return quiz
    try:
        return load_quiz(text, source)
    except QuizFileError as error:
        if looks_like_mlsysbook(text):  # data-format="native" on a chapter's *_quizzes.json
            raise SessionError(t("session.mlsysbook_not_native", source=source)) from None
        if (found := foreign_format(text, source)) is not None:  # jupyterquiz, quizdown, GIFT
            raise SessionError(t("session.foreign_format", source=source, format=found)) from None
        errors = [p for p in error.problems if p.severity == "error"] or error.problems
        raise _file_problem(errors, source, t) from None


def _file_problem(problems: Sequence[Problem], source: str, t: Texts) -> SessionError:
    """The first problem of a quiz file, with how many more there are."""
    message = t("session.quiz_file_problem", problem=problems[0].describe(source))
    if len(problems) > 1:
        message += " " + t.plural("session.quiz_file_more_problems", len(problems) - 1)
    return SessionError(message)


def read_mlsysbook_quiz(text: str, source: str, t: Texts = ENGLISH) -> Quiz:
    """The quiz in an MLSysBook chapter file (`*_quizzes.json`)."""
    # deferred: only a page that reads MLSysBook's files needs the importer
    from ..importers.mlsysbook import read_mlsysbook
    from ..importers.report import ImportFailed

    try:
        report = read_mlsysbook(text, source)
    except ImportFailed as error:
        raise SessionError(t("session.quiz_file_unreadable", error=str(error))) from None
    if not report.quizzes:
        raise SessionError(t("session.quiz_file_empty", source=source))
    return report.quizzes[0]


@dataclass
class Session:
    """Everything one tab knows: its storage copy, its book's quizzes, the reader's progress.

    The progress (`state`) is read, and the `store` it is read from made, when first needed:
    a quiz shows without them.
    """

    book_id: str
    writer_id: str
    mirror: MirrorStorage
    clock: PageClock
    seed: str
    state: ProgressState | None = None
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    holds_lock: bool = False
    loaded: bool = False
    epoch: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Said until resolved or dismissed, on every drawing of the dashboard (`standing`).
    standing: list[str] = field(default_factory=list)
    #: Ids of the events the progress folds beyond its snapshot: another tab's new chunk adds
    #: only the events not among them (see `storage_changed`).
    seen: set[str] = field(default_factory=set)
    #: When the page last found the storage full (None: it is not), and whether that was said.
    full_since: datetime | None = None
    full_told: bool = False
    #: The last import's marker event and inbox key, to take back out should they not fit.
    last_import: set[str] = field(default_factory=set)
    last_inbox: str | None = None
    t: Texts = ENGLISH
    section_headings: dict[str, str] = field(default_factory=dict)
    review: ReviewSession | None = None
    #: Misses in a row per question (by `question_key`) since it was last shown fresh.
    misses: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        book_id: str,
        writer_id: str,
        storage: Mapping[str, str],
        moment: Moment,
        lang: str | None = None,
    ) -> Session:
        """`lang`: the page's language (its script tag's data-lang, else <html lang>)."""
        mirror = MirrorStorage(storage)
        session = cls(book_id, check_writer_id(writer_id), mirror, PageClock(moment.now), seed="")
        session.t = Texts(lang) if lang else ENGLISH
        session.learn(session.read_learner())
        return session

    def read_learner(self) -> Learner:
        return read_learner(
            self.mirror, BookKeys(self.book_id), new_seed, self.writer_id, self.clock()
        )

    def learn(self, learner: Learner) -> None:
        self.seed, self.epoch = learner.seed, learner.epoch
        if learner.warning:
            self.standing.append(learner.warning)

    @cached_property
    def store(self) -> BookStore:
        from ..progress.state import fold  # deferred: see the module's docstring
        from ..storage.book import BookStore  # deferred: it brings the whole progress tracker

        return BookStore(self.mirror, self.book_id, self.writer_id, fold, clock=self.clock)

    def ensure_loaded(self) -> ProgressState:
        """The reader's progress, read from storage the first time it is needed."""
        if not self.loaded:
            self.reload()
        if self.state is None:  # the stored progress is unreadable (see reload): start afresh
            self.state = self.fresh_state()
        return self.state

    def fresh_state(self) -> ProgressState:
        from ..progress.state import ProgressState  # deferred: first needed by an answer

        return self.sized(ProgressState())

    def sized(self, state: ProgressState) -> ProgressState:
        """`state` told how many questions each chapter of the book's quizzes has."""
        from ..progress.state import with_sizes  # deferred: first needed by an answer

        return with_sizes(state, self.book().sizes())

    # -- storage ----------------------------------------------------------------------------

    def reload(self) -> bool:
        """Read the stored progress again (another tab wrote); True if the progress changed."""
        from ..progress.state import ProgressState, replay  # deferred: first needed by an answer

        try:
            loaded = self.store.load(holds_lock=self.holds_lock)
            start = (
                ProgressState()
                if loaded.snapshot is None
                else ProgressState.model_validate(loaded.snapshot)
            )
        except ValidationError:
            self.warnings.append(self.t("session.unreadable_progress"))
            return False
        self.warnings += loaded.warnings
        self.note_unsaved(loaded.unsaved)
        state = self.sized(replay(loaded.events, start))
        changed = state != self.state
        self.state, self.loaded = state, True
        self.seen = {event.id for event in loaded.events}
        return changed

    def take_writes(self) -> list[Write]:
        return self.mirror.take_writes()

    def storage_changed(self, changes: Mapping[str, str | None], *, whole: bool = False) -> bool:
        """Another tab wrote `changes` (or, `whole`, this is all the page holds now); True if
        the progress changed. Only what changed is read: another tab's new chunk adds its new
        events to the progress; a new snapshot or a wipe (a new epoch) reads it all again."""
        keys = BookKeys(self.book_id)
        if whole:
            self.mirror.replace({k: v for k, v in changes.items() if v is not None})
        else:
            self.mirror.apply(changes)
        if whole or keys.learner() in changes:
            epoch = self.epoch
            self.learn(self.read_learner())
            if self.epoch != epoch:  # the reader wiped in another tab
                self.state, self.loaded = None, False
                self.ensure_loaded()
                return True
        if not self.loaded:
            return False
        fresh = [] if whole else self.store.fresh_events(changes)
        if fresh is None or whole:
            return self.reload()
        new = [event for event in fresh if event.id not in self.seen]
        if not new:
            return False
        from ..progress.state import replay  # deferred: loaded above, so imported already

        self.seen.update(event.id for event in new)
        self.state = self.sized(replay(new, self.ensure_loaded()))
        return True

    def write_failed(
        self, actual: Mapping[str, str | None], *, retry: bool, undo_import: bool = False
    ) -> str | None:
        """The page could not apply our writes from one key on: `actual` is what it holds
        under those keys. Make room and save again (`retry`), else keep the events in memory
        and say so once. An import that did not fit (`undo_import`) is taken back out instead,
        so this tab's own answers still save: the message saying so."""
        self.mirror.found_full(actual)
        self.full_since = self.clock()
        self.store.resync()
        undone = None
        if undo_import and (self.last_import or self.last_inbox):
            report = self.store.discard(self.last_import, self.last_inbox)
            self.warnings += report.warnings
            self.seen -= self.last_import
            self.last_import, self.last_inbox = set(), None
            undone = self.t("session.import_too_large")
        elif retry:
            if self.holds_lock:  # folding may make room the hint cannot know of: try for real
                self.mirror.lift_quota()
            self.warnings += _not_full(self.store.make_room(holds_lock=self.holds_lock).warnings)
        self.reload()
        return undone

    def standing_warnings(self) -> list[str]:
        """Every warning not dismissed yet: the dashboard shows them at each drawing."""
        self.standing += [w for w in self.take_warnings() if w not in self.standing]
        return list(self.standing)

    def dismiss_warnings(self) -> None:
        """The reader has read them (a storage still full is not said again until resolved)."""
        self.standing = []

    def note_unsaved(self, unsaved: int) -> None:
        """The standing storage-full warning: said once while answers wait in memory (until
        `settle` finds them all saved)."""
        message = self.t("session.storage_full")
        if unsaved and self.full_since is not None and not self.full_told:
            self.full_told = True
            self.standing.append(message)
            self.warnings.append(message)

    def settle(self) -> None:
        """Before the next request: if the page took every write since storage was full (it
        would have said otherwise by now), the storage-full warning is resolved."""
        if (
            self.full_since is not None
            and self.mirror.quota_bytes is None
            and self.loaded
            and not self.store.unsaved
        ):
            self.full_since, self.full_told = None, False
            message = self.t("session.storage_full")
            if message in self.standing:
                self.standing.remove(message)

    def retry_if_full(self) -> None:
        """Lift the full storage's quota hint now and then: room may have been made."""
        if self.full_since is not None and self.clock() - self.full_since >= RETRY_FULL_AFTER:
            self.mirror.lift_quota()

    def compact(self) -> None:
        """Called only in the tab holding the compactor lock (see web/src/storage.js)."""
        self.holds_lock = True
        self.ensure_loaded()
        self.mirror.lift_quota()  # compaction is the one way room is made: try for real
        report = self.store.compact()
        self.warnings += report.warnings
        if report.compacted:
            self.reload()
        else:
            self.note_unsaved(report.unsaved)

    # -- quizzes ----------------------------------------------------------------------------

    def book(self) -> BookIndex:
        from ..progress.book import BookIndex  # deferred: first needed by an answer

        return BookIndex.from_quizzes(self.quizzes.values())

    def add_quiz(self, quiz: Quiz) -> None:
        self.quizzes[quiz.id] = quiz
        if self.state is not None:  # else the sizes are set when the progress is read
            self.state = self.sized(self.state)

    def quiz_html(
        self,
        quiz: Quiz,
        section: str | None,
        instance: str,
        *,
        show_title: bool = False,
        show_meta: bool = False,
        tz: tzinfo = UTC,
        mode: QuizMode = "list",
    ) -> str:
        """The quiz's questions in `section`, those answered before as the learner left them,
        under its progress line ("N of M answered")."""
        from ..render.rings import Unanswered, render_progress_line

        self.add_quiz(quiz)
        questions = questions_for(quiz, self.seed, section)
        if section is not None and not questions:
            raise SessionError(
                self.t("session.no_questions_in_section", title=quiz.title, section=section)
            )
        line = render_progress_line(Unanswered(len(questions)), t=self.t)
        if self.has_progress():
            line = self.quiz_progress_html(quiz.id, section, tz)
        return render_quiz(
            quiz,
            seed=self.seed,
            section=section,
            instance=instance,
            t=self.t,
            show_title=show_title,
            show_meta=show_meta,
            shown=self.answered_before(quiz, questions[:QUESTIONS_PER_PAGE]),
            progress=line,
            mode=mode,
            page_size=QUESTIONS_PER_PAGE,
        )

    def more_questions(
        self,
        quiz_id: str,
        section: str | None,
        start: int,
        instance: str,
        *,
        show_meta: bool = False,
        mode: QuizMode = "list",
    ) -> dict[str, str]:
        """A long quiz's next page of questions from number `start` (drawn by `quiz_html`
        first), and the sentence that says how many now show."""
        quiz = self.quizzes.get(quiz_id)
        if quiz is None:
            raise SessionError(self.t("session.question_gone"))
        questions = questions_for(quiz, self.seed, section)
        start = max(0, min(start, len(questions)))
        page = questions[start : start + QUESTIONS_PER_PAGE]
        html = render_more_questions(
            quiz,
            start,
            QUESTIONS_PER_PAGE,
            seed=self.seed,
            section=section,
            instance=instance,
            t=self.t,
            show_meta=show_meta,
            shown=self.answered_before(quiz, page),
            mode=mode,
        )
        shown = self.t("quiz.questions_shown", shown=start + len(page), total=len(questions))
        return {"html": html, "announce": shown}

    def answered_before(self, quiz: Quiz, questions: list[AnyQuestion]) -> dict[str, Shown]:
        """How the learner left each of `questions` they answered before, by question id (a
        retry's miss counted again, so the next Check is its last try)."""
        shown: dict[str, Shown] = {}
        if not self.has_progress():
            return shown
        state = self.ensure_loaded()
        for question in questions:
            key = _key(quiz, question)
            progress = state.questions.get(key)
            view = None if progress is None else self.shown_before(question, progress)
            if view is not None:
                shown[question.id] = view
                self.misses[key] = 1 if view.stage == "retry" else 0
        return shown

    def has_progress(self) -> bool:
        """Whether any progress is stored or held (a first visit shows its quizzes sooner)."""
        keys, stored = BookKeys(self.book_id), self.mirror.keys()
        kinds = ("snapshot", "log", "inbox")
        return self.loaded or any(
            keys.owns(key) and keys.parse(key).kind in kinds for key in stored
        )

    def shown_before(self, question: AnyQuestion, progress: QuestionProgress) -> Shown | None:
        """The question as its last stored answer left it; None if that answer is not kept or
        no longer fits the question (the quiz was edited)."""
        answer = restore(question, progress.last_answer)
        if answer is None:
            return None
        result = grade(question, answer, self.t.info.decimal)
        if not result.valid:
            return None
        final = result.correct or progress.solution_day is not None or not one_more_try(question)
        return Shown(answer, result, "final" if final else "retry")

    def find(self, quiz_id: str, question_id: str) -> tuple[Quiz, AnyQuestion]:
        quiz = self.quizzes.get(quiz_id)
        question = (
            None if quiz is None else next((q for q in quiz.questions if q.id == question_id), None)
        )
        if quiz is None or question is None:
            raise SessionError(self.t("session.question_gone"))
        return quiz, question

    # -- answering --------------------------------------------------------------------------

    def check(
        self,
        quiz_id: str,
        question_id: str,
        answer: object,
        review: bool,
        moment: Moment,
        *,
        instance: str = "sq",
        show_meta: bool = False,
    ) -> dict[str, Any]:
        """Grade and record an answer; reply with the whole question drawn again, as the
        learner left it, and a sentence for the page's live region.

        An empty answer is not an attempt (no event); a short answer's text first brings the
        model answer, then its rating is the answer. A miss gets one more try (no solution) if
        the question leaves one; the solution is shown after two misses in a row."""
        # deferred: a page may show quizzes and never be answered (see `warm`)
        from ..progress.record import record_answer
        from ..progress.state import seen_solution
        from ..render.feedback import verdict_text

        quiz, question = self.find(quiz_id, question_id)
        draw = _Drawing(self, quiz, question, instance, show_meta)
        if is_empty(question, answer):
            key = "feedback.empty_short" if isinstance(question, ShortAnswer) else "feedback.empty"
            return draw.reply(Shown(answer, None, "nudge", nudge=self.t(key)))
        if wants_model_answer(question, answer):
            return draw.reply(Shown(answer, None, "compare"))
        result = grade(question, answer, self.t.info.decimal)
        if not result.valid:
            nudge = verdict_text(question, result, self.t)
            return draw.reply(Shown(answer, result, "nudge", nudge=nudge), result=result)

        key = _key(quiz, question)
        state = self.ensure_loaded()
        progress = state.questions.get(key)
        after_solution = progress is not None and seen_solution(progress, moment.local_date)
        misses = 0 if result.correct else self.misses.get(key, 0) + 1
        final = result.correct or after_solution or misses >= 2 or not one_more_try(question)
        after, events, notices = record_answer(
            state,
            quiz,
            question,
            result,
            moment.clock,
            moment.tz,
            review=review,
            answer=keep(question, answer),
            revealed=isinstance(question, ShortAnswer) or (final and not result.correct),
        )
        self.save(events)
        self.state = after
        self.misses[key] = 0 if final else misses
        shown = Shown(
            answer,
            result,
            "final" if final else "retry",
            after_solution=after_solution,
            notices=tuple(notice_lines(notices, self.t)),
        )
        return draw.reply(shown, result=result, notices=notices)

    def show_answer(
        self, quiz_id: str, question_id: str, moment: Moment, *, instance: str, show_meta: bool
    ) -> dict[str, Any]:
        """ "Show answer" after a miss: record that the solution was seen (answers to it today
        are no longer recall) and draw the question with its last answer and the solution."""
        from ..progress.record import record_solution_shown  # deferred: see `check`

        quiz, question = self.find(quiz_id, question_id)
        state = self.ensure_loaded()
        progress = state.questions.get(_key(quiz, question))
        shown = None if progress is None else self.shown_before(question, progress)
        after, events, _ = record_solution_shown(state, quiz, question, moment.clock, moment.tz)
        self.save(events)
        self.state = after
        self.misses[_key(quiz, question)] = 0
        if shown is None:  # no answer kept to show: the solution alone
            missed = GradeResult(
                question_id=question.id, valid=True, correct=False, score=0.0, rating="again"
            )
            shown = Shown(None, missed, "final")
        else:
            shown = Shown(shown.answer, shown.result, "final")
        return _Drawing(self, quiz, question, instance, show_meta).reply(shown)

    def fresh_question(
        self, quiz_id: str, question_id: str, *, instance: str, show_meta: bool
    ) -> str:
        """ "Try again": the question as new, its first control focused; misses count anew."""
        quiz, question = self.find(quiz_id, question_id)
        self.misses.pop(_key(quiz, question), None)
        return render_question(
            question,
            quiz=quiz,
            seed=self.seed,
            instance=instance,
            t=self.t,
            show_meta=show_meta,
            focus=True,
        )

    def save(self, events: Sequence[AnyEvent]) -> None:
        if events:
            self.settle()
            self.retry_if_full()
            report = self.store.append(events, holds_lock=self.holds_lock)
            self.warnings += _not_full(report.warnings)
            self.seen.update(event.id for event in events)
            self.note_unsaved(report.unsaved)

    def check_form(
        self,
        quiz_id: str,
        question_id: str,
        fields: Fields,
        review: bool,
        moment: Moment,
        *,
        instance: str = "sq",
        show_meta: bool = False,
    ) -> dict[str, Any]:
        """A submitted form (its fields, as the page's FormData lists them) checked."""
        _, question = self.find(quiz_id, question_id)
        answer = answer_from_fields(question, fields)
        return self.check(
            quiz_id, question_id, answer, review, moment, instance=instance, show_meta=show_meta
        )

    # -- the dashboard ----------------------------------------------------------------------

    def titles(self) -> Titles:
        from ..render.names import titles_from  # deferred: with the dashboard and progress

        return titles_from(self.quizzes.values(), self.section_headings)

    def learn_section_title(self, section: str | None, title: object) -> None:
        """The heading the page found above a section's quiz (`sectionTitle`), as plain text."""
        if section is None or not isinstance(title, str):
            return
        words = " ".join(title.split())[:SECTION_TITLE_LENGTH]
        if words:
            self.section_headings[section] = words

    def dashboard_html(self, instance: str, moment: Moment) -> str:
        # deferred: the dashboard is shown only when the reader asks for it
        from ..progress.dashboard import dashboard
        from ..render.dashboard import render_dashboard

        self.settle()
        state = self.ensure_loaded()
        data = dashboard(state, self.book(), moment.clock, moment.tz)
        return render_dashboard(
            data,
            instance=instance,
            titles=self.titles(),
            warnings=self.standing_warnings(),
            t=self.t,
        )

    def set_goal(self, xp: object, moment: Moment) -> dict[str, Any]:
        """The reader's new daily goal, stored as an event like an answer is."""
        # deferred: setting a goal comes after the dashboard
        from ..progress.record import record_daily_goal
        from ..render.celebrations import celebrations

        if not isinstance(xp, int) or isinstance(xp, bool) or not 1 <= xp <= 10_000:
            raise SessionError(self.t("progress.goal_invalid"))
        state = self.ensure_loaded()
        after, events, notices = record_daily_goal(state, xp, moment.clock, moment.tz)
        self.save(events)
        self.state = after
        return {
            "goal": xp,
            "message": self.t("progress.goal_set", xp=xp),
            "celebrations": celebrations(notices, t=self.t),
            "warnings": self.take_warnings(),
        }

    # -- progress anywhere ------------------------------------------------------------------

    def chapters_progress(
        self, chapters: Sequence[str], moment: Moment
    ) -> list[tuple[Mastery, str]]:
        """Each chapter's mastery and name (an unknown chapter has no questions yet)."""
        from ..progress.mastery import Mastery, mastery  # deferred: see `check`
        from ..render.names import chapter_name

        board = mastery(self.ensure_loaded(), self.book(), moment.tz)
        known = {chapter.id: (n, chapter) for n, chapter in enumerate(board.chapters, 1)}
        titles = self.titles()
        found: list[tuple[Mastery, str]] = []
        for position, chapter_id in enumerate(chapters, 1):
            number, part = known.get(chapter_id, (position, Mastery(id=chapter_id)))
            found.append((part, chapter_name(titles, chapter_id, number, t=self.t)))
        return found

    def progress_html(self, request: Mapping[str, Any], moment: Moment) -> str:
        """For a `.socratiq-progress` element: `{"chapter": id}` or `{"chapters": "a b c"}`;
        with `"compact": true`, its badges for a navigation link."""
        from ..render.rings import (
            render_chapter_progress,
            render_chapters_progress,
            render_progress_badges,
        )

        asked = request.get("chapters")
        names = asked.split() if isinstance(asked, str) else asked
        listed = isinstance(names, list) and all(isinstance(c, str) for c in names)
        chapter = request.get("chapter")
        if isinstance(names, list) and listed:
            chapters: list[str] = names
        elif isinstance(chapter, str) and chapter.strip():
            chapters = [chapter.strip()]
        else:
            raise SessionError(self.t("progress.no_chapter"))
        parts = self.chapters_progress(chapters, moment)
        if request.get("compact") is True:
            return render_progress_badges(parts, t=self.t)
        if listed:
            return render_chapters_progress(parts, t=self.t)
        ((part, name),) = parts
        return render_chapter_progress(part, name, t=self.t)

    def quiz_progress_html(self, quiz_id: str, section: str | None, tz: tzinfo) -> str:
        """A quiz's own header line: "N of M answered · K mastered" over the questions it
        shows in `section` (render_quiz places it under the quiz title; the page redraws it
        after each answer)."""
        from ..progress.book import question_key  # deferred: see `check`
        from ..progress.mastery import mastery_of
        from ..render.rings import render_progress_line

        quiz = self.quizzes.get(quiz_id)
        if quiz is None:
            raise SessionError(self.t("progress.no_quiz"))
        keys = [question_key(quiz.id, q.id) for q in questions_for(quiz, self.seed, section)]
        part = mastery_of(self.ensure_loaded(), keys, section, tz)
        return render_progress_line(part, t=self.t)

    def take_warnings(self) -> list[str]:
        """What the reader has not been told yet, said once."""
        warnings, self.warnings = self.warnings, []
        return warnings

    # -- review, one card at a time ---------------------------------------------------------

    def start_review(self, instance: str, moment: Moment) -> dict[str, Any]:
        """A new review session over the due queue; its first card (or that nothing is due)."""
        from ..progress.review import start_review  # deferred: reviews come after answers

        self.review = start_review(
            self.ensure_loaded(), self.book(), moment.now, REVIEW_SESSION_SIZE
        )
        return self.review_reply(instance, moment)

    def review_next(self, instance: str, moment: Moment) -> dict[str, Any]:
        """Past the current card (answered or not) to the next one, or to the summary."""
        from ..progress.review import next_card  # deferred: reviews come after answers

        if self.review is None:
            raise SessionError(self.t("review.no_session"))
        self.review = next_card(self.review, self.ensure_loaded())
        return self.review_reply(instance, moment)

    def review_reply(self, instance: str, moment: Moment) -> dict[str, Any]:
        """The session's current card, or its summary once every card is past."""
        # deferred: reviews come after answers
        from ..progress.review import review_summary
        from ..render.review import (
            render_review_card,
            render_review_empty,
            render_review_summary,
        )

        review = self.review
        assert review is not None
        total = len(review.cards)
        reply: dict[str, Any] = {"position": review.position + 1, "total": total}
        if not total:
            self.review = None
            return {**reply, "position": 0, "done": True, "html": render_review_empty(t=self.t)}
        card = review.current
        if card is None:
            summary = review_summary(
                review, self.ensure_loaded(), self.book(), moment.now, moment.tz
            )
            self.review = None
            html = render_review_summary(summary, instance=instance, t=self.t)
            return {**reply, "position": total, "done": True, "html": html}
        quiz, question = self.find(card.place.quiz_id, card.place.question_id)
        form = render_question(
            question, quiz=quiz, seed=self.seed, instance=f"{instance}r", t=self.t
        )
        html = render_review_card(
            form,
            position=review.position + 1,
            total=total,
            self_rated=question.type == "short_answer",
            instance=instance,
            t=self.t,
        )
        return {**reply, "done": False, "html": html}

    # -- the learner's data -----------------------------------------------------------------

    def export(self) -> str:
        return self.store.export()

    def import_(self, text: str, moment: Moment) -> dict[str, Any]:
        """What was merged, said (`message`). Its events go to an inbox key; should the page's
        storage not take it, `write_failed` takes it back out (`last_inbox`)."""
        # deferred: importing progress is rare
        from ..progress.events import ProgressImported, new_event_fields
        from ..storage.book import ImportRejected

        self.ensure_loaded()
        try:
            report = self.store.import_(text, holds_lock=self.holds_lock)
        except ImportRejected as error:
            raise SessionError(str(error)) from None
        self.warnings += report.warnings
        self.last_import, self.last_inbox = set(), report.inbox
        if report.added:
            marker = ProgressImported(
                **new_event_fields(moment.clock, moment.tz),
                source="file",
                events_added=report.added,
            )
            self.store.append([marker], holds_lock=self.holds_lock)
            self.last_import = {marker.id}
        self.reload()
        message = self.t.plural("session.imported", report.added)
        if report.already_present:
            message += " " + self.t.plural("session.imported_already", report.already_present)
        if report.refused:
            message += " " + self.t.plural("session.import_refused", report.refused)
        if report.legacy_folded:
            message += " " + self.t.plural("session.import_legacy", report.legacy_folded)
        return {"message": message}

    def wipe(self) -> None:
        self.seed, self.epoch = self.store.wipe(new_seed)
        self.state, self.seen, self.standing = self.fresh_state(), set(), []


def notice_detail(notice: Notice, t: Texts = ENGLISH) -> dict[str, Any]:
    """A notice as the `detail` of the page's DOM event (socratiq:badge, socratiq:level); a
    badge comes with its title and description in the reader's language."""
    from ..render.badges import badge_words  # deferred: first needed by an answer

    detail: dict[str, Any] = notice.model_dump(mode="json")
    if notice.kind == "badge":
        detail["badge"]["title"], detail["badge"]["description"] = badge_words(notice.badge, t)
    return detail


def notice_lines(notices: Sequence[Notice], t: Texts = ENGLISH) -> list[str]:
    """One line per notice the reader should see at once: XP, level, badges, goal, streak."""
    # deferred: first needed by an answer
    from ..progress.record import BadgeEarned, GoalMet, LevelUp, StreakExtended, XpEarned
    from ..render.badges import badge_words

    lines: list[str] = []
    for notice in notices:
        match notice:
            case XpEarned(xp=xp) if xp > 0:
                lines.append(t("notice.xp", xp=xp))
            case LevelUp(level=level):
                lines.append(t("notice.level", level=level))
            case BadgeEarned(badge=badge):
                lines.append(t("notice.badge", title=badge_words(badge, t)[0]))
            case GoalMet(daily_goal_xp=goal):
                lines.append(t("notice.goal", xp=goal))
            case StreakExtended(days=days):
                lines.append(t.plural("notice.streak", days))
    return lines


def _not_full(warnings: Sequence[str]) -> list[str]:
    """The store's warnings but its storage-full ones: the session's standing warning says
    that, in the reader's language, once (`Session.note_unsaved`)."""
    return [w for w in warnings if not w.startswith("Storage is full")]


def _key(quiz: Quiz, question: AnyQuestion) -> str:
    """The book-wide key of a question (as `progress.book.question_key` makes it)."""
    return f"{quiz.id}/{question.id}"


@dataclass
class _Drawing:
    """A reply that draws one question again: its HTML, the sentence for the page's live
    region, and what the page tells the host page (DOM events)."""

    session: Session
    quiz: Quiz
    question: AnyQuestion
    instance: str
    show_meta: bool

    def reply(
        self,
        shown: Shown,
        *,
        result: GradeResult | None = None,
        notices: Sequence[Notice] = (),
    ) -> dict[str, Any]:
        # deferred: see `Session.check`
        from ..render.celebrations import celebrations
        from ..render.feedback import announcement

        t = self.session.t
        html = render_question(
            self.question,
            quiz=self.quiz,
            seed=self.session.seed,
            instance=self.instance,
            t=t,
            show_meta=self.show_meta,
            shown=shown,
            focus=True,
        )
        recorded = shown.stage in ("retry", "final") and result is not None
        return {
            "html": html,
            "announce": announcement(self.question, shown, t),
            "stage": shown.stage,
            "recorded": recorded,
            "correct": result is not None and result.correct,
            "score": 0.0 if result is None else result.score,
            "valid": result is not None and result.valid,
            "notices": [notice_detail(n, t) for n in notices if n.kind in ("badge", "level")],
            "celebrations": celebrations(notices, t=t),
            "warnings": self.session.take_warnings(),
        }
