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


def _quiz(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    source = _text(message, "sourceName", "inline quiz")
    quiz = read_quiz(_text(message, "source"), source, _text(message, "format", "native"))
    section = message.get("section")
    html = session.quiz_html(
        quiz,
        section if isinstance(section, str) else None,
        _text(message, "instance", "sq"),
        show_title=message.get("showTitle") is True,
        show_meta=message.get("showMeta") is True,
    )
    return {"html": html, "title": quiz.title, "quizId": quiz.id}


def _check(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return session.check(
        _text(message, "quizId"),
        _text(message, "questionId"),
        message.get("answer"),
        message.get("review") is True,
        moment,
        instance=_text(message, "instance", "sq"),
        show_meta=message.get("showMeta") is True,
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


def _dashboard(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    for entry in message.get("quizzes") or []:
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            try:
                session.add_quiz(
                    read_quiz(entry["text"], str(entry.get("name")), str(entry.get("format")))
                )
            except SessionError as problem:
                session.warnings.append(str(problem))
    return {"html": session.dashboard_html(_text(message, "instance", "sq"), moment)}


def _review(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return {"html": session.review_html(_text(message, "instance", "sq"), moment)}


def _export(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    if (storage := _storage(message)) is not None:  # every tab's latest, not only what it saw
        session.storage_changed(storage)
    return {"text": session.export()}


def _import(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    return {"message": session.import_(_text(message, "text"), moment)}


def _wipe(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    if (storage := _storage(message)) is not None:  # remove every tab's keys, even the newest
        session.mirror.replace(storage)
    session.wipe()
    return {}


def _storage_changed(
    session: Session, message: Mapping[str, Any], moment: Moment
) -> dict[str, Any]:
    return {"changed": session.storage_changed(_storage(message) or {})}


def _write_failed(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    session.write_failed(_storage(message) or {})
    return {"warnings": session.take_warnings()}


def _warm(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    warm()
    return {}


def _compact(session: Session, message: Mapping[str, Any], moment: Moment) -> dict[str, Any]:
    session.compact()
    return {}


HANDLERS: dict[str, Handler] = {
    "quiz": _quiz,
    "check": _check,
    "show_answer": _show_answer,
    "question": _question,
    "dashboard": _dashboard,
    "review": _review,
    "export": _export,
    "import": _import,
    "wipe": _wipe,
    "storage_changed": _storage_changed,
    "write_failed": _write_failed,
    "compact": _compact,
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
