/* The worker protocol for the page scripts, generated from
 * src/socratiq_local/browser/protocol.py (where it is documented) by tools/protocol_js.py
 * (`./build.sh protocol`): do not edit. The bundle build fails when it differs from the
 * models. */

/** The protocol's version: every request carries it. */
export const PROTOCOL = 2;

/**
 * One of the book's quiz files (a dashboard's `data-quizzes`): the page names its `url`, the worker puts in its `text` or the `problem`.
 * @typedef {{name: string, format?: string, url?: string | null, text?: string | null, problem?: FetchProblem | null}} BookQuizFile
 */
/**
 * Why the worker got no text for a quiz file: the HTTP status (0: no answer) or too large.
 * @typedef {{status?: number, tooLarge?: boolean, limit?: number | null}} FetchProblem
 */
/**
 * @typedef {any} JsonValue
 */
/**
 * A `.socratiq-progress` element: one chapter, or a list (also as one spaced string).
 * @typedef {{chapter?: string | null, chapters?: Array<string> | string | null, compact?: boolean}} ProgressElement
 */
/**
 * Each op's request, without what call() adds to every one (protocol, op, id,
 * tzOffsetMinutes; now, unless given).
 * @typedef {object} Requests
 * @property {{now?: number | null, book: string, writerId: string, lang?: string | null, storage?: Record<string, string>}} init The first request: the book, this tab's writer id, the page's language and the book's keys in localStorage.
 * @property {{now?: number | null, source?: string | null, src?: string | null, sourceProblem?: FetchProblem | null, sourceName?: string, format?: string, section?: string | null, sectionTitle?: string | null, instance?: string, showTitle?: boolean, showMeta?: boolean, mode?: "list" | "cards"}} quiz A quiz drawn: from `source` (its text), or `src` (its address: the worker fetches it and puts in `source`, or `sourceProblem`).
 * @property {{now?: number | null, quizId: string, section?: string | null}} quiz_progress A quiz's own progress line again.
 * @property {{now?: number | null, quizId: string, section?: string | null, start: number, instance?: string, showMeta?: boolean, mode?: "list" | "cards"}} quiz_more A long quiz's next page of questions (drawn 50 at a time), from number `start`.
 * @property {{now?: number | null, quizId: string, questionId: string, instance?: string, showMeta?: boolean, fields?: Array<[string, string]> | null, answer?: JsonValue, review?: boolean}} check An answer: the form's `[name, value]` `fields` (the page), or a ready `answer` (tests and bench/).
 * @property {{now?: number | null, quizId: string, questionId: string, instance?: string, showMeta?: boolean}} show_answer The question drawn with its answer shown ("Show answer").
 * @property {{now?: number | null, quizId: string, questionId: string, instance?: string, showMeta?: boolean}} question The question drawn afresh ("Try again").
 * @property {{now?: number | null, instance?: string, quizzes?: Array<BookQuizFile>}} dashboard The dashboard, counting the book's quiz files (`quizzes`) as well as those seen.
 * @property {{now?: number | null, instance?: string}} review A review session started, its first card shown.
 * @property {{now?: number | null, instance?: string}} review_next The review session's next card, or its summary.
 * @property {{now?: number | null, xp?: JsonValue}} set_goal A new daily goal; its range is checked by the engine, which says it in the reader's words.
 * @property {{now?: number | null, elements: Array<ProgressElement>, quizzes?: Array<BookQuizFile>}} progress The page's `.socratiq-progress` elements asked for at one moment, one reply item each.
 * @property {{now?: number | null, storage?: Record<string, string> | null}} export `storage`: every tab's latest keys, not only those this tab saw.
 * @property {{now?: number | null, text: string}} import An export's `text` merged in (by union).
 * @property {{now?: number | null, storage?: Record<string, string> | null}} wipe `storage`: every tab's latest keys, so the newest are removed too.
 * @property {{now?: number | null, changes?: Record<string, string | null> | null, storage?: Record<string, string> | null}} storage_changed Another tab changed some keys (`changes`: only those, with their new values, null when removed), or cleared the storage (`storage`: all the page holds now).
 * @property {{now?: number | null, changes: Record<string, string | null>, retry?: boolean, undoImport?: boolean}} write_failed Storage was full: `changes` holds what localStorage has under each key not written.
 * @property {{now?: number | null}} compact Every tab's log folded into the snapshot (only the tab holding the compactor lock).
 * @property {{now?: number | null}} dismiss_warnings The dashboard's warnings, read: not shown again.
 * @property {{now?: number | null}} warm Import and build, ahead of need, what the first answer needs.
 */
/** @typedef {{id: number | null, ok: true, result: Record<string, any>}} Ok */
/** @typedef {{id: number | null, ok: false, error: string}} Failed */
/** @typedef {{op: "progress", stage: "python" | "engine" | "ready", fraction: number}} Stage */
/** @typedef {{op: "fatal", error: string}} Fatal */
/** @typedef {Ok | Failed} Reply */
