/* socratiq_local: a Pyodide memory snapshot made on the reader's own device (issue 13), so that a
 * later visit restores the interpreter with our wheels loaded and the engine imported and warm,
 * instead of booting (bench/README.md: the first reply at ~0.45x a bare loadPyodide() instead of ~2x).
 * Nothing is downloaded: a second worker makes it when the page is idle after its first visit
 * (makeSnapshot) and keeps ONE Cache Storage entry, keyed by Pyodide's version and the bundle's
 * version (manifest.json); the module worker restores it (restoreSnapshot).
 *
 * Pyodide 314.0.7's snapshot API is private and copies the wasm heap only; three workarounds
 * (bench/snapshot_restore.mjs explains each) rely on its and Emscripten's internals, so the code
 * is pinned to VERIFIED_PYODIDE (a test fails when package.json's pin moves) and every assumption
 * is checked while restoring: any failure deletes the entry and the worker boots as usual.
 * 1. pyodide.loadedPackages (reference slot 6) must look empty while the snapshot is taken.
 * 2. The heap is grown to its recorded size before the copy (_loadSnapshot does not).
 * 3. pydantic-core's .so is loaded again at its recorded memory and table bases right after the
 *    heap copy (its allocator chunk freed so calloc hands it back), then the heap is copied again.
 * Site-packages lives outside the heap: its files are kept in the entry and written back.
 * The entry is checked whole (meta.sha256: SHA-256 over the SHA-256 of each 4 MiB piece of its
 * body, so that a restore digests the pieces side by side while Pyodide starts).
 */
import { loadPyodide, version as pyodideVersion } from "./pyodide/pyodide.mjs";

/** The Pyodide release whose internals this file was verified against. */
export const VERIFIED_PYODIDE = "314.0.7";
/** The one Cache Storage cache of snapshots (sw.js cleans only socratiq-bundle-*, socratiq-pages-*). */
export const SNAPSHOT_CACHE = "socratiq-snapshot";

const BASE = new URL(".", import.meta.url).href;
const PYODIDE = BASE + "pyodide/";

/**
 * @typedef {{path: string, handle: number, memoryBase: number, memorySize: number, tableBase: number, chunk: number}} Dylib
 * @typedef {{path: string, offset: number, size: number}} StoredFile
 * @typedef {{pyodide: string, bundle: string, buildId: string, snapshotBytes: number, filesBytes: number,
 *   sha256: string, heapSize: number, tableLength: number, dylibs: Dylib[], files: StoredFile[]}} Meta
 */

/** The cache entry's address for this Pyodide and this bundle, or null if either is unknown. */
async function entryURL() {
  if (pyodideVersion !== VERIFIED_PYODIDE) return null;
  const response = await fetch(BASE + "manifest.json", { cache: "no-cache" });
  if (!response.ok) return null;
  const { version } = await response.json();
  if (typeof version !== "string" || !/^[0-9a-f]{16,64}$/.test(version)) return null;
  return { url: `${BASE}snapshot/${pyodideVersion}/${version}`, bundle: version };
}

/** The snapshot cache, or null where Cache Storage is missing or refused (insecure context, privacy mode). */
async function openCache() {
  if (typeof caches === "undefined" || typeof WebAssembly === "undefined") return null;
  try {
    return await caches.open(SNAPSHOT_CACHE);
  } catch {
    return null;
  }
}

/** @param {ArrayBuffer} digest */
function hex(digest) {
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The body is digested in pieces of this size, side by side. */
const PIECE_BYTES = 4 << 20;

/**
 * The entry's digest: SHA-256 over the SHA-256 of each PIECE_BYTES piece of its body (the
 * pieces digested side by side, where one digest of the body would copy it whole first).
 * @param {Uint8Array<ArrayBuffer>} body
 */
async function digestBody(body) {
  /** @type {Promise<ArrayBuffer>[]} */
  const pieces = [];
  for (let at = 0; at < body.length; at += PIECE_BYTES) pieces.push(crypto.subtle.digest("SHA-256", body.subarray(at, at + PIECE_BYTES)));
  const digests = await Promise.all(pieces);
  const joined = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => joined.set(new Uint8Array(digest), i * 32));
  return hex(await crypto.subtle.digest("SHA-256", joined));
}

