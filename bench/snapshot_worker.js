// bench/snapshot_worker.js: bench/snapshot_restore.mjs's recipe in a Chromium module worker, driven by
// bench/snapshot_chromium.py. ?mode=make makes a snapshot (after a throwaway first quiz) and keeps it
// in Cache Storage; ?mode=restore restores it from there and answers init, a quiz and a check;
// ?mode=boot does the same after a normal start; ?mode=bare is a bare loadPyodide().
import { loadPyodide } from "./dist/pyodide/pyodide.mjs";
import createModule from "./dist/pyodide/pyodide.asm.mjs";
const indexURL = new URL("./dist/pyodide/", import.meta.url).href;
const CACHE = "socratiq-snapshot-test";
const mode = new URL(import.meta.url).searchParams.get("mode");
const t0 = performance.now();
const quizText = fetch("serving.json").then((r) => r.text());

function converse(py) {
  const worker = py.pyimport("socratiq_local.browser.worker");
  const ready = performance.now() - t0;
  return quizText.then((QUIZ) => {
    const send = (m) => JSON.parse(worker.handle(JSON.stringify({ protocol: 2, now: Date.now(), tzOffsetMinutes: 60, ...m })));
    const init = send({ op: "init", book: "b", writerId: "w0" });
    const quiz = send({ op: "quiz", source: QUIZ, sourceName: "serving.json" });
    const reply = performance.now() - t0;
    const wrong = send({ op: "check", quizId: "serving", questionId: "serving-littles-law", answer: 3 });
    const right = send({ op: "check", quizId: "serving", questionId: "serving-littles-law", answer: 10 });
    return { ready, reply, init: !!init.result, quiz: !!quiz.result?.html?.includes('class="sq-question"'),
      checks: wrong.result?.correct === false && right.result?.correct === true,
      entropy: py.runPython("import random, uuid; f'{random.random():.6f} {uuid.uuid4().hex[:8]}'") };
  });
}

async function make() {
  const py = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json", _makeSnapshot: true });
  const M = py._module;
  await py.loadPackage(["socratiq-local"], { messageCallback: () => {} });
  py.globals.set("SAMPLE", await quizText);
  py.runPython(`
import json
from socratiq_local.browser import worker
from socratiq_local.browser.session import warm
warm()
for message in ({"op": "init", "book": "snapshot", "writerId": "snapshot"},
                {"op": "quiz", "source": SAMPLE, "sourceName": "sample.json"}):
    assert "result" in json.loads(worker.handle(json.dumps({"protocol": 2, "now": 1.79e12, "tzOffsetMinutes": 0, **message})))
worker._session = None
del SAMPLE, json, worker, warm
import gc; gc.collect(); del gc
`);
  const dylibs = [];
  for (const [key, dso] of Object.entries(M.LDSO.loadedLibsByHandle)) {
    const handle = Number(key); if (!handle) continue;
    const u32 = M.HEAPU32;
    const lib = { path: dso.name, handle, memoryBase: u32[(handle + 12) >> 2], memorySize: u32[(handle + 16) >> 2], tableBase: u32[(handle + 20) >> 2], chunk: 0 };
    const align = 2 ** M.getDylinkMetadata(M.FS.readFile(dso.name)).memoryAlign;
    for (let p = lib.memoryBase; p > lib.memoryBase - align && !lib.chunk; p -= 8) {
      const head = u32[(p - 4) >> 2], size = head & ~7;
      if (head & 2 && size >= lib.memorySize + align && size < lib.memorySize + align + 16) lib.chunk = p;
    }
    if (!lib.chunk) throw new Error("no chunk");
    dylibs.push(lib);
  }
  const files = [];
  (function walk(dir) {
    for (const name of M.FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const file = dir + "/" + name;
      if (M.FS.isDir(M.FS.stat(file).mode)) walk(file); else files.push([file, M.FS.readFile(file)]);
    }
  })(M.API.sitePackages);
  const loaded = { ...py.loadedPackages };
  for (const name of Object.keys(loaded)) delete py.loadedPackages[name];
  const tSnap = performance.now();
  const snapshot = py.makeMemorySnapshot();
  const snapMs = performance.now() - tSnap;
  let offset = 0;
  const index = files.map(([path, bytes]) => ({ path, offset: (offset += bytes.length) - bytes.length, size: bytes.length }));
  const meta = { buildId: py._api.config.BUILD_ID, heapSize: M.HEAP8.length, tableLength: M.wasmTable.length, dylibs, files: index };
  const cache = await caches.open(CACHE);
  const tPut = performance.now();
  await Promise.all([
    cache.put("snapshot.bin", new Response(snapshot)),
    cache.put("files.bin", new Response(new Blob(files.map(([, b]) => b)))),
    cache.put("meta.json", new Response(JSON.stringify(meta))),
    ...dylibs.map((lib) => cache.put("lib" + lib.path, new Response(M.FS.readFile(lib.path), { headers: { "Content-Type": "application/wasm" } }))),
  ]);
  return { snapMs, putMs: performance.now() - tPut, bytes: snapshot.length, heap: M.HEAP8.length };
}

