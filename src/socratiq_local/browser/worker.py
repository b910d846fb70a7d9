"""The boundary the module worker (web/worker.js) calls: one JSON request in, one JSON reply out.

Strings cross the boundary, never live JavaScript objects, so this module imports nothing from
the browser: it runs the same under CPython, where the tests drive it, and under Pyodide.
The protocol (requests, replies, version) is defined in protocol.py; every request is validated
against it before a handler sees it, and no exception ever escapes to the page.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from ..i18n import ENGLISH, Texts
from . import protocol as p
from .session import Moment, Session, SessionError, read_quiz, warm

_session: Session | None = None


def _fetch_problem(session: Session, problem: p.FetchProblem, source: str) -> str:
    """Why the worker got no text for a quiz file (web/worker.js): too large, or refused."""
    if problem.too_large:
        megabytes = problem.limit / 1_048_576 if problem.limit is not None else 1
        return session.t("session.quiz_file_too_large", source=source, megabytes=megabytes)
    return session.t("page.quiz_file_failed", src=source, status=problem.status)


def _quiz(session: Session, request: p.QuizRequest, moment: Moment) -> dict[str, Any]:
    source = request.source_name
    if request.source_problem is not None:
        raise SessionError(_fetch_problem(session, request.source_problem, source))
    if request.source is None:
        raise _invalid(session, request.op, "source", "missing")
    quiz = read_quiz(request.source, source, request.format, session.t)
    session.learn_section_title(request.section, request.section_title)
    html = session.quiz_html(
        quiz,
        request.section,
        request.instance,
        show_title=request.show_title,
        show_meta=request.show_meta,
        tz=moment.tz,
        mode=request.mode,
    )
    return {"html": html, "title": quiz.title, "quizId": quiz.id}


def _quiz_more(session: Session, request: p.QuizMore, moment: Moment) -> dict[str, Any]:
    """A long quiz's next page of questions, from number `start`."""
    return session.more_questions(
        request.quiz_id,
        request.section,
        request.start,
        request.instance,
        show_meta=request.show_meta,
        mode=request.mode,
    )


def _quiz_progress(session: Session, request: p.QuizProgress, moment: Moment) -> dict[str, Any]:
    """A quiz's progress line again, for the page to redraw."""
    html = session.quiz_progress_html(request.quiz_id, request.section, moment.tz)
    return {"html": html}


def _check(session: Session, request: p.Check, moment: Moment) -> dict[str, Any]:
    """The page sends its form's `fields`; tests and bench/ may send a ready `answer`."""
    if request.fields is not None:
        return session.check_form(
            request.quiz_id,
            request.question_id,
            request.fields,
            request.review,
            moment,
            instance=request.instance,
            show_meta=request.show_meta,
        )
    return session.check(
        request.quiz_id,
        request.question_id,
        request.answer,
        request.review,
        moment,
        instance=request.instance,
        show_meta=request.show_meta,
    )


def _show_answer(session: Session, request: p.ShowAnswer, moment: Moment) -> dict[str, Any]:
    return session.show_answer(
        request.quiz_id,
        request.question_id,
        moment,
        instance=request.instance,
        show_meta=request.show_meta,
    )


def _question(session: Session, request: p.QuestionRequest, moment: Moment) -> dict[str, Any]:
    html = session.fresh_question(
        request.quiz_id,
        request.question_id,
        instance=request.instance,
        show_meta=request.show_meta,
    )
    return {"html": html}


def _add_book_quizzes(session: Session, quizzes: list[p.BookQuizFile]) -> None:
    """The book's quiz files the page named (their text fetched by the worker; any mix of
    formats; without a format, each is detected), so progress counts every question of the
    book; a bad or too large file is a warning, not a failure (one the server did not give is
    left out, as a page of the book may list files still to come)."""
    for entry in quizzes:
        if entry.problem is not None and entry.problem.too_large:
            session.warnings.append(_fetch_problem(session, entry.problem, entry.name))
        if entry.text is not None:
            try:
                session.add_quiz(read_quiz(entry.text, entry.name, entry.format, session.t))
            except SessionError as problem:
                session.warnings.append(str(problem))


def _dashboard(session: Session, request: p.Dashboard, moment: Moment) -> dict[str, Any]:
    _add_book_quizzes(session, request.quizzes)
    return {"html": session.dashboard_html(request.instance, moment)}


def _review(session: Session, request: p.Review, moment: Moment) -> dict[str, Any]:
    return session.start_review(request.instance, moment)


def _review_next(session: Session, request: p.ReviewNext, moment: Moment) -> dict[str, Any]:
    return session.review_next(request.instance, moment)


def _set_goal(session: Session, request: p.SetGoal, moment: Moment) -> dict[str, Any]:
    return session.set_goal(request.xp, moment)


def _progress(session: Session, request: p.Progress, moment: Moment) -> dict[str, Any]:
    """Progress for the page's `.socratiq-progress` elements, one HTML per element asked."""
    _add_book_quizzes(session, request.quizzes)
    items = [
        session.progress_html(element.model_dump(exclude_none=True), moment)
        for element in request.elements
    ]
    return {"items": items, "warnings": session.take_warnings()}


def _export(session: Session, request: p.Export, moment: Moment) -> dict[str, Any]:
    if request.storage is not None:  # every tab's latest, not only what it saw
        session.storage_changed(request.storage)
    return {"text": session.export()}


def _import(session: Session, request: p.Import, moment: Moment) -> dict[str, Any]:
    return session.import_(request.text, moment)


