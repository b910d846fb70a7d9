/* socratiq_local: the module worker. It boots Pyodide from this bundle's own folder (never a
 * CDN), loads our wheels through the bundle's lock file, and answers the page's messages one at
 * a time. Python sees JSON strings in and out: no live objects cross the boundary.
 */
import { loadPyodide } from "./pyodide/pyodide.mjs";

const BASE = new URL(".", import.meta.url).href;
const PYODIDE = BASE + "pyodide/";

let handle = null;
let queue = Promise.resolve();

function progress(stage, fraction) {
  postMessage({ op: "progress", stage, fraction });
}

async function boot() {
  progress("Starting Python…", 0.1);
  const pyodide = await loadPyodide({
    indexURL: PYODIDE,
    lockFileURL: PYODIDE + "pyodide-lock.json",
    packages: ["socratiq-local"],
    stdout: () => {},
    stderr: (line) => console.warn("[socratiq]", line),
  });
  progress("Loading the quiz engine…", 0.8);
  const module = pyodide.pyimport("socratiq_local.browser.worker");
  handle = module.handle;
  progress("Ready", 1);
}

const booted = boot().catch((error) => {
  postMessage({ op: "fatal", error: "The quiz engine could not start: " + String(error && error.message || error) });
  throw error;
});

self.onmessage = (event) => {
  const message = event.data;
  queue = queue.then(async () => {
    try {
      await booted;
      const reply = JSON.parse(handle(JSON.stringify(message)));
      if (reply.error) postMessage({ id: message.id, ok: false, error: reply.error });
      else postMessage({ id: message.id, ok: true, result: reply.result });
    } catch (error) {
      postMessage({ id: message.id, ok: false, error: String(error && error.message || error) });
    }
  });
};