async function restore() {
  const cache = await caches.open(CACHE);
  const meta = await (await cache.match("meta.json")).json();
  const libraries = Promise.all(meta.dylibs.map(async (lib) => WebAssembly.compileStreaming(await cache.match("lib" + lib.path))));
  const snapshot = new Uint8Array(await (await cache.match("snapshot.bin")).arrayBuffer());
  const filesBin = new Uint8Array(await (await cache.match("files.bin")).arrayBuffer());
  const compiled = await libraries;
  const tRead = performance.now() - t0;
  const py = await loadPyodide({
    indexURL,
    _loadSnapshot: snapshot,
    createPyodideModule(settings) {
      const hook = (Module) => {
        Module.growMemory(meta.heapSize);
        const restoreHeap = Module.API.restoreSnapshot;
        Module.API.restoreSnapshot = (bytes) => {
          const config = restoreHeap(bytes);
          const heap = bytes.subarray(new Uint32Array(bytes.buffer, bytes.byteOffset, 2)[1]);
          for (const [i, lib] of meta.dylibs.entries()) {
            if (Module.wasmTable.length !== lib.tableBase) throw new Error(`table base ${Module.wasmTable.length} != ${lib.tableBase}`);
            Module._free(lib.chunk);
            const dso = Module.newDSO(lib.path, lib.handle, "loading");
            dso.global = false;
            dso.exports = Module.loadWebAssemblyModule(compiled[i], { global: false, nodelete: true, loadAsync: false }, lib.path, {}, lib.handle);
            if (Module.HEAPU32[(lib.handle + 12) >> 2] !== lib.memoryBase) throw new Error("memory base moved");
          }
          if (Module.wasmTable.length !== meta.tableLength) throw new Error("table length");
          Module.HEAP8.set(heap);
          return config;
        };
        for (const e of meta.files) {
          Module.FS.mkdirTree(e.path.slice(0, e.path.lastIndexOf("/")));
          Module.FS.writeFile(e.path, filesBin.subarray(e.offset, e.offset + e.size));
        }
      };
      return createModule({ ...settings, preRun: [...settings.preRun, hook] });
    },
  });
  py.runPython("import random; random.seed(); del random");
  return { py, tRead };
}

try {
  let result;
  if (mode === "make") result = await make();
  else if (mode === "restore") { const { py, tRead } = await restore(); result = { read: tRead, ...(await converse(py)) }; }
  else if (mode === "boot") result = await converse(await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json", packages: ["socratiq-local"] }));
  else if (mode === "bare") { const py = await loadPyodide({ indexURL }); py.runPython("1"); result = { ready: performance.now() - t0 }; }
  postMessage({ ok: true, mode, result });
} catch (error) {
  postMessage({ ok: false, mode, error: String(error?.stack ?? error).slice(0, 1500) });
}