def _wipe(session: Session, request: p.Wipe, moment: Moment) -> dict[str, Any]:
    if request.storage is not None:  # remove every tab's keys, even the newest
        session.mirror.replace(request.storage)
    session.wipe()
    return {}


def _storage_changed(session: Session, request: p.StorageChanged, moment: Moment) -> dict[str, Any]:
    """Another tab changed some keys, or the storage was cleared (all the page holds)."""
    if request.storage is not None:
        return {"changed": session.storage_changed(dict(request.storage), whole=True)}
    if request.changes is None:
        raise _invalid(session, request.op, "changes", "missing")
    return {"changed": session.storage_changed(request.changes)}


def _write_failed(session: Session, request: p.WriteFailed, moment: Moment) -> dict[str, Any]:
    undone = session.write_failed(
        request.changes, retry=request.retry, undo_import=request.undo_import
    )
    return {"warnings": session.take_warnings(), "undone": undone}


def _dismiss_warnings(
    session: Session, request: p.DismissWarnings, moment: Moment
) -> dict[str, Any]:
    session.dismiss_warnings()
    return {}


def _warm(session: Session, request: p.Warm, moment: Moment) -> dict[str, Any]:
    warm()
    for model in p.WARMED:
        model.model_rebuild()
    return {}


def _compact(session: Session, request: p.Compact, moment: Moment) -> dict[str, Any]:
    session.compact()
    return {}


#: Each op's handler; its request arrives validated against the op's model in protocol.OPS.
HANDLERS: dict[str, Callable[[Session, Any, Moment], dict[str, Any]]] = {
    "quiz": _quiz,
    "quiz_progress": _quiz_progress,
    "quiz_more": _quiz_more,
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


def _init(request: p.Init, moment: Moment) -> dict[str, Any]:
    global _session
    _session = Session.start(request.book, request.writer_id, request.storage, moment, request.lang)
    return {"warnings": _session.take_warnings()}


def _texts(message: dict[str, Any]) -> Texts:
    """The reader's language for an error: the session's, else the one "init" asked for."""
    if _session is not None:
        return _session.t
    lang = message.get("lang") if message.get("op") == "init" else None
    return Texts(lang) if isinstance(lang, str) else ENGLISH


def _shown(value: object) -> str:
    """An untrusted value in a message, short (the page shows it as text)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _invalid(session: Session, op: str, field: str, kind: str) -> SessionError:
    """A request the models let through that still lacks what its op needs."""
    problem = session.t(f"protocol.field_{kind}", field=field)
    return SessionError(session.t("protocol.invalid", op=op, problems=problem))


#: A validation error's type: what the reader is told of the field.
_KINDS = {"missing": "missing", "extra_forbidden": "unknown"}


def _field_path(loc: tuple[int | str, ...]) -> str:
    """A field as the page names it: `fields[0][1]`, `storage.key`."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return _shown(path[1:])


def _validation_problem(t: Texts, op: str, error: ValidationError) -> SessionError:
    """Which fields are missing, unknown or mistyped (the first five), in the reader's words."""
    problems = [
        t(f"protocol.field_{_KINDS.get(e['type'], 'wrong')}", field=_field_path(e["loc"]))
        for e in error.errors(include_url=False, include_input=False)[:5]
    ]
    return SessionError(t("protocol.invalid", op=op, problems="; ".join(problems)))


def _request(message: dict[str, Any]) -> p.Request:
    """The message validated against its op's model; SessionError says what is wrong."""
    t = _texts(message)
    if message.get("protocol") != p.PROTOCOL:
        sent = _shown(message.get("protocol"))
        raise SessionError(t("protocol.other_version", sent=sent, expected=p.PROTOCOL))
    op = message.get("op")
    if not isinstance(op, str) or (model := p.OPS.get(op)) is None:
        raise SessionError(t("protocol.unknown_op", op=_shown(op)))
    try:
        return model.model_validate(message)
    except ValidationError as error:
        raise _validation_problem(t, op, error) from None


def _result(message: dict[str, Any]) -> dict[str, Any]:
    """The result of one valid request, its storage writes included."""
    request = _request(message)
    moment = Moment.of({"now": request.now, "tzOffsetMinutes": request.tz_offset_minutes})
    if isinstance(request, p.Init):
        result = _init(request, moment)
    elif _session is None:
        raise SessionError(_texts(message)("protocol.not_started"))
    else:
        _session.clock.now = moment.now
        result = HANDLERS[request.op](_session, request, moment)
    assert _session is not None
    result["writes"] = _session.take_writes()
    return result


def _id(message: object) -> int | None:
    """The request's id, if it has a usable one: an error reply carries it too."""
    found = message.get("id") if isinstance(message, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def reply(message_json: str) -> p.Reply:
    """The reply to one request, as data: never raises."""
    message: object = None
    try:
        try:
            message = json.loads(message_json)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to read
            message = None
        if not isinstance(message, dict):
            raise SessionError(_texts({})("protocol.not_a_request"))
        return {"id": _id(message), "ok": True, "result": _result(message)}
    except SessionError as problem:
        return {"id": _id(message), "ok": False, "error": str(problem)}
    except Exception as problem:  # the page must get an answer, whatever happened
        traceback.print_exc(file=sys.stderr)
        error = f"The quiz engine failed: {type(problem).__name__}: {problem}"
        return {"id": _id(message), "ok": False, "error": error}


def handle(message_json: str) -> str:
    """The worker's entry point: one request's JSON text in, its reply's out."""
    return json.dumps(reply(message_json), ensure_ascii=False)
