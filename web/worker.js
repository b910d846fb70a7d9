/* socratiq_local: the module worker. It boots Pyodide from this bundle's own folder (never a
 * CDN), loads our wheels through the bundle's lock file, and answers the page's messages one at
 * a time. Python sees JSON strings in and out: no live objects cross the boundary. Quiz files
 * are fetched here, with a size limit, so no file's size or shape can hold up the page.
 */
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { MAX_QUIZ_BYTES, quizFile } from "./quiz_files.js";
import { restoreSnapshot } from "./snapshot.js";

const BASE = new URL(".", import.meta.url).href;
const PYODIDE = BASE + "pyodide/";

/** @type {((request: string) => string) | null} */
let handle = null;
let queue = Promise.resolve();

// A page that names this worker "…+wasm" compiles pyodide.asm.wasm itself
// (WebAssembly.compileStreaming on the main thread gets the browser's wasm code cache, which
// module workers do not: bench/ measured a warm start 3.5 s -> 2.1 s) and sends the Module as
// {op: "wasm", module} (module null if it could not): Pyodide then neither fetches nor compiles
// it here.
/** @type {((module: WebAssembly.Module | null) => void) | null} */
let pageWasm = null;
if (self.name.endsWith("+wasm")) {
  const wasmURL = PYODIDE + "pyodide.asm.wasm";
  /** @type {Promise<WebAssembly.Module | null>} */
  const fromPage = new Promise((resolve) => (pageWasm = resolve));
  const { fetch: realFetch } = self;
  const { instantiateStreaming } = WebAssembly;
  self.fetch = (input, init) =>
    String(input) === wasmURL
      ? fromPage.then((module) => (module ? new Response(new ArrayBuffer(0)) : realFetch(input, init)))
      : realFetch(input, init);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const module = await fromPage;
    if (!module) return instantiateStreaming(source, imports);
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

/**
 * A start-up stage for the page to show, by id (the page has the words: languages/*.json).
 * @param {"python" | "snapshot" | "engine" | "ready"} stage
 * @param {number} fraction
 */
function progress(stage, fraction) {
  postMessage({ op: "progress", stage, fraction });
}

async function boot() {
  progress("python", 0.1);
  const streams = { stdout: () => {}, stderr: (/** @type {string} */ line) => console.warn("[socratiq]", line) };
  // This device's snapshot when it keeps one for this bundle (snapshot.js), else a normal boot.
  const restored = await restoreSnapshot(streams);
  if (restored) progress("snapshot", 0.8); // for bench/ and the tests; the page shows no such stage
  const pyodide =
    restored ??
    (await loadPyodide({
      indexURL: PYODIDE,
      lockFileURL: PYODIDE + "pyodide-lock.json",
      packages: ["socratiq-local"],
      ...streams,
    }));
  progress("engine", 0.8);
  const module = pyodide.pyimport("socratiq_local.browser.worker");
  handle = module.handle;
  progress("ready", 1);
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

const booted = boot().catch((error) => {
  postMessage({ op: "fatal", error: describe(error) }); // the page says what failed
  throw error;
});

/**
 * The request's id, if it has one an error reply can carry (the engine checks the rest).
 * @param {any} message
 * @returns {number | null}
 */
function idOf(message) {
  return message !== null && typeof message === "object" && Number.isInteger(message.id) ? message.id : null;
}

/**
 * What a file gave, for Python: its text, or `problem` saying why there is none.
 * @param {import("./quiz_files.js").QuizFile} file
 */
function forPython({ text, status, tooLarge }) {
  return text !== null ? { text } : { problem: { status, tooLarge, limit: MAX_QUIZ_BYTES } };
}

/**
 * The quiz files a message names by address (`src`; `quizzes[].url`), fetched while Python
 * boots and put in the message as text (`source`; `quizzes[].text`) or as the problem.
 * @param {any} message
 */
async function withFiles(message) {
  if (message === null || typeof message !== "object") return message; // the engine refuses it
  if (typeof message.src === "string") {
    const { text, problem } = forPython(await quizFile(message.src));
    if (text !== undefined) message.source = text;
    else message.sourceProblem = problem;
  }
  if (Array.isArray(message.quizzes)) {
    message.quizzes = await Promise.all(
      message.quizzes.map(async (/** @type {any} */ entry) =>
        entry && typeof entry.url === "string" ? { ...entry, ...forPython(await quizFile(entry.url)) } : entry,
      ),
    );
  }
  return message;
}

// Every message but the page's "wasm" gets one reply, {id, ok, result | error} as the engine
// wrote it (src/socratiq_local/browser/protocol.py), whatever the message holds.
self.onmessage = (event) => {
  const message = event.data;
  if (message !== null && typeof message === "object" && message.op === "wasm") {
    if (pageWasm) pageWasm(message.module instanceof WebAssembly.Module ? message.module : null);
    return;
  }
  const files = withFiles(message);
  queue = queue.then(async () => {
    try {
      await booted;
      await files;
      const request = JSON.stringify(message) ?? "null"; // undefined has no JSON: refused
      const started = performance.now();
      const text = /** @type {(request: string) => string} */ (handle)(request);
      const ms = performance.now() - started; // Python's own time, for bench/ (ignored by the page)
      postMessage({ ...JSON.parse(text), ms });
    } catch (error) {
      postMessage({ id: idOf(message), ok: false, error: describe(error) });
    }
  });
};
