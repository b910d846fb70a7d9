"""The worker protocol, defined once: what the page sends the engine and what comes back.

Three parties speak it. The page (web/src/rpc.js) posts requests to the module worker
(web/worker.js); the worker fetches the quiz files a request names by address, then hands the
request to Python as JSON text (worker.py `handle`) and posts the reply back as it is (adding
`ms`, Python's own time, for bench/). The page side takes the version and the request types
from web/src/protocol.js, which tools/protocol_js.py generates from this module; the bundle
build fails when that file differs from what these models give (`./build.sh protocol` writes
it again).

A request is a JSON object: `{"protocol": PROTOCOL, "op": ..., "id": n, "now": ms,
"tzOffsetMinutes": m, ...the op's own fields}` (`Request` and one subclass per op, in `OPS`;
`now` is the page's clock, or the moment a kept answer was given). Every request is validated
before anything acts on it: a wrong version, an unknown `op`, a missing, mistyped or unknown
field each get an error reply, in the reader's language, carrying the request's `id` when it
has one; nothing raises past `handle` and nothing is left unanswered. The page sends the
book's keys in localStorage once, with `init` (and with `export` and `wipe`, which must see
every tab's newest); after that, another tab's writes come as `storage_changed` with only the
keys they changed, the whole copy only when the storage was cleared.

A reply is `{"id": n, "ok": true, "result": {..., "writes": [[key, value-or-null], ...]}}` or
`{"id": n, "ok": false, "error": "one sentence"}` (`Ok`, `Failed`). The page applies `writes`
to localStorage in order and keeps them to itself: what a host page's API call resolves with
is only what README documents.

The worker also speaks unasked: `{"op": "progress", "stage": "python" | "engine" | "ready",
"fraction": f}` while it starts and `{"op": "fatal", "error": ...}` if it cannot (`Stage`,
`Fatal`; a reply never has an `op`); the page posts it `{"op": "wasm", "module":
WebAssembly.Module | null}` once, the compiled Pyodide, which never reaches Python.

A new op or field is a model or a field here and a handler in worker.py (HANDLERS), then
`./build.sh protocol`: tsc then checks the page's calls against it. Raise PROTOCOL when an
older page script could not be understood, or could not understand the replies.

The models are built on first use (`defer_build`): the first quiz builds only `Init` and
`QuizRequest`, as the page's start-up budget wants (tests/unit/test_lazy_imports.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue, Strict
from pydantic.alias_generators import to_camel
from typing_extensions import TypedDict  # pydantic reads these only from it before 3.12

#: Raised whenever a request or a reply changes shape; the page sends it with every request.
PROTOCOL = 2


class Request(BaseModel):
    """What every request carries. Field names go over the wire in camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        frozen=True,
        defer_build=True,
    )
    op: str
    protocol: int
    id: int | None = None
    #: The page's clock (ms since 1970) and its time zone's offset: the reader's day.
    now: float | None = None
    tz_offset_minutes: int | None = None


class FetchProblem(BaseModel):
    """Why the worker got no text for a quiz file: the HTTP status (0: no answer) or too large."""

    model_config = Request.model_config
    status: int = 0
    too_large: bool = False
    limit: int | None = None


class BookQuizFile(BaseModel):
    """One of the book's quiz files (a dashboard's `data-quizzes`): the page names its `url`,
    the worker puts in its `text` or the `problem`."""

    model_config = Request.model_config
    name: str
    format: str = "auto"
    url: str | None = None
    text: str | None = None
    problem: FetchProblem | None = None


class ProgressElement(BaseModel):
    """A `.socratiq-progress` element: one chapter, or a list (also as one spaced string)."""

    model_config = Request.model_config
    chapter: str | None = None
    chapters: list[str] | str | None = None
    compact: bool = False


class Init(Request):
    """The first request: the book, this tab's writer id, the page's language and the book's
    keys in localStorage."""

    op: Literal["init"] = "init"
    book: str
    writer_id: str
    lang: str | None = None
    storage: dict[str, str] = {}


class QuizRequest(Request):
    """A quiz drawn: from `source` (its text), or `src` (its address: the worker fetches it and
    puts in `source`, or `sourceProblem`)."""

    op: Literal["quiz"] = "quiz"
    source: str | None = None
    src: str | None = None
    source_problem: FetchProblem | None = None
    source_name: str = "inline quiz"
    format: str = "auto"
    section: str | None = None
    section_title: str | None = None
    instance: str = "sq"
    show_title: bool = False
    show_meta: bool = False
    mode: Literal["list", "cards"] = "list"


class QuizProgress(Request):
    """A quiz's own progress line again."""

    op: Literal["quiz_progress"] = "quiz_progress"
    quiz_id: str
    section: str | None = None


