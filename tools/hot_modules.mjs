// Print, as a JSON list, every module a typical reader's session imports (tools/typical_session.py)
// in the real Pyodide under Node with the given wheels installed, and no network.
//
//   node tools/hot_modules.mjs <pyodide-dir> <wheel.whl>...
//
// tools/build_bundle.py precompiles these modules and ships the rest as source.
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
globalThis.fetch = (resource) =>
  Promise.reject(new Error(`hot_modules.mjs: refusing to fetch ${resource} (offline build)`));

async function main() {
  const [pyodideDir, ...wheels] = process.argv.slice(2);
  if (!pyodideDir || wheels.length === 0) throw new Error("usage: node tools/hot_modules.mjs <pyodide-dir> <wheel.whl>...");
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
  const stderr = [];
  const pyodide = await loadPyodide({
    indexURL,
    stdout: () => {},
    stderr: (s) => stderr.push(s),
  });
  const errors = [];
  await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), {
    messageCallback: () => {},
    errorCallback: (m) => errors.push(m),
  });
  if (errors.length) throw new Error(`loading the wheels failed:\n  ${errors.join("\n  ")}`);
  pyodide.FS.mkdirTree("/repo");
  pyodide.mountNodeFS("/repo", ROOT);
  pyodide.globals.set("REPO", "/repo");
  let modules;
  try {
    modules = pyodide.runPython(`
import json, sys
sys.path.insert(0, REPO + "/tools")
from typical_session import modules_imported
json.dumps(modules_imported(REPO))
`);
  } catch (err) {
    throw new Error(`${err?.message ?? err}\n${stderr.join("\n")}`);
  }
  process.stdout.write(modules + "\n");
}

main().catch((error) => {
  process.stderr.write(`hot_modules.mjs: ${error.stack || error}\n`);
  process.exit(1);
});
