// bench/snapshot_restore.mjs: a Pyodide memory snapshot taken AFTER our wheels are loaded and the
// engine imported (issue 13), restored in a fresh interpreter, in Node against a built bundle.
//
//   node bench/snapshot_restore.mjs make DIST OUT [--warm]  # write OUT/{snapshot.bin,files.bin,meta.json}
//   node bench/snapshot_restore.mjs restore DIST OUT        # one restore, then init + quiz + check
//   node bench/snapshot_restore.mjs boot DIST               # the same messages after a normal start
//   node bench/snapshot_restore.mjs bare DIST               # a bare loadPyodide(), the budget's unit
//   node bench/snapshot_restore.mjs ab DIST OUT [ROUNDS]    # boot, restore, bare in turn, each a fresh process
//   node bench/snapshot_restore.mjs faults DIST OUT         # what a damaged or foreign snapshot does
//
// Pyodide 314.0.7's private API (`_makeSnapshot`, `makeMemorySnapshot()`, `_loadSnapshot`) copies
// the wasm heap only. Three things stop it once a package is loaded, and this script handles each:
//  1. "Unexpected hiwire entry at index 6": slot 6 of the JS reference table is the object behind
//     `pyodide.loadedPackages` (held by pyodide._package_loader), which must compare equal to {}.
//     Emptied while the snapshot is taken, then refilled.
//  2. "RangeError: offset is out of bounds" on restore: the heap outgrew the wasm's initial memory
//     and `_loadSnapshot` does not grow it (its INITIAL_MEMORY setting is ignored by this build).
//     A preRun hook (through the public `createPyodideModule` option) grows it first.
//  3. A loaded extension module (pydantic-core's .so) lives outside the heap: its code is a wasm
//     instance and its functions sit in the wasm table. Right after the heap is copied in, the .so
//     is instantiated again at the memory base and table base it had (the recorded allocator
//     chunk is freed so the loader's calloc gets it back; the table must have the recorded length
//     already), then the heap is copied in again, undoing what loading wrote.
// Site-packages lives in the JS-side file system, not the heap: its files are kept beside the
// snapshot (Python still imports from it lazily) and written back in the same preRun hook.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { gzipSync } from "node:zlib";

const [command, distArg, outArg, ...rest] = process.argv.slice(2);
const indexURL = path.resolve(distArg ?? "web/dist", "pyodide") + "/";
const QUIZ = readFileSync(new URL("../quizzes/serving.json", import.meta.url), "utf8");
globalThis.fetch = (url) => Promise.reject(new Error(`no network: ${url}`));
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
// The product's own readers of where each .so sits and of site-packages' files (web/snapshot.js).
const { dylibsOf, filesUnder } = await import(path.resolve(distArg ?? "web/dist", "snapshot.js"));

/** CPU time of this process (user + system), ms: the machine is shared, wall time is others' too. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};

async function make(out, warm) {
  const py = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json", _makeSnapshot: true });
  const Module = py._module;
  await py.loadPackage(["socratiq-local"], { messageCallback: () => {} });
  py.runPython("import socratiq_local.browser.worker");
  if (warm) {
    // What the first messages import and build, done once here so that every restore has it:
    // the first answer's modules and validators (the "warm" message), a throwaway session's quiz.
    py.globals.set("SAMPLE", QUIZ);
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
`);
  }
  py.runPython("import gc; gc.collect(); del gc");
  const dylibs = dylibsOf(Module);
  const files = filesUnder(Module.FS, Module.API.sitePackages);
  const loaded = { ...py.loadedPackages };
  for (const name of Object.keys(loaded)) delete py.loadedPackages[name];
  const snapshot = py.makeMemorySnapshot();
  Object.assign(py.loadedPackages, loaded);
  let offset = 0;
  const index = files.map(([file, bytes]) => ({ path: file, offset: (offset += bytes.length) - bytes.length, size: bytes.length }));
  const sha256 = Buffer.from(await crypto.subtle.digest("SHA-256", snapshot)).toString("hex");
  const meta = { snapshotBytes: snapshot.length, sha256, heapSize: Module.HEAP8.length, tableLength: Module.wasmTable.length, dylibs, files: index };
  mkdirSync(out, { recursive: true });
  writeFileSync(out + "/snapshot.bin", snapshot);
  writeFileSync(out + "/files.bin", Buffer.concat(files.map(([, bytes]) => bytes)));
  writeFileSync(out + "/meta.json", JSON.stringify(meta));
  const gz = (bytes) => gzipSync(bytes, { level: 6 }).length;
  const filesBin = readFileSync(out + "/files.bin");
  return {
    snapshotBytes: snapshot.length,
    snapshotGzip: gz(snapshot),
    files: files.length,
    filesBytes: filesBin.length,
    filesGzip: gz(filesBin),
    dylibs: dylibs.map(({ path: p, memoryBase, tableBase }) => ({ path: p, memoryBase, tableBase })),
  };
}

/**
 * A fresh interpreter from OUT's snapshot: the recipe web/worker.js would follow.
 * @returns the Pyodide API, with Python's state as it was when the snapshot was taken
 */
