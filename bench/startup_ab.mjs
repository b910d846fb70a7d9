// bench/startup_ab.mjs: the worker's start-up (import socratiq_local.browser.worker, "init", the
// first quiz) of two source trees of the engine, in alternating pairs, in Node with the bundle's
// Pyodide and wheels; bench/README.md's levers list reports it.
//
//   node bench/startup_ab.mjs DIST A_SRC B_SRC [PAIRS]
//
// Every sample runs in a Node process of its own (a fresh V8, as a new tab is: in one process,
// later interpreters run on wasm code V8 has already optimised, and the first one pays for it).
// DIST is a built web/dist; A_SRC and B_SRC are copies of src/ (each holding socratiq_local/),
// put first on sys.path so they shadow the bundle's own wheel. Both are compiled once, before
// timing, by the same interpreter, so each variant imports bytecode as the bundle does. Times
// are the Node process's CPU time (process.cpuUsage: user + system, so V8's own threads count
// too) from loadPyodide and loadPackage done; the validator and module counts are
// deterministic, the milliseconds are not (report ratios of pairs).
import { execFileSync } from "node:child_process";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const [dist, srcA, srcB, pairsArg] = process.argv.slice(2);
const pairs = Number(pairsArg ?? 6);
const one = pairsArg === "one"; // a child: one sample of srcA, as JSON on stdout
const indexURL = path.resolve(dist, "pyodide") + "/";
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
globalThis.fetch = (url) => Promise.reject(new Error(`no network: ${url}`));
const quiz = (await import("node:fs")).readFileSync(
  new URL("../quizzes/serving.json", import.meta.url),
  "utf8",
);

const PROBE = `
import json, sys
from js import process
def time_ms():  # this process's CPU time: the machine is shared, so wall time is mostly others'
    used = process.cpuUsage()
    return (used.user + used.system) / 1e3
import pydantic._internal._model_construction as _mc, pydantic.type_adapter as _ta
built = [0]
for _m in (_mc, _ta):
    _orig = _m.create_schema_validator
    def _count(*a, _orig=_orig, **k):
        built[0] += 1
        return _orig(*a, **k)
    _m.create_schema_validator = _count
sys.path.insert(0, "/ab")
before = len(sys.modules)
t0 = time_ms()
from socratiq_local.browser import worker
try:  # the version every request carries (before protocol.py, only "init" carried it)
    from socratiq_local.browser.protocol import PROTOCOL
except ImportError:
    PROTOCOL = worker.PROTOCOL
t1 = time_ms()
def send(**message):
    sent = {"protocol": PROTOCOL, "now": 1.79e12, "tzOffsetMinutes": 60, **message}
    reply = json.loads(worker.handle(json.dumps(sent)))
    assert "result" in reply, reply
    return reply["result"]
send(op="init", book="b", writerId="w0")
t2 = time_ms()
html = send(op="quiz", source=QUIZ, sourceName="serving.json")["html"]
t3 = time_ms()
assert 'class="sq-question"' in html
json.dumps({"import": t1 - t0, "init": t2 - t1, "quiz": t3 - t2,
            "modules": len(sys.modules) - before, "validators": built[0]})
`;

async function interpreter(src) {
  const py = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json" });
  await py.loadPackage(["socratiq-local"], { messageCallback: () => {} });
  py.FS.mkdir("/ab");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(src) }, "/ab");
  return py;
}

if (one) {
  const py = await interpreter(srcA);
  py.globals.set("QUIZ", quiz);
  process.stdout.write(py.runPython(PROBE));
  process.exit(0);
}

for (const src of [srcA, srcB]) {
  const py = await interpreter(src); // compile once: later runs read the __pycache__ it writes
  py.runPython("import compileall; compileall.compile_dir('/ab', quiet=1)");
}

const self = fileURLToPath(import.meta.url);
/** @type {Record<string, Record<string, number[]>>} */
const rows = { A: {}, B: {} };
for (let i = 0; i < pairs; i++) {
  for (const name of i % 2 ? ["B", "A"] : ["A", "B"]) {
    const src = name === "A" ? srcA : srcB;
    const child = execFileSync(process.execPath, [self, dist, src, "-", "one"], { encoding: "utf8" });
    const seen = JSON.parse(child);
    seen.total = seen.import + seen.init + seen.quiz;
    for (const [k, v] of Object.entries(seen)) (rows[name][k] ??= []).push(v);
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const k of Object.keys(rows.A)) {
  const ratios = rows.A[k].map((a, i) => rows.B[k][i] / a);
  console.log(
    k.padEnd(10),
    "A",
    Math.round(median(rows.A[k])),
    "B",
    Math.round(median(rows.B[k])),
    "B/A per pair: median",
    median(ratios).toFixed(2),
    "range",
    Math.min(...ratios).toFixed(2),
    "-",
    Math.max(...ratios).toFixed(2),
  );
}
