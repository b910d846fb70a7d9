/* The worker connection. The protocol (src/socratiq_local/browser/protocol.py documents it)
 * comes from protocol.js, generated from the engine's models: each request is {protocol, id,
 * op, now, tzOffsetMinutes, ...its op's fields} (a kept answer gives its own `now`: when it
 * was given); each reply carries the same id, {ok, result} or {ok: false, error}. The worker
 * also sends {op: "progress", stage, fraction} while it starts and {op: "fatal", error} if it
 * cannot. A failure reaches every waiting call and every placeholder: never a silent hang. */

import { BASE } from "./config.js";
import { hosts, showError, showProgress, showWarnings } from "./hosts.js";
import { PROTOCOL } from "./protocol.js";
import { applyWrites } from "./storage.js";
import { t } from "./texts.js";

/** @typedef {import("./protocol.js").Requests} Requests */
/** @typedef {{resolve: (result: any) => void, reject: (error: Error) => void, op: string, retry?: boolean}} Waiter */

/** @type {Worker | null} */
let worker = null;
let nextId = 1;
/** @type {Map<number, Waiter>} */
const pending = new Map();
/** @type {Error | null} */
let failed = null;
let readyDone = false;

/** @type {(value: void) => void} */
let resolveReady = () => {};
/** @type {(error: Error) => void} */
let rejectReady = () => {};
/** Settles once: the engine answered "init", or it failed. */
export const ready = new Promise((resolve, reject) => {
  resolveReady = resolve;
  rejectReady = reject;
});
ready.catch(() => {}); // reported on the page; hosts may still await it

export function markReady() {
  readyDone = true;
  resolveReady();
}

export function isReady() {
  return readyDone;
}

/** The error the engine failed with, if it did. */
export function failure() {
  return failed;
}

/** @param {Error} error */
export function fail(error) {
  if (failed) return;
  failed = error;
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
  rejectReady(error);
  for (const host of hosts) showError(host, error.message);
}

/** Start the module worker (the page compiles Pyodide's wasm for it when it can). */
export function connect() {
  // The page compiles the wasm and hands it over: the page, unlike a module worker, gets the
  // browser's compiled-code cache, so a second visit starts much faster (bench/).
  const pageWasm = typeof WebAssembly.compileStreaming === "function";
  const started = new Worker(workerURL(), { type: "module", name: pageWasm ? "socratiq+wasm" : "socratiq" });
  worker = started;
  if (pageWasm) {
    WebAssembly.compileStreaming(fetch(BASE + "pyodide/pyodide.asm.wasm", { credentials: "same-origin" }))
      .then((module) => started.postMessage({ op: "wasm", module }))
      .catch(() => started.postMessage({ op: "wasm", module: null }));
  }
  started.onmessage = (event) => onWorkerMessage(event.data);
  started.onerror = (event) => {
    event.preventDefault();
    fail(new Error(t("page.engine_stopped", { error: event.message || t("page.unknown_error") })));
  };
}

// A worker is controlled by a service worker only if its script lies in that worker's scope,
// and the bundle usually does not lie in the book's. A blob: worker inherits the page's service
// worker instead, so offline the worker's own fetches (Pyodide, wheels) are served from the
// precache too.
function workerURL() {
  const direct = BASE + "worker.js";
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return direct;
  const source = `import ${JSON.stringify(direct)};`;
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}

/**
 * One request to the engine, its fields as protocol.js types them (tsc checks each call; the
 * engine validates them again); its reply's storage writes are applied before it resolves.
 * @type {<Op extends keyof Requests>(op: Op, ...payload: {} extends Requests[Op] ? [Requests[Op]?] : [Requests[Op]]) => Promise<any>}
 */
export const call = (op, ...[payload = {}]) => {
  if (failed) return Promise.reject(failed);
  const id = nextId++;
  const now = Date.now();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, op, retry: /** @type {any} */ (payload).retry });
    const tzOffsetMinutes = -new Date(now).getTimezoneOffset();
    const message = { now, tzOffsetMinutes, ...payload, protocol: PROTOCOL, id, op };
    /** @type {Worker} */ (worker).postMessage(message);
  });
};

/** The worker's start-up stages, as the reader reads them. */
const STAGES = {
  python: () => t("page.stage_python"),
  engine: () => t("page.stage_engine"),
  ready: () => t("page.stage_ready"),
};

/** @param {any} message */
function onWorkerMessage(message) {
  if (message.op === "progress") {
    const stage = STAGES[/** @type {keyof STAGES} */ (message.stage)];
    if (stage) showProgress(stage(), message.fraction);
    return;
  }
  if (message.op === "fatal") {
    fail(new Error(t("page.engine_failed", { error: message.error })));
    return;
  }
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  if (!message.ok) {
    waiter.reject(new Error(message.error || t("page.engine_refused")));
    return;
  }
  const { writes, ...result } = message.result || {};
  const actual = applyWrites(writes);
  const lastTry = waiter.op === "write_failed" && waiter.retry !== true;
  if (!actual || lastTry) {
    waiter.resolve(result);
    return;
  }
  // Storage is full: the engine takes back what did not fit and makes room (a reply to that
  // whose own writes do not fit is taken back once more, without a retry). An import that did
  // not fit is undone and fails.
  const undoImport = waiter.op === "import";
  const retry = waiter.op !== "write_failed" && !undoImport;
  const failed = call("write_failed", { changes: actual, retry, undoImport });
  failed.then(
    (reply) => {
      showWarnings(reply.warnings);
      if (reply.undone) waiter.reject(new Error(reply.undone));
      else waiter.resolve(result);
    },
    waiter.reject,
  );
}
