/* The start-up snapshot's maker (web/snapshot.js): after the engine is warm and the page idle,
 * a second, separate worker makes this device's snapshot once per bundle version, so that the
 * next visit restores it instead of booting. It never competes with the reader's first answers
 * (it starts MAKER_DELAY_MS after "warm", in idle time), waits for a reader's second page, and
 * is skipped where it cannot pay. */

import { BASE } from "./config.js";

/** After "warm": the first answers, a phone's slowest work, come first. */
const MAKER_DELAY_MS = 5000;
/** A page that is never idle (an animation, a busy host script) still gets its snapshot, later. */
const IDLE_TIMEOUT_MS = 30000;
/** Set on a reader's first page with the engine: the snapshot is made from the second on. */
export const SEEN_KEY = "socratiq-snapshot:seen";

/** Whether this reader came back: a one-off visit (from a search engine, say) never pays for a
 * background boot and 55 MB of Cache Storage. */
function returning() {
  try {
    if (localStorage.getItem(SEEN_KEY)) return true;
    localStorage.setItem(SEEN_KEY, "1");
  } catch {
    // storage refused: no snapshot, each visit boots
  }
  return false;
}

/** Start the maker later, if this browser can keep a snapshot and the reader saves no data. */
export function makeSnapshotWhenIdle() {
  const connection = /** @type {{connection?: {saveData?: boolean}, deviceMemory?: number}} */ (navigator);
  if (typeof caches === "undefined" || typeof WebAssembly === "undefined" || typeof Worker === "undefined") return;
  if (connection.connection?.saveData) return;
  if (connection.deviceMemory !== undefined && connection.deviceMemory < 2) return; // a restore holds ~90 MB at once
  if (!returning()) return;
  setTimeout(() => {
    if (typeof requestIdleCallback === "function") requestIdleCallback(startMaker, { timeout: IDLE_TIMEOUT_MS });
    else startMaker();
  }, MAKER_DELAY_MS);
}

function startMaker() {
  try {
    const maker = new Worker(makerURL(), { type: "module", name: "socratiq-snapshot" });
    maker.onmessage = () => maker.terminate();
    maker.onerror = (event) => {
      event.preventDefault(); // the page works without it
      maker.terminate();
    };
  } catch {
    // a worker refused (CSP): the next visit boots as this one did
  }
}

// As rpc.js's workerURL: a blob: worker inherits the page's service worker, so the maker's
// fetches (Pyodide, wheels) come from the offline copy instead of the network.
function makerURL() {
  const direct = BASE + "snapshot_maker.js";
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return direct;
  return URL.createObjectURL(new Blob([`import ${JSON.stringify(direct)};`], { type: "text/javascript" }));
}