/**
 * The whole entry, and its digest (started now, awaited after the restore). Read whole: a BYOB
 * reader straight into one buffer was tried and, now and then, Chromium's Cache Storage body
 * stopped delivering mid-entry (48 of 54 MB), so the worker waited for ever.
 * @param {Response} response
 * @returns {Promise<{buffer: ArrayBuffer, digest: Promise<string>}>}
 */
async function readEntry(response) {
  const buffer = await response.arrayBuffer();
  return { buffer, digest: digestBody(split(buffer).body) };
}

/**
 * The entry's parts: [u32 meta length][meta JSON, padded to 16][snapshot][files].
 * @param {ArrayBuffer} buffer
 * @returns {{meta: Meta, snapshot: Uint8Array<ArrayBuffer>, files: Uint8Array<ArrayBuffer>, body: Uint8Array<ArrayBuffer>}}
 */
function split(buffer) {
  if (buffer.byteLength < 4) throw new Error("truncated entry");
  const metaBytes = new DataView(buffer).getUint32(0, true);
  const start = 4 + metaBytes + ((16 - ((4 + metaBytes) % 16)) % 16);
  if (start > buffer.byteLength) throw new Error("truncated entry");
  /** @type {Meta} */
  const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, metaBytes)));
  if (buffer.byteLength !== start + meta.snapshotBytes + meta.filesBytes) throw new Error("truncated entry");
  return {
    meta,
    snapshot: new Uint8Array(buffer, start, meta.snapshotBytes),
    files: new Uint8Array(buffer, start + meta.snapshotBytes, meta.filesBytes),
    body: new Uint8Array(buffer, start),
  };
}

/**
 * Pyodide restored from this device's snapshot, or null (none kept, or it failed: then it is
 * deleted and the caller boots as usual; a console.info says why, once).
 * @param {{stdout: (line: string) => void, stderr: (line: string) => void}} streams
 */
export async function restoreSnapshot(streams) {
  const cache = await openCache();
  if (!cache) return null;
  /** @type {string | null} */
  let url = null;
  try {
    const kept = await cache.keys();
    if (!kept.length) return null; // a first visit: no manifest.json request in its way
    // While manifest.json is asked for, the one entry kept is read (its digest started once it is
    // whole) and Pyodide's module script is parsed: each waits on something else.
    const asm = import("./pyodide/pyodide.asm.mjs");
    const newest = kept[kept.length - 1];
    const reading = cache.match(newest).then((response) => (response ? readEntry(response) : null));
    asm.catch(() => {}); // awaited below unless the restore stops first
    reading.catch(() => {});
    const entry = await entryURL();
    if (!entry) return null;
    url = entry.url;
    for (const request of kept) if (request.url !== url) await cache.delete(request); // other versions
    if (newest.url !== url) return null;
    const read = await reading;
    if (!read) return null;
    const { meta, snapshot, files } = split(read.buffer);
    if (meta.pyodide !== pyodideVersion || meta.bundle !== entry.bundle) throw new Error("entry of another version");
    const pyodide = await loadPyodide({
      indexURL: PYODIDE,
      lockFileURL: PYODIDE + "pyodide-lock.json",
      _loadSnapshot: snapshot,
      ...streams,
      // @ts-ignore: a public option that pyodide.d.ts does not declare
      createPyodideModule: async (/** @type {any} */ settings) => {
        const { default: createPyodideModule } = await asm;
        return createPyodideModule({ ...settings, preRun: [...settings.preRun, (/** @type {any} */ Module) => prepare(Module, meta, files)] });
      },
    });
    if ((await read.digest) !== meta.sha256) throw new Error("snapshot corrupt"); // digested beside the restore
    if (/** @type {any} */ (pyodide)._api.config.BUILD_ID !== meta.buildId) throw new Error("entry of another Pyodide build");
    // The restored interpreter would repeat the maker's random numbers; pydantic-core must answer.
    pyodide.runPython("import random; random.seed(); del random\nimport pydantic\nassert pydantic.TypeAdapter(int).validate_python('1') == 1\ndel pydantic");
    return pyodide;
  } catch (error) {
    console.info("[socratiq] the start-up snapshot was not usable, so it was deleted:", error instanceof Error ? error.message : error);
    if (url) await cache.delete(url).catch(() => {});
    return null;
  }
}

