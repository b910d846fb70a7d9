"""The boundary the module worker (web/worker.js) calls: one JSON message in, one JSON reply out.

Strings cross the boundary, never live JavaScript objects, so this module imports nothing from
the browser: it runs the same under CPython, where the tests drive it, and under Pyodide.
A reply is `{"result": {..., "writes": [[key, value-or-null], ...]}}` or `{"error": "..."}`;
no exception ever escapes to the page.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from .session import Moment, Session, SessionError, read_quiz, warm

PROTOCOL = 1

Handler = Callable[[Session, Mapping[str, Any], Moment], dict[str, Any]]

_session: Session | None = None


def _text(message: Mapping[str, Any], name: str, default: str | None = None) -> str:
    value = message.get(name, default)
    if not isinstance(value, str):
        raise SessionError(f"The page sent a message without {name}.")
    return value


def _storage(message: Mapping[str, Any]) -> dict[str, str] | None:
    """The page's copy of this book's keys, if the message carries it."""
    values = message.get("storage")
    if not isinstance(values, dict):
        return None
    return {k: v for k, v in values.items() if isinstance(k, str) and isinstance(v, str)}


#: Built on the first Check (defer_build), not while the first quiz waits.
_FIELDS: TypeAdapter[list[tuple[str, str]]] = TypeAdapter(
    list[tuple[str, str]], config=ConfigDict(defer_build=True)
)


def _fields(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A submitted form's `[name, value]` string pairs."""
    try:
        return _FIELDS.validate_python(message.get("fields"))
    except ValidationError:
        raise SessionError("The page sent a form that is not a list of names and values.") from None


def _fetch_problem(session: Session, problem: object, source: str) -> str:
    """Why the worker got no text for a quiz file (web/worker.js): too large, or refused."""
    if not isinstance(problem, dict):
        return session.t("page.quiz_file_failed", src=source, status=0)
    if problem.get("tooLarge") is True:
        limit = problem.get("limit")
        megabytes = limit / 1_048_576 if isinstance(limit, int) else 1
        return session.t("session.quiz_file_too_large", source=source, megabytes=megabytes)
    return session.t("page.quiz_file_failed", src=source, status=problem.get("status"))


