// Resolve a set of local wheels with micropip inside the real Pyodide (Node, no network) and
// print micropip.freeze()'s lock JSON on stdout. tools/build_bundle.py post-processes it.
//
//   node tools/make_lock.mjs <pyodide-dir> <micropip.whl> <wheel.whl>...
//
// micropip is loaded from its own wheel by path (a bare loadPackage("micropip") would go to a
// CDN); every wheel is installed in ONE micropip.install call with deps=True, so dependencies
// resolve among the given files only, and any attempt to reach the network aborts.

import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

function fail(message) {
  process.stderr.write(`make_lock.mjs: ${message}\n`);
  process.exit(1);
}

const networkAttempts = [];
globalThis.fetch = (resource) => {
  const url = typeof resource === "string" ? resource : (resource?.url ?? String(resource));
  networkAttempts.push(url);
  return Promise.reject(new Error(`make_lock.mjs: refusing to fetch ${url} (offline build)`));
};

async function main() {
  const [pyodideDir, micropipWheel, ...wheels] = process.argv.slice(2);
  if (!pyodideDir || !micropipWheel || wheels.length === 0)
    fail("usage: node tools/make_lock.mjs <pyodide-dir> <micropip.whl> <wheel.whl>...");
  const { loadPyodide } = await import(pathToFileURL(path.join(path.resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep, stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
  const errors = [];
  await pyodide.loadPackage([path.resolve(micropipWheel)], {
    messageCallback: () => {},
    errorCallback: (m) => errors.push(m),
  });
  if (errors.length) fail(`loading micropip failed:\n  ${errors.join("\n  ")}`);
  pyodide.globals.set("WHEEL_URLS", pyodide.toPy(wheels.map((w) => pathToFileURL(path.resolve(w)).href)));
  let frozen;
  try {
    frozen = await pyodide.runPythonAsync(`
import micropip
await micropip.install(list(WHEEL_URLS), deps=True, keep_going=True)
micropip.freeze()
`);
  } catch (err) {
    fail(`micropip failed:\n${err?.message ?? err}`);
  }
  if (networkAttempts.length) fail(`network access attempted: ${networkAttempts.join(", ")}`);
  process.stdout.write(frozen);
}

main().catch((err) => fail(err?.stack ?? String(err)));