/**
 * The preRun hook of a restore: grow the heap, reload the .so files around the heap copy, write
 * site-packages back.
 * @param {any} Module
 * @param {Meta} meta
 * @param {Uint8Array<ArrayBuffer>} files
 */
function prepare(Module, meta, files) {
  Module.growMemory(meta.heapSize);
  /** @type {WebAssembly.Module[]} */
  const compiled = [];
  Module.addRunDependency("socratiq-dylibs");
  Promise.all(meta.dylibs.map((lib) => WebAssembly.compile(fileBytes(meta, files, lib.path))))
    .then((modules) => compiled.push(...modules))
    .finally(() => Module.removeRunDependency("socratiq-dylibs"));
  const copyHeap = Module.API.restoreSnapshot;
  Module.API.restoreSnapshot = (/** @type {Uint8Array} */ bytes) => {
    const config = copyHeap(bytes);
    if (compiled.length !== meta.dylibs.length) throw new Error("a library did not compile");
    meta.dylibs.forEach((lib, i) => {
      if (Module.wasmTable.length !== lib.tableBase) throw new Error("table base moved");
      Module._free(lib.chunk); // calloc hands the same chunk back
      const dso = Module.newDSO(lib.path, lib.handle, "loading");
      dso.global = false;
      dso.exports = Module.loadWebAssemblyModule(compiled[i], { global: false, nodelete: true, loadAsync: false }, lib.path, {}, lib.handle);
      if (Module.HEAPU32[(lib.handle + 12) >> 2] !== lib.memoryBase) throw new Error("memory base moved");
    });
    if (Module.wasmTable.length !== meta.tableLength) throw new Error("table length differs");
    Module.HEAP8.set(bytes.subarray(new Uint32Array(bytes.buffer, bytes.byteOffset, 2)[1])); // undo the loader's writes
    return config;
  };
  for (const file of meta.files) {
    Module.FS.mkdirTree(file.path.slice(0, file.path.lastIndexOf("/")));
    Module.FS.writeFile(file.path, files.subarray(file.offset, file.offset + file.size));
  }
}

/**
 * @param {Meta} meta
 * @param {Uint8Array<ArrayBuffer>} files
 * @param {string} path
 */
function fileBytes(meta, files, path) {
  const file = meta.files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} not kept`);
  return files.subarray(file.offset, file.offset + file.size);
}

// A throwaway quiz for the maker: its first render and check import and build what a reader's
// first quiz needs (math included), so a restored engine does not.
const SAMPLE_QUIZ = JSON.stringify({
  version: 1,
  id: "snapshot-sample",
  title: "Sample",
  questions: [
    {
      id: "snapshot-sample-law",
      type: "numeric",
      text: "Little's law: $L = \\lambda W$ with $\\lambda = 2$ and $W = 5$?",
      explanation: "$L = 10$.",
      value: 10,
    },
  ],
});

const WARM_ENGINE = `
import gc, json
from socratiq_local.browser import worker
from socratiq_local.browser.protocol import PROTOCOL
from socratiq_local.browser.session import warm
warm()
for message in ({"op": "init", "book": "snapshot", "writerId": "snapshot"},
                {"op": "quiz", "source": SAMPLE, "sourceName": "sample.json"},
                {"op": "check", "quizId": "snapshot-sample", "questionId": "snapshot-sample-law", "answer": 10}):
    request = {"protocol": PROTOCOL, "now": 1.79e12, "tzOffsetMinutes": 0, **message}
    reply = json.loads(worker.handle(json.dumps(request)))
    assert "result" in reply, reply