class QuizMore(Request):
    """A long quiz's next page of questions (drawn 50 at a time), from number `start`."""

    op: Literal["quiz_more"] = "quiz_more"
    quiz_id: str
    section: str | None = None
    start: int
    instance: str = "sq"
    show_meta: bool = False
    mode: Literal["list", "cards"] = "list"


class OneQuestion(Request):
    """What names one question on the page (not an op of its own)."""

    quiz_id: str
    question_id: str
    instance: str = "sq"
    show_meta: bool = False


class QuestionRequest(OneQuestion):
    """The question drawn afresh ("Try again")."""

    op: Literal["question"] = "question"


class Check(OneQuestion):
    """An answer: the form's `[name, value]` `fields` (the page), or a ready `answer` (tests and
    bench/)."""

    op: Literal["check"] = "check"
    fields: list[Annotated[tuple[str, str], Strict(False)]] | None = None
    answer: JsonValue = None
    review: bool = False


class ShowAnswer(OneQuestion):
    """The question drawn with its answer shown ("Show answer")."""

    op: Literal["show_answer"] = "show_answer"


class Dashboard(Request):
    """The dashboard, counting the book's quiz files (`quizzes`) as well as those seen."""

    op: Literal["dashboard"] = "dashboard"
    instance: str = "sq"
    quizzes: list[BookQuizFile] = []


class Review(Request):
    """A review session started, its first card shown."""

    op: Literal["review"] = "review"
    instance: str = "sq"


class ReviewNext(Request):
    """The review session's next card, or its summary."""

    op: Literal["review_next"] = "review_next"
    instance: str = "sq"


class SetGoal(Request):
    """A new daily goal; its range is checked by the engine, which says it in the reader's
    words."""

    op: Literal["set_goal"] = "set_goal"
    xp: JsonValue = None


class Progress(Request):
    """The page's `.socratiq-progress` elements asked for at one moment, one reply item each."""

    op: Literal["progress"] = "progress"
    elements: list[ProgressElement]
    quizzes: list[BookQuizFile] = []


class Export(Request):
    """`storage`: every tab's latest keys, not only those this tab saw."""

    op: Literal["export"] = "export"
    storage: dict[str, str] | None = None


class Import(Request):
    """An export's `text` merged in (by union)."""

    op: Literal["import"] = "import"
    text: str


class Wipe(Request):
    """`storage`: every tab's latest keys, so the newest are removed too."""

    op: Literal["wipe"] = "wipe"
    storage: dict[str, str] | None = None


class StorageChanged(Request):
    """Another tab changed some keys (`changes`: only those, with their new values, null when
    removed), or cleared the storage (`storage`: all the page holds now)."""

    op: Literal["storage_changed"] = "storage_changed"
    changes: dict[str, str | None] | None = None
    storage: dict[str, str] | None = None


class WriteFailed(Request):
    """Storage was full: `changes` holds what localStorage has under each key not written."""

    op: Literal["write_failed"] = "write_failed"
    changes: dict[str, str | None]
    retry: bool = False
    undo_import: bool = False


class Compact(Request):
    """Every tab's log folded into the snapshot (only the tab holding the compactor lock)."""

    op: Literal["compact"] = "compact"


class DismissWarnings(Request):
    """The dashboard's warnings, read: not shown again."""

    op: Literal["dismiss_warnings"] = "dismiss_warnings"


class Warm(Request):
    """Import and build, ahead of need, what the first answer needs."""

    op: Literal["warm"] = "warm"


#: Every request, by its `op`.
OPS: dict[str, type[Request]] = {
    model.model_fields["op"].default: model
    for model in (
        Init,
        QuizRequest,
        QuizProgress,
        QuizMore,
        Check,
        ShowAnswer,
        QuestionRequest,
        Dashboard,
        Review,
        ReviewNext,
        SetGoal,
        Progress,
        Export,
        Import,
        Wipe,
        StorageChanged,
        WriteFailed,
        Compact,
        DismissWarnings,
        Warm,
    )
}

#: The requests "warm" builds: what an answer, the dashboard and a review send.
WARMED = (Check, ShowAnswer, QuestionRequest, QuizProgress, Dashboard, Review, ReviewNext)


class Ok(TypedDict):
    id: int | None
    ok: Literal[True]
    result: dict[str, Any]


class Failed(TypedDict):
    id: int | None
    ok: Literal[False]
    error: str


Reply = Ok | Failed


class Stage(TypedDict):
    op: Literal["progress"]
    stage: Literal["python", "engine", "ready"]
    fraction: float


class Fatal(TypedDict):
    op: Literal["fatal"]
    error: str