async function restore(out) {
  const meta = JSON.parse(readFileSync(out + "/meta.json", "utf8"));
  const snapshot = readFileSync(out + "/snapshot.bin");
  if (snapshot.length !== meta.snapshotBytes) throw new Error(`snapshot is ${snapshot.length} bytes, its record says ${meta.snapshotBytes}`);
  // checked while the interpreter restores (crypto.subtle works off the thread), before any reply
  const digest = crypto.subtle.digest("SHA-256", snapshot).then((hash) => Buffer.from(hash).toString("hex"));
  const filesBin = readFileSync(out + "/files.bin");
  const bytesOf = (entry) => filesBin.subarray(entry.offset, entry.offset + entry.size);
  // compiled while Pyodide boots (async, off the thread in a browser)
  const libraries = Promise.all(
    meta.dylibs.map((lib) => WebAssembly.compile(bytesOf(meta.files.find((entry) => entry.path === lib.path)))),
  );
  const { default: createModule } = await import(indexURL + "pyodide.asm.mjs");
  const compiled = await libraries;

  function reloadLibraries(Module, heap) {
    for (const [i, lib] of meta.dylibs.entries()) {
      if (Module.wasmTable.length !== lib.tableBase)
        throw new Error(`${lib.path}: table base ${Module.wasmTable.length}, the snapshot's ${lib.tableBase}`);
      Module._free(lib.chunk); // the loader's calloc gets the same chunk back
      const dso = Module.newDSO(lib.path, lib.handle, "loading");
      dso.global = false; // as Pyodide's dlopen (RTLD_LOCAL)
      const flags = { global: false, nodelete: true, loadAsync: false };
      dso.exports = Module.loadWebAssemblyModule(compiled[i], flags, lib.path, {}, lib.handle);
      const base = Module.HEAPU32[(lib.handle + 12) >> 2];
      if (base !== lib.memoryBase) throw new Error(`${lib.path}: memory base ${base}, the snapshot's ${lib.memoryBase}`);
    }
    if (Module.wasmTable.length !== meta.tableLength)
      throw new Error(`table length ${Module.wasmTable.length}, the snapshot's ${meta.tableLength}`);
    Module.HEAP8.set(heap); // undo the loader's writes: data, relocations, constructors, allocator
  }

  const py = await loadPyodide({
    indexURL,
    _loadSnapshot: snapshot,
    createPyodideModule(settings) {
      const restoreFiles = (Module) => {
        Module.growMemory(meta.heapSize);
        const restoreHeap = Module.API.restoreSnapshot;
        Module.API.restoreSnapshot = (bytes) => {
          const config = restoreHeap(bytes);
          const heapOffset = new Uint32Array(bytes.buffer, bytes.byteOffset, 2)[1];
          reloadLibraries(Module, bytes.subarray(heapOffset));
          return config;
        };
        for (const entry of meta.files) {
          Module.FS.mkdirTree(path.posix.dirname(entry.path));
          Module.FS.writeFile(entry.path, bytesOf(entry));
        }
      };
      return createModule({ ...settings, preRun: [...settings.preRun, restoreFiles] });
    },
    stderr: (line) => console.error("[py]", line),
  });
  if ((await digest) !== meta.sha256) throw new Error("snapshot does not match its SHA-256");
  py.runPython("import random; random.seed(); del random"); // the heap holds the maker's state
  return py;
}

async function boot() {
  return await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json", packages: ["socratiq-local"] });
}

/** The worker's first messages (init, a quiz, a wrong then a right answer), their replies checked;
 * ms of CPU and of wall to the engine imported (ready) and to the quiz's reply (reply). */
function converse(py, started) {
  const worker = py.pyimport("socratiq_local.browser.worker");
  const ready = { cpu: cpu(), wall: performance.now() };
  const send = (message) => JSON.parse(worker.handle(JSON.stringify({ protocol: 2, now: Date.now(), tzOffsetMinutes: 60, ...message })));
  const init = send({ op: "init", book: "b", writerId: "w0" });
  if (!init.result) throw new Error(`init: ${JSON.stringify(init)}`);
  const quiz = send({ op: "quiz", source: QUIZ, sourceName: "serving.json" });
  if (!quiz.result?.html?.includes('class="sq-question"')) throw new Error(`quiz: ${JSON.stringify(quiz)}`);
  const reply = { cpu: cpu(), wall: performance.now() };
  const check = (answer) => send({ op: "check", quizId: "serving", questionId: "serving-littles-law", answer });
  const wrong = check(3);
  const right = check(10);
  if (wrong.result?.correct !== false || right.result?.correct !== true)
    throw new Error(`check: ${JSON.stringify(wrong).slice(0, 300)} / ${JSON.stringify(right).slice(0, 300)}`);
  const entropy = py.runPython("import random, uuid; f'{random.random():.6f} {uuid.uuid4().hex[:8]}'");
  return {
    readyCpu: ready.cpu - started.cpu,
    readyWall: ready.wall - started.wall,
    replyCpu: reply.cpu - started.cpu,
    replyWall: reply.wall - started.wall,
    entropy,
  };
}

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const round = (values) => values.map((v) => (typeof v === "number" ? Math.round(v * 100) / 100 : v));

