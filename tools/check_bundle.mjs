// Check a built bundle (web/dist) the way a reader's worker uses it, in the real Pyodide under
// Node, with no network:
//
//   node tools/check_bundle.mjs [web/dist] [--import module]...
//
// 1. manifest.json: every file it lists exists with that size and sha256 (and integrity), no
//    file is unlisted, and "version" is the hash of the listing.
// 2. pyodide/pyodide-lock.json: every file_name is a plain relative name, its file has the
//    locked sha256 (Node's Pyodide checks no hashes itself), every dependency is in the lock.
// 3. Boots Pyodide from <dist>/pyodide/ exactly as web/worker.js does
//    (loadPyodide({indexURL, lockFileURL, packages: ["socratiq-local"]})), so dependencies must
//    resolve from our lock, then imports every module the lock lists, checks each installed
//    distribution's version against the lock, and imports socratiq_local.quiz.grading plus any
//    --import module. Any fetch() (Pyodide's way to reach a CDN under Node) fails the check.
//
// Exit status 0 when everything holds, 1 otherwise.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const problems = [];
const networkAttempts = [];

globalThis.fetch = (resource) => {
  const url = typeof resource === "string" ? resource : (resource?.url ?? String(resource));
  networkAttempts.push(url);
  return Promise.reject(new Error(`check_bundle.mjs: refusing to fetch ${url}: the bundle must be self-contained`));
};

// loadPyodide({packages}) reports a package missing from the lock by an error thrown outside
// its promise (Node would print the whole minified pyodide.asm.mjs line): report it briefly.
function crash(err) {
  const first = String(err?.stack ?? err).split("\n").slice(0, 3).join("\n    ");
  process.stderr.write(`check_bundle.mjs: FAILED while booting:\n  ${[...problems, first].join("\n  ")}\n`);
  process.exit(1);
}
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

function parseArgs(argv) {
  let dist = null;
  const imports = ["socratiq_local.quiz.grading"];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--import") imports.push(argv[++i]);
    else if (!dist) dist = argv[i];
    else throw new Error(`unexpected argument ${argv[i]}`);
  }
  return { dist: path.resolve(dist ?? path.join(ROOT, "web", "dist")), imports };
}

const sha256 = (buf) => createHash("sha256").update(buf).digest();

function walk(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...walk(path.join(dir, entry.name), rel + "/"));
    else out.push(rel);
  }
  return out;
}

function checkManifest(dist) {
  const manifest = JSON.parse(readFileSync(path.join(dist, "manifest.json"), "utf8"));
  const listed = new Set();
  let total = 0;
  for (const file of manifest.files) {
    listed.add(file.path);
    const full = path.join(dist, file.path);
    if (!existsSync(full)) {
      problems.push(`manifest lists ${file.path}, which is missing`);
      continue;
    }
    const buf = readFileSync(full);
    const digest = sha256(buf);
    total += buf.length;
    if (buf.length !== file.size) problems.push(`${file.path}: size ${buf.length}, manifest says ${file.size}`);
    if (digest.toString("hex") !== file.sha256) problems.push(`${file.path}: sha256 differs from the manifest`);
    if (`sha256-${digest.toString("base64")}` !== file.integrity) problems.push(`${file.path}: integrity differs`);
  }
  for (const rel of walk(dist)) {
    if (rel !== "manifest.json" && !listed.has(rel)) problems.push(`${rel} is in the bundle but not in manifest.json`);
  }
  const version = createHash("sha256")
    .update(manifest.files.map((f) => `${f.path}\0${f.sha256}\n`).join(""))
    .digest("hex");
  if (version !== manifest.version) problems.push("manifest version is not the hash of its file list");
  if (total !== manifest.total_size) problems.push(`manifest total_size ${manifest.total_size}, files sum to ${total}`);
  return manifest;
}

