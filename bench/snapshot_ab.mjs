// bench/snapshot_ab.mjs (node bench/snapshot_ab.mjs, after ./build.sh bundle): a full worker start
// (boot + our wheels + import) from a normal boot vs from a bare-interpreter memory snapshot, in
// alternating pairs, in Node; bench/README.md reports it (Pyodide's private snapshot API).
import { loadPyodide } from "../web/dist/pyodide/pyodide.mjs";
const indexURL = new URL("../web/dist/pyodide/", import.meta.url).pathname;
const lockFileURL = indexURL + "pyodide-lock.json";
const maker = await loadPyodide({ indexURL, _makeSnapshot: true });
const snap = maker.makeMemorySnapshot();
const rows = { boot: [], restore: [], fullBoot: [], fullRestore: [] };
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (let i = 0; i < 8; i++) {
  for (const mode of i % 2 ? ["restore", "boot"] : ["boot", "restore"]) {
    const opts = mode === "boot" ? { indexURL } : { indexURL, _loadSnapshot: snap };
    let t = performance.now();
    const py = await loadPyodide({ ...opts, lockFileURL });
    const bare = performance.now() - t;
    await py.loadPackage(["socratiq-local"], { messageCallback: () => {} });
    py.pyimport("socratiq_local.browser.worker");
    const full = performance.now() - t;
    rows[mode].push(bare);
    rows[mode === "boot" ? "fullBoot" : "fullRestore"].push(full);
  }
}
for (const [k, v] of Object.entries(rows)) console.log(k, Math.round(med(v)), v.map(Math.round).join(" "));
