// Run the engine's unit tests (tests/unit) under the real Pyodide runtime (WebAssembly
// CPython 3.14) inside Node, with no network at all.
//
//   node tests/pyodide/run_pytest.mjs [pytest args...]
//
// Needs `npm ci` (node_modules/pyodide) and the wheels pinned in requirements-pyodide.txt and
// requirements-pyodide-test.txt in build/pyodide-wheels (tests/pyodide/fetch_wheels.py).
// Every wheel is loaded by its file path: a bare package name would make Pyodide fetch it from
// a CDN. Any attempt to fetch a URL aborts the run.
//
// Exit status: pytest's own (0 passed, 1 tests failed, 2 interrupted, 3 internal error,
// 4 usage error, 5 no tests collected); 3 when the runner itself fails (missing or corrupt
// wheel, Python exception outside pytest, network attempt).

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const PYODIDE_DIR = path.join(ROOT, "node_modules", "pyodide");
const WHEEL_DIR = path.join(ROOT, "build", "pyodide-wheels");
const REQUIREMENT_FILES = ["requirements-pyodide.txt", "requirements-pyodide-test.txt"];
const RUNNER_FAILURE = 3;

function fail(message) {
  process.stderr.write(`run_pytest.mjs: ${message}\n`);
  process.exit(RUNNER_FAILURE);
}

// --- No network: refuse every fetch before Pyodide can make one. Pyodide under Node reads
// local paths with node:fs; it only calls fetch() for URLs, i.e. for a CDN.
const blockedFetch = (resource) => {
  const url = typeof resource === "string" ? resource : (resource?.url ?? String(resource));
  const message =
    `refusing to fetch ${url}: the Pyodide tests run offline. A package was probably ` +
    `requested by name instead of by local wheel path; run tests/pyodide/fetch_wheels.py.`;
  process.stderr.write(`run_pytest.mjs: ${message}\n`);
  networkAttempts.push(url);
  return Promise.reject(new Error(message));
};
const networkAttempts = [];
globalThis.fetch = blockedFetch;
// A fetch can also start after pytest returned (an un-awaited promise): still fail the run.
process.on("exit", () => {
  if (networkAttempts.length) process.exitCode = RUNNER_FAILURE;
});

// --- The pinned wheels, found by name and version, checked against the pinned sha256 (Node's
// loadPackage checks no hashes itself).
const normalize = (name) => name.replace(/[-_.]+/g, "-").toLowerCase();

function pinnedRequirements() {
  const pins = [];
  for (const file of REQUIREMENT_FILES) {
    const text = readFileSync(path.join(ROOT, file), "utf8").replace(/\\\n/g, " ");
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)/.exec(line);
      const hashes = [...line.matchAll(/--hash=sha256:([0-9a-f]{64})/g)].map((m) => m[1]);
      if (!match || hashes.length === 0) fail(`${file}: expected 'name==version --hash=...': ${line}`);
      pins.push({ file, name: normalize(match[1]), version: match[2], hashes: new Set(hashes) });
    }
  }
  return pins;
}

function localWheels() {
  const pins = pinnedRequirements();
  const files = existsSync(WHEEL_DIR) ? readdirSync(WHEEL_DIR).filter((f) => f.endsWith(".whl")) : [];
  const paths = [];
  const problems = [];
  for (const pin of pins) {
    const candidates = files.filter((f) => {
      const [dist, version] = f.split("-");
      return normalize(dist) === pin.name && version === pin.version;
    });
    const good = candidates.find((f) => {
      const digest = createHash("sha256").update(readFileSync(path.join(WHEEL_DIR, f))).digest("hex");
      return pin.hashes.has(digest);
    });
    if (good) paths.push(path.join(WHEEL_DIR, good));
    else
      problems.push(
        `  ${pin.name}==${pin.version} (${pin.file}): ` +
          (candidates.length ? `${candidates.join(", ")} does not match the pinned sha256` : "no wheel"),
      );
  }
  if (problems.length)
    fail(
      `missing or corrupt wheels in ${path.relative(ROOT, WHEEL_DIR)}/ (not fetching them):\n` +
        `${problems.join("\n")}\nRun: .venv/bin/python tests/pyodide/fetch_wheels.py`,
    );
  return paths;
}

// --- Boot, load, run.
async function main() {
  const pytestArgs = process.argv.slice(2);
  if (!existsSync(path.join(PYODIDE_DIR, "pyodide.mjs")))
    fail(`${path.relative(ROOT, PYODIDE_DIR)} is missing: run npm ci`);
  const pinned = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies?.pyodide;
  const installed = JSON.parse(readFileSync(path.join(PYODIDE_DIR, "package.json"), "utf8")).version;
  if (pinned && installed !== pinned) fail(`node_modules has pyodide ${installed}, package.json pins ${pinned}: run npm ci`);
  const wheels = localWheels();

  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(path.join(PYODIDE_DIR, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_DIR + path.sep,
    env: {
      // Hypothesis keeps its example database in memory-backed /tmp, not in the repo.
      HYPOTHESIS_STORAGE_DIRECTORY: "/tmp/hypothesis",
      PYTHONDONTWRITEBYTECODE: "1",
    },
  });
  const isatty = Boolean(process.stdout.isTTY);
  pyodide.setStdout({ write: (buf) => (process.stdout.write(buf), buf.length), isatty });
  pyodide.setStderr({ write: (buf) => (process.stderr.write(buf), buf.length), isatty: Boolean(process.stderr.isTTY) });
  const t1 = performance.now();

  const loadErrors = [];
  await pyodide.loadPackage(wheels, {
    messageCallback: () => {},
    errorCallback: (message) => loadErrors.push(message),
  });
  if (loadErrors.length || networkAttempts.length)
    fail(`loading wheels failed:\n  ${[...loadErrors, ...networkAttempts].join("\n  ")}`);
  const t2 = performance.now();

  // The repository appears inside at its real path, so tracebacks show real file names.
  pyodide.FS.mkdirTree(ROOT);
  pyodide.mountNodeFS(ROOT, ROOT);

  pyodide.globals.set("ROOT", ROOT);
  pyodide.globals.set("PYTEST_ARGS", pyodide.toPy(pytestArgs));
  let exitCode;
  try {
    exitCode = await pyodide.runPythonAsync(`
import os, sys
os.chdir(ROOT)
sys.path.insert(0, os.path.join(ROOT, "src"))
sys.dont_write_bytecode = True  # no wasm .pyc (or pytest rewrite cache) in the real repo
# Hypothesis settings (database=None, deadline=None) live in tests/unit/conftest.py; importing
# hypothesis here, before pytest, would stop pytest from rewriting its asserts.

import pytest
int(pytest.main(["-p", "no:cacheprovider", *PYTEST_ARGS]))
`);
  } catch (err) {
    fail(`Python raised outside pytest:\n${err?.message ?? err}`);
  }
  if (networkAttempts.length) fail(`network access attempted during the run: ${networkAttempts.join(", ")}`);
  const t3 = performance.now();
  if (process.env.PYODIDE_TEST_TIMINGS)
    process.stderr.write(
      `run_pytest.mjs: boot ${((t1 - t0) / 1000).toFixed(2)} s, wheels ${((t2 - t1) / 1000).toFixed(2)} s, ` +
        `pytest ${((t3 - t2) / 1000).toFixed(2)} s\n`,
    );
  process.exitCode = Number.isInteger(exitCode) ? exitCode : RUNNER_FAILURE;
}

main().catch((err) => fail(err?.stack ?? String(err)));
