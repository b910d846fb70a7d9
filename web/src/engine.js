/* Starting the engine, once: the worker, this tab's writer id, "init" with the book's keys and
 * the page's language; then the compactor election, every host drawn, "warm", and the maker of
 * the next visit's start-up snapshot. */

import { BOOK, LANG } from "./config.js";
import { showWarnings } from "./hosts.js";
import { renderAll, renderDashboards } from "./render.js";
import { call, connect, fail, failure, markReady, ready } from "./rpc.js";
import { restore } from "./journal.js";
import { makeSnapshotWhenIdle } from "./snapshots.js";
import { claimWriterId, electCompactor, onOtherTabs, readOurKeys } from "./storage.js";
import { loadTexts, t } from "./texts.js";

let started = false;

/** Start the engine (once); resolves when it is ready, rejects if it cannot start. */
export function start() {
  if (started) return ready;
  started = true;
  boot().catch(fail);
  return ready;
}

/** Whether this browser can run the engine at all (Web Workers and WebAssembly). */
export function canRun() {
  return typeof Worker !== "undefined" && typeof WebAssembly !== "undefined";
}

async function boot() {
  await loadTexts(); // its messages, errors included, are in the page's language
  if (!canRun()) {
    throw new Error(t("page.no_webassembly"));
  }
  try {
    connect();
  } catch (error) {
    throw new Error(t("page.worker_blocked", { error: /** @type {Error} */ (error).message }), { cause: error });
  }
  const writerId = await claimWriterId();
  await restore(writerId); // what a killed browser lost from localStorage (journal.js)
  const result = await call("init", { book: BOOK, writerId, lang: LANG, storage: readOurKeys() });
  markReady();
  showWarnings(result.warnings);
  electCompactor(() => call("compact").catch(() => {}));
  /** @param {import("./protocol.js").Requests["storage_changed"]} payload */
  const forward = (payload) => {
    if (failure()) return;
    call("storage_changed", payload)
      .then((changed) => {
        if (changed.changed) renderDashboards();
      })
      .catch(() => {});
  };
  onOtherTabs(
    (changes) => forward({ changes }), // only what changed, never the whole copy again
    () => forward({ storage: readOurKeys() }),
  );
  // Once the quizzes show, the worker imports what answers need (its first quiz did not wait
  // for that): the reader's first Check is then as quick as the next ones.
  // Then, in idle time, this device's start-up snapshot for the next visit (snapshots.js).
  renderAll().then(() => call("warm").then(makeSnapshotWhenIdle, () => {}));
}
