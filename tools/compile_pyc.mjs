// Precompile Python archives to bytecode for the bundle's own CPython (Pyodide's, in Node), so
// readers' browsers do not compile every module from source at each start.
//
//   node tools/compile_pyc.mjs [--optimize 0|1|2] [--only modules.json] <pyodide-dir>
//                              <in.zip|whl>=<out.zip|whl> ...
//
// --only names the modules to compile (a JSON list, from tools/hot_modules.mjs): every other
// module stays source, smaller to download and compiled only if a page ever imports it.
// --optimize is compile()'s (2: as python -OO, no asserts and no docstrings; default 0).
// Code is compiled without column positions (CPython's PYTHONNODEBUGRANGES, i.e. -X
// no_debug_ranges): line numbers stay exact, tracebacks lose only their ^^^ markers, and the
// bytecode is a quarter smaller (bench/: the stdlib 2.62 -> 2.0 MB).
// Each archive is rewritten with every `x.py` replaced by a sourceless `x.pyc` (unchecked-hash
// header, so no timestamp is stored; compiled with the `<prefix>/name` path the file will have
// at run time: /lib/python314.zip/ for the stdlib, /lib/python3.14/site-packages/ for wheels),
// every other member kept as it is, in the same order, with fixed dates and a fixed
// compression level, and a wheel's RECORD rewritten to match. Wheels are written with Zstandard
// members (level 19): Pyodide unpacks them with Python 3.14's zipfile, which reads them, and
// they are a sixth smaller than deflate (pydantic-core's 4.7 MB library: 1.47 -> 1.04 MB). The
// stdlib archive stays deflate: zipimport reads nothing else. Same input, same output bytes
// (tools/build_bundle.py checks it). Nothing is fetched: any fetch aborts.
import { readFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";

globalThis.fetch = (resource) =>
  Promise.reject(new Error(`compile_pyc.mjs: refusing to fetch ${resource} (offline build)`));

const COMPILE = String.raw`
import base64, hashlib, importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def _record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

def module_name(member):
    name = member[:-3].replace("/", ".")
    return name[:-9] if name.endswith(".__init__") else name

def compile_archive(src, dst, prefix, optimize, only):
    wheel = dst.endswith(".whl")
    method, level = (zipfile.ZIP_ZSTANDARD, 19) if wheel else (zipfile.ZIP_DEFLATED, 9)
    members = []  # (name, bytes) in the input's order
    compiled = kept = 0
    with zipfile.ZipFile(src) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            data = z.read(info)
            name = info.filename
            if not name.endswith(".py"):
                members.append((name, data))
                continue
            if only is not None and module_name(name) not in only:  # a typical session skips it
                members.append((name, data)); kept += 1
                continue
            try:
                code = compile(data, prefix + name, "exec", dont_inherit=True, optimize=optimize)
            except SyntaxError:  # not meant to be imported (templates, test data): keep
                members.append((name, data)); kept += 1
                continue
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            members.append((name + "c", bytes(pyc))); compiled += 1
    record = [n for n, _ in members if n.endswith(".dist-info/RECORD")]
    if record:
        lines = [f"{n},{_record_hash(d)},{len(d)}" for n, d in members if n != record[0]]
        lines.append(f"{record[0]},,")
        members = [(n, ("\n".join(lines) + "\n").encode() if n == record[0] else d) for n, d in members]
    with zipfile.ZipFile(dst, "w") as out:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o644 << 16
            out.writestr(info, data, compresslevel=level)
    return compiled, kept
`;

async function main() {
  const argv = process.argv.slice(2);
  let optimize = 0;
  let only = null;
  while (argv[0]?.startsWith("--")) {
    const [flag, value] = argv.splice(0, 2);
    if (flag === "--optimize") optimize = Number(value);
    else if (flag === "--only") only = JSON.parse(readFileSync(value, "utf8"));
    else throw new Error(`unknown option ${flag}`);
  }
  if (![0, 1, 2].includes(optimize)) throw new Error("--optimize takes 0, 1 or 2");
  if (only !== null && !(Array.isArray(only) && only.every((m) => typeof m === "string")))
    throw new Error("--only takes a JSON list of module names");
  const [pyodideDir, ...pairs] = argv;
  if (!pyodideDir || pairs.length === 0 || pairs.some((p) => !p.includes("=")))
    throw new Error("usage: node tools/compile_pyc.mjs <pyodide-dir> <in>=<out> ...");
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(new URL("file://" + indexURL + "pyodide.mjs").href);
  const pyodide = await loadPyodide({
    indexURL,
    env: { PYTHONNODEBUGRANGES: "1" },
    stdout: () => {},
    stderr: (s) => process.stderr.write(s + "\n"),
  });
  if (pyodide.runPython("list(compile('x', '', 'eval').co_positions())[0][2]") !== undefined)
    throw new Error("PYTHONNODEBUGRANGES was not honoured: columns would be compiled in");
  pyodide.runPython(COMPILE);
  const onlySet = only === null ? null : pyodide.runPython("frozenset")(pyodide.toPy(only));
  const version = pyodide.runPython("import sys; f'{sys.version_info[0]}.{sys.version_info[1]}'");
  const tag = version.replace(".", "");
  for (const pair of pairs) {
    const [src, dst] = pair.split("=").map((p) => path.resolve(p));
    pyodide.FS.mkdirTree("/host");
    pyodide.mountNodeFS("/host", "/");
    const prefix = src.endsWith(".whl") ? `/lib/python${version}/site-packages/` : `/lib/python${tag}.zip/`;
    const [compiled, kept] = pyodide.globals
      .get("compile_archive")("/host" + src, "/host" + dst, prefix, optimize, onlySet)
      .toJs();
    pyodide.FS.unmount("/host");
    process.stdout.write(`${path.basename(src)}: ${compiled} modules compiled, ${kept} kept as source\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`compile_pyc.mjs: ${error.stack || error}\n`);
  process.exit(1);
});