worker._session = None
del SAMPLE, json, worker, PROTOCOL, warm, message, request, reply
gc.collect()
del gc
`;

/**
 * Where each loaded .so sits: dlopen handle, memory base and size, table base, and the allocator
 * chunk that holds its memory (found from dlmalloc's chunk header below the memory base).
 * @param {any} Module
 * @returns {Dylib[]}
 */
export function dylibsOf(Module) {
  /** @type {Dylib[]} */
  const libs = [];
  for (const [key, dso] of Object.entries(Module.LDSO.loadedLibsByHandle)) {
    const handle = Number(key);
    if (!handle) continue; // the main module
    const u32 = Module.HEAPU32;
    const lib = {
      path: /** @type {any} */ (dso).name,
      handle,
      memoryBase: u32[(handle + 12) >> 2],
      memorySize: u32[(handle + 16) >> 2],
      tableBase: u32[(handle + 20) >> 2],
      chunk: 0,
    };
    const align = 2 ** Module.getDylinkMetadata(Module.FS.readFile(lib.path)).memoryAlign;
    for (let p = lib.memoryBase; p > lib.memoryBase - align && !lib.chunk; p -= 8) {
      const head = u32[(p - 4) >> 2]; // size | CINUSE (2) | PINUSE (1)
      const size = head & ~7;
      if (head & 2 && size >= lib.memorySize + align && size < lib.memorySize + align + 16) lib.chunk = p;
    }
    if (!lib.chunk) throw new Error(`${lib.path}: no allocator chunk below its memory base`);
    libs.push(lib);
  }
  return libs;
}

/**
 * @param {any} FS
 * @param {string} dir
 * @returns {[string, Uint8Array][]}
 */
export function filesUnder(FS, dir) {
  /** @type {[string, Uint8Array][]} */
  const files = [];
  for (const name of FS.readdir(dir)) {
    if (name === "." || name === "..") continue;
    const path = dir + "/" + name;
    if (FS.isDir(FS.stat(path).mode)) files.push(...filesUnder(FS, path));
    else files.push([path, FS.readFile(path)]);
  }
  return files;
}

/**
 * Make this device's snapshot unless one for this bundle is kept already: boot, import and warm
 * the engine, snapshot, keep one entry (older ones deleted). Whether one was made.
 */
export async function makeSnapshot() {
  const cache = await openCache();
  const entry = cache && (await entryURL());
  if (!cache || !entry || (await cache.match(entry.url))) return false;
  const pyodide = await loadPyodide({
    indexURL: PYODIDE,
    lockFileURL: PYODIDE + "pyodide-lock.json",
    packages: ["socratiq-local"],
    stdout: () => {},
    stderr: () => {},
    // @ts-ignore: private (issue 13), verified on VERIFIED_PYODIDE
    _makeSnapshot: true,
  });
  const Module = /** @type {any} */ (pyodide)._module;
  pyodide.globals.set("SAMPLE", SAMPLE_QUIZ);
  pyodide.runPython(WARM_ENGINE);
  const dylibs = dylibsOf(Module);
  const files = filesUnder(Module.FS, Module.API.sitePackages);
  for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name]; // "Unexpected hiwire entry" else
  const snapshot = /** @type {Uint8Array} */ (/** @type {any} */ (pyodide).makeMemorySnapshot());
  let offset = 0;
  const index = files.map(([path, bytes]) => ({ path, offset: (offset += bytes.length) - bytes.length, size: bytes.length }));
  const body = new Uint8Array(snapshot.length + offset);
  body.set(snapshot);
  for (const [i, [, bytes]] of files.entries()) body.set(bytes, snapshot.length + index[i].offset);
  /** @type {Meta} */
  const meta = {
    pyodide: pyodideVersion,
    bundle: entry.bundle,
    buildId: /** @type {any} */ (pyodide)._api.config.BUILD_ID,
    snapshotBytes: snapshot.length,
    filesBytes: offset,
    sha256: await digestBody(body),
    heapSize: Module.HEAP8.length,
    tableLength: Module.wasmTable.length,
    dylibs,
    files: index,
  };
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const head = new Uint8Array(4 + metaBytes.length + ((16 - ((4 + metaBytes.length) % 16)) % 16));
  new DataView(head.buffer).setUint32(0, metaBytes.length, true);
  head.set(metaBytes, 4);
  for (const request of await cache.keys()) await cache.delete(request); // one entry: older versions go
  await cache.put(entry.url, new Response(new Blob([head, body]), { headers: { "Content-Type": "application/octet-stream" } }));
  return true;
}