function checkLock(dist) {
  const lock = JSON.parse(readFileSync(path.join(dist, "pyodide", "pyodide-lock.json"), "utf8"));
  for (const [key, pkg] of Object.entries(lock.packages)) {
    if (!/^[A-Za-z0-9._+-]+\.whl$/.test(pkg.file_name)) {
      problems.push(`lock ${key}: file_name ${pkg.file_name} is not a plain relative wheel name`);
      continue;
    }
    const full = path.join(dist, "pyodide", pkg.file_name);
    if (!existsSync(full)) problems.push(`lock ${key}: ${pkg.file_name} is missing`);
    else if (sha256(readFileSync(full)).toString("hex") !== pkg.sha256) problems.push(`lock ${key}: sha256 mismatch`);
    for (const dep of pkg.depends) if (!(dep in lock.packages)) problems.push(`lock ${key}: depends on ${dep}, not in the lock`);
  }
  if (!("socratiq-local" in lock.packages)) problems.push("lock has no socratiq-local");
  return lock;
}

async function boot(dist, lock, imports) {
  const indexURL = path.join(dist, "pyodide") + path.sep;
  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const stderr = [];
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: indexURL + "pyodide-lock.json",
    packages: ["socratiq-local"],
    stdout: () => {},
    stderr: (line) => stderr.push(line),
  });
  const t1 = performance.now();
  pyodide.globals.set("LOCK", pyodide.toPy(lock.packages));
  pyodide.globals.set("IMPORTS", pyodide.toPy(imports));
  const result = await pyodide.runPythonAsync(`
import importlib, importlib.metadata, json, sys
bad = []
for key, pkg in LOCK.items():
    try:
        have = importlib.metadata.version(pkg["name"])
        if have != pkg["version"]:
            bad.append(f"{key}: installed {have}, lock says {pkg['version']}")
    except importlib.metadata.PackageNotFoundError:
        bad.append(f"{key}: not installed by loadPyodide(packages=['socratiq-local'])")
    for mod in pkg["imports"]:
        try:
            importlib.import_module(mod)
        except Exception as err:
            bad.append(f"import {mod} ({key}): {type(err).__name__}: {err}")
for mod in IMPORTS:
    try:
        importlib.import_module(mod)
    except Exception as err:
        bad.append(f"import {mod}: {type(err).__name__}: {err}")
json.dumps({"bad": bad, "python": sys.version.split()[0]})
`);
  const t2 = performance.now();
  const { bad, python } = JSON.parse(result);
  problems.push(...bad);
  if (bad.length && stderr.length) problems.push(`Pyodide stderr:\n    ${stderr.join("\n    ")}`);
  return { python, boot: (t1 - t0) / 1000, imports: (t2 - t1) / 1000 };
}

async function main() {
  const { dist, imports } = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(dist, "manifest.json"))) {
    process.stderr.write(`check_bundle.mjs: ${dist}/manifest.json is missing: run ./build.sh bundle\n`);
    process.exit(1);
  }
  const manifest = checkManifest(dist);
  const lock = checkLock(dist);
  const timing = await boot(dist, lock, imports);
  if (networkAttempts.length) problems.push(`network access attempted: ${networkAttempts.join(", ")}`);
  if (problems.length) {
    process.stderr.write(`check_bundle.mjs: ${dist} FAILED:\n  ${problems.join("\n  ")}\n`);
    process.exit(1);
  }
  const mb = (statSync(path.join(dist, "manifest.json")).size + manifest.total_size) / 1e6;
  process.stdout.write(
    `check_bundle.mjs: ${path.relative(process.cwd(), dist) || "."} OK: ${manifest.files.length + 1} files, ` +
      `${mb.toFixed(2)} MB, ${Object.keys(lock.packages).length} wheels, Python ${timing.python}, ` +
      `boot + wheels ${timing.boot.toFixed(2)} s, imports ${timing.imports.toFixed(2)} s, no network\n`,
  );
}

main().catch(crash);