if (command === "make") {
  console.log(JSON.stringify(await make(outArg, rest.includes("--warm"))));
} else if (command === "bare") {
  const started = { cpu: cpu(), wall: performance.now() };
  const py = await loadPyodide({ indexURL });
  py.runPython("1");
  console.log(JSON.stringify({ readyCpu: cpu() - started.cpu, readyWall: performance.now() - started.wall }));
} else if (command === "restore" || command === "boot") {
  const started = { cpu: cpu(), wall: performance.now() };
  try {
    const py = command === "boot" ? await boot() : await restore(outArg);
    console.log(JSON.stringify(converse(py, started)));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error?.message ?? error).split("\n").slice(0, 3).join(" ") }));
    process.exitCode = 3;
  }
} else if (command === "ab") {
  const rounds = Number(rest[0] ?? 6);
  const script = new URL(import.meta.url).pathname;
  const one = (mode) =>
    JSON.parse(
      execFileSync("nice", ["node", script, mode, distArg, ...(mode === "restore" ? [outArg] : [])], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
  const modes = ["boot", "restore", "bare"];
  const rows = { boot: [], restore: [], bare: [] };
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(i + k) % modes.length]; // each mode takes each place in turn
      rows[mode].push(one(mode));
    }
  }
  const line = (name, values) => `  ${name.padEnd(28)} median ${String(Math.round(median(values))).padStart(5)}  ${round(values).join(" ")}`;
  for (const unit of ["Cpu", "Wall"]) {
    const bare = rows.bare.map((r) => r[`ready${unit}`]);
    console.log(`${unit === "Cpu" ? "CPU time of the process" : "wall time"}, ms (per round: same round's samples)`);
    console.log(line("bare loadPyodide()", bare));
    for (const mode of ["boot", "restore"]) {
      for (const key of ["ready", "reply"]) {
        const values = rows[mode].map((r) => r[key + unit]);
        console.log(line(`${mode} to ${key === "ready" ? "engine imported" : "init+quiz replied"}`, values));
        const ratios = values.map((v, i) => v / bare[i]);
        console.log(`    x bare: median ${median(ratios).toFixed(2)} (${round(ratios).join(" ")})`);
      }
    }
    const perRound = rows.restore.map((r, i) => r[`reply${unit}`] / rows.boot[i][`reply${unit}`]);
    console.log(`  restore / boot, to first reply: median ${median(perRound).toFixed(2)} (${round(perRound).join(" ")})`);
  }
  console.log("entropy after restore (random.random, uuid4):", rows.restore.map((r) => r.entropy).join(", "));
} else if (command === "faults") {
  const meta = JSON.parse(readFileSync(outArg + "/meta.json", "utf8"));
  const good = readFileSync(outArg + "/snapshot.bin");
  const cases = {
    "bad magic": (s) => (s[0] ^= 0xff),
    "another build": (s) => (s[20] ^= 0xff),
    truncated: null,
    "heap byte flipped": (s) => (s[s.length >> 1] ^= 0xff),
    "meta from another snapshot": null, // same hash: shows what the base checks do alone
  };
  for (const [name, damage] of Object.entries(cases)) {
    const dir = `${outArg}-fault`;
    mkdirSync(dir, { recursive: true });
    let snapshot = Buffer.from(good);
    const badMeta = { ...meta };
    if (damage) damage(snapshot);
    if (name === "truncated") snapshot = snapshot.subarray(0, snapshot.length >> 1);
    if (name === "meta from another snapshot") badMeta.dylibs = meta.dylibs.map((lib) => ({ ...lib, memoryBase: lib.memoryBase + 64, chunk: lib.chunk + 64 }));
    writeFileSync(dir + "/snapshot.bin", snapshot);
    writeFileSync(dir + "/meta.json", JSON.stringify(badMeta));
    writeFileSync(dir + "/files.bin", readFileSync(outArg + "/files.bin"));
    let outcome;
    try {
      const output = execFileSync("node", [new URL(import.meta.url).pathname, "restore", distArg, dir], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 300_000,
      });
      outcome = `restored and answered: ${output.trim().slice(0, 120)}`;
    } catch (error) {
      outcome = `refused (exit ${error.status ?? error.signal}): ${String(error.stdout).trim().slice(0, 300)}`;
    }
    console.log(`${name}: ${outcome}`);
  }
} else {
  console.error("usage: node bench/snapshot_restore.mjs {make|restore|boot|ab|faults} DIST [OUT] ...");
  process.exit(2);
}