def _quiz(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    source = _text(message, "sourceName", "inline quiz")
    format_name = _text(message, "format", "auto")
    if "sourceProblem" in message:
        raise SessionError(_fetch_problem(session, message["sourceProblem"], source))
    quiz = read_quiz(_text(message, "source"), source, format_name, session.t)
    section = message.get("section")
    session.learn_section_title(
        section if isinstance(section, str) else None, message.get("sectionTitle")
    )
    html = session.quiz_html(
        quiz,
        section if isinstance(section, str) else None,
        _text(message, "instance", "sq"),
        show_title=message.get("showTitle") is True,
        show_meta=message.get("showMeta") is True,
        tz=moment.tz,
        mode="cards" if message.get("mode") == "cards" else "list",
    )
    return {"html": html, "title": quiz.title, "quizId": quiz.id}


def _quiz_progress(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    """A quiz's progress line again (`quizId`, `section`), for the page to redraw."""
    section = message.get("section")
    html = session.quiz_progress_html(
        _text(message, "quizId"), section if isinstance(section, str) else None, moment.tz
    )
    return {"html": html}


def _check(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    """The page sends its form's `fields`; tests and bench/ may send a ready `answer`."""
    quiz_id, question_id = _text(message, "quizId"), _text(message, "questionId")
    review = message.get("review") is True
    instance, show_meta = _text(message, "instance", "sq"), message.get("showMeta") is True
    if "fields" in message:
        fields = _fields(message)
        return session.check_form(
            quiz_id, question_id, fields, review, moment, instance=instance, show_meta=show_meta
        )
    answer = message.get("answer")
    return session.check(
        quiz_id, question_id, answer, review, moment, instance=instance, show_meta=show_meta
    )


def _show_answer(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.show_answer(
        _text(message, "quizId"),
        _text(message, "questionId"),
        moment,
        instance=_text(message, "instance", "sq"),
        show_meta=message.get("showMeta") is True,
    )


def _question(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    html = session.fresh_question(
        _text(message, "quizId"),
        _text(message, "questionId"),
        instance=_text(message, "instance", "sq"),
        show_meta=message.get("showMeta") is True,
    )
    return {"html": html}


def _add_book_quizzes(session: Session, message: Mapping[str, Any]) -> None:
    """The book's quiz files the page named (`quizzes: [{name, format, text}]`, the text fetched
    by the worker; any mix of formats; without a format, each is detected), so progress counts
    every question of the book; a bad or too large file is a warning, not a failure (one the
    server did not give is left out, as a page of the book may list files still to come)."""
    for entry in message.get("quizzes") or []:
        problem = entry.get("problem") if isinstance(entry, dict) else None
        if isinstance(problem, dict) and problem.get("tooLarge") is True:
            session.warnings.append(_fetch_problem(session, problem, str(entry.get("name"))))
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            format_name = entry.get("format") or "auto"
            try:
                session.add_quiz(
                    read_quiz(entry["text"], str(entry.get("name")), str(format_name), session.t)
                )
            except SessionError as problem:
                session.warnings.append(str(problem))


def _dashboard(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    _add_book_quizzes(session, message)
    return {"html": session.dashboard_html(_text(message, "instance", "sq"), moment)}


def _review(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.start_review(_text(message, "instance", "sq"), moment)


def _review_next(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.review_next(_text(message, "instance", "sq"), moment)


def _set_goal(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.set_goal(message.get("xp"), moment)


def _progress(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    """Progress for the page's `.socratiq-progress` elements, one HTML per element asked."""
    _add_book_quizzes(session, message)
    elements = message.get("elements")
    if not isinstance(elements, list):
        raise SessionError(session.t("progress.no_chapter"))
    items = [
        session.progress_html(item if isinstance(item, dict) else {}, moment) for item in elements
    ]
    return {"items": items, "warnings": session.take_warnings()}


def _export(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    if (storage := _storage(message)) is not None:  # every tab's latest, not only what it saw
        session.storage_changed(storage)
    return {"text": session.export()}


def _import(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.import_(_text(message, "text"), moment)


def _wipe(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    if (storage := _storage(message)) is not None:  # remove every tab's keys, even the newest
        session.mirror.replace(storage)
    session.wipe()
    return {}


_CHANGES: TypeAdapter[dict[str, str | None]] = TypeAdapter(dict[str, str | None])


def _changes(message: Mapping[str, Any]) -> dict[str, str | None]:
    """`changes`: keys and their values now (null: removed)."""
    try:
        return _CHANGES.validate_python(message.get("changes"))
    except ValidationError:
        raise SessionError("The page sent storage changes that are not keys and values.") from None


def _storage_changed(
    session: Session, message: Mapping[str, Any], moment: Moment
) -> dict[str, Any]:
    """Another tab changed some keys (`changes`), or the storage was cleared (`storage`: all
    the page holds)."""
    whole = _storage(message)
    if whole is not None:
        return {"changed": session.storage_changed(dict(whole), whole=True)}
    return {"changed": session.storage_changed(_changes(message))}


def _write_failed(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    undone = session.write_failed(
        _changes(message),
        retry=message.get("retry") is True,
        undo_import=message.get("undoImport") is True,
    )
    return {"warnings": session.take_warnings(), "undone": undone}


def _dismiss_warnings(
    session: Session, message: Mapping[str, Any], moment: Moment
) -> dict[str, Any]:
    session.dismiss_warnings()
    return {}


def _warm(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    warm()
    _FIELDS.rebuild()
    return {}


def _compact(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    session.compact()
    return {}


HANDLERS: dict[str, Handler] = {
    "quiz": _quiz,
    "quiz_progress": _quiz_progress,
    "check": _check,
    "show_answer": _show_answer,
    "question": _question,
    "dashboard": _dashboard,
    "review": _review,
    "review_next": _review_next,
    "set_goal": _set_goal,
    "progress": _progress,
    "export": _export,
    "import": _import,
    "wipe": _wipe,
    "storage_changed": _storage_changed,
    "write_failed": _write_failed,
    "compact": _compact,
    "dismiss_warnings": _dismiss_warnings,
    "warm": _warm,
}


def _init(message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    global _session
    if message.get("protocol") != PROTOCOL:
        raise SessionError("This page's socratiq.js and its engine are from different versions.")
    lang = message.get("lang")
    _session = Session.start(
        _text(message, "book"),
        _text(message, "writerId"),
        _storage(message) or {},
        moment,
        lang if isinstance(lang, str) else None,
    )
    return {"warnings": _session.take_warnings()}


def reply(message: Mapping[str, Any]) -> dict[str, Any]:
    """The reply to one message, as data."""
    moment = Moment.of(message)
    op = message.get("op")
    if op == "init":
        result = _init(message, moment)
    elif _session is None:
        raise SessionError("The engine was not started.")
    elif isinstance(op, str) and op in HANDLERS:
        _session.clock.now = moment.now
        result = HANDLERS[op](_session, message, moment)
    else:
        raise SessionError(f"Unknown request {op!r}.")
    assert _session is not None
    result["writes"] = _session.take_writes()
    return {"result": result}


def handle(message_json: str) -> str:
    """The worker's entry point: never raises; errors come back as `{"error": message}`."""
    try:
        message = json.loads(message_json)
        if not isinstance(message, dict):
            raise SessionError("The page sent a message that is not an object.")
        answer = reply(message)
    except SessionError as problem:
        answer = {"error": str(problem)}
    except Exception as problem:  # the page must get an answer, whatever happened
        traceback.print_exc(file=sys.stderr)
        answer = {"error": f"The quiz engine failed: {type(problem).__name__}: {problem}"}
    return json.dumps(answer, ensure_ascii=False)
