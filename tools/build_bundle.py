"""Build web/dist/: the one self-contained folder a book serves to its readers.

    python tools/build_bundle.py [--out web/dist] [--web web]

Run it with the project's .venv python (it needs `build` and `hatchling` importable, both
pinned in requirements-dev.txt) and with `node` on PATH and node_modules/pyodide installed
(`npm ci`). Layout written (nothing else; every path relative, so the folder works unchanged at
any URL path of any static host):

    socratiq.js                one classic script (IIFE): web/src/main.js and the modules it
                               imports, bundled by esbuild (pinned in package.json)
    worker.js sw.js ...        every top-level *.js and *.css of --web, as they are
    styles.css                 web/styles/*.css joined in name order (one file per concern)
    languages/*.json           the UI text tables (src/socratiq_local/languages/)
    pyodide/pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm   (npm pyodide, as they are)
    pyodide/python_stdlib.zip  npm pyodide's, lean: modules a quiz page never imports dropped
                               (STDLIB_DROP); those a typical session imports precompiled to
                               bytecode for Pyodide's CPython, the rest left as source
                               (tools/compile_pyc.mjs; --source-stdlib ships it all as source)
    pyodide/*.whl              the wheels pinned in requirements-pyodide.txt + socratiq_local's,
                               their hot modules precompiled the same way, members compressed
                               with Zstandard, parts no page imports left out (UNUSED_PARTS)
                               and METADATA without its long description (same names;
                               --source-wheels: as pinned)
    pyodide/pyodide-lock.json  exactly those wheels (relative file_name, sha256, depends,
                               imports), with the stock lock's "info"
    manifest.json              every other file: path, size, sha256, integrity; and "version"

Steps: web/src/protocol.js is checked against the engine's protocol models
(tools/protocol_js.py; a difference stops the build); the pinned wheels come from tests/pyodide/fetch_wheels.py (pip, --require-hashes);
our wheel from `python -m build --wheel --no-isolation` with SOURCE_DATE_EPOCH fixed (see
source_date_epoch); the dependency graph from micropip itself running in Pyodide under Node
(tools/make_lock.mjs, micropip's PyPI wheel pinned in tools/requirements-lock-tools.txt), then
post-processed here: file names made relative, imports read from each wheel, every sha256
recomputed and compared with the pin and with micropip's. The hot modules are those
tools/typical_session.py imports (tools/hot_modules.mjs runs it in Pyodide under Node with the
wheels installed). The stdlib is compiled by Pyodide's own CPython in Node (sourceless
unchecked-hash .pyc without column tables, fixed zip dates): no module a reader's page imports
is compiled in the browser at start-up (bench/: the largest start-up saving), and modules it
never imports cost their smaller source size on the wire. The wheels are compiled the same way
(asserts and docstrings kept) after their pinned hashes are checked and micropip has resolved
them; the lock then records the compiled files' sha256 (what readers' browsers check).
Output is byte-for-byte reproducible
(sorted JSON, no timestamps, fixed wheel dates). The folder is assembled next to --out and
swapped in at the end, so a failed build leaves the previous bundle alone.

Exit status 0 on success, 1 on any failure (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from collections.abc import Callable
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
PAGE_SCRIPT = "socratiq.js"
LANGUAGES_DIR = ROOT / "src" / "socratiq_local" / "languages"
PYODIDE_CORE = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
READER_REQUIREMENTS = ROOT / "requirements-pyodide.txt"
LOCK_TOOLS_REQUIREMENTS = ROOT / "tools" / "requirements-lock-tools.txt"
LOCK_TOOLS_DIR = ROOT / "build" / "lock-tools"
MAKE_LOCK = ROOT / "tools" / "make_lock.mjs"
COMPILE_PYC = ROOT / "tools" / "compile_pyc.mjs"
HOT_MODULES = ROOT / "tools" / "hot_modules.mjs"
STDLIB = "python_stdlib.zip"
# Stdlib parts a quiz page never imports (debuggers, test runners, REPL, servers, mail, other
# platforms' codecs). Prefixes of paths inside python_stdlib.zip.
STDLIB_DROP = (
    "multiprocessing/", "_pyrepl/", "unittest/", "xmlrpc/", "wsgiref/", "sqlite3/", "ctypes/",
    "idlelib/", "tkinter/", "turtledemo/", "lib2to3/", "ensurepip/", "venv/", "curses/",
    "dbm/", "http/server.py", "pdb.py", "doctest.py", "pydoc.py", "bdb.py", "trace.py",
    "pstats.py", "profile.py", "cProfile.py", "imaplib.py", "smtplib.py", "ftplib.py",
    "poplib.py", "mailbox.py", "socketserver.py", "modulefinder.py", "wave.py", "tabnanny.py",
    "pyclbr.py", "zipapp.py", "pickletools.py", "timeit.py", "turtle.py", "_pyio.py",
)  # fmt: skip
# encodings/: only the codecs a page can meet (text reaches Python already decoded).
_ENCODINGS = (
    "__init__", "aliases", "ascii", "latin_1", "utf_8", "utf_8_sig", "utf_16", "utf_16_le",
    "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "idna", "punycode", "raw_unicode_escape",
    "unicode_escape", "charmap", "cp1252", "cp437", "base64_codec", "hex_codec", "undefined",
)  # fmt: skip
STDLIB_ENCODINGS_KEEP = frozenset(f"encodings/{name}.py" for name in _ENCODINGS)
# The stdlib's own modules are compiled as `python -OO` would (asserts and docstrings
# dropped: CPython supports and tests its stdlib that way); 0.3 MB less to download.
STDLIB_OPTIMIZE = 2
# Zip timestamps cannot go below 1980; used when there is no git history to take a date from.
FALLBACK_EPOCH = 315532800  # 1980-01-01T00:00:00Z
OUR_PACKAGE = "socratiq-local"
# tools/hatch_bundle.py puts the bundle this names into the wheel (see build_our_wheel).
BUNDLE_ENV = "SOCRATIQ_LOCAL_BUNDLE"


class BuildError(Exception):
    pass


def _load_fetch_wheels() -> Any:
    """tests/pyodide/fetch_wheels.py as a module: one parser and one downloader for pins."""
    path = ROOT / "tests" / "pyodide" / "fetch_wheels.py"
    spec = importlib.util.spec_from_file_location("fetch_wheels", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fw = _load_fetch_wheels()
normalize = fw.normalize


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def log(message: str) -> None:
    print(f"bundle: {message}", flush=True)


def dumps(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


# --- inputs -----------------------------------------------------------------------------------


def check_pyodide_npm() -> str:
    if not (PYODIDE_NPM / "pyodide.mjs").exists():
        raise BuildError("node_modules/pyodide is missing: run npm ci")
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyodide"]
    installed = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    if installed != pinned:
        raise BuildError(
            f"node_modules has pyodide {installed}, package.json pins {pinned}: npm ci"
        )
    return str(installed)


def pinned_wheels(req_file: Path, wheel_dir: Path) -> list[Path]:
    """The one wheel per pin of req_file in wheel_dir whose sha256 is pinned (else BuildError)."""
    found = []
    for name, version, hashes in fw.parse_requirements(req_file):
        good = [
            w
            for w in sorted(wheel_dir.glob("*.whl"))
            if (normalize(w.name.split("-")[0]), w.name.split("-")[1]) == (name, version)
            and sha256_file(w) in hashes
        ]
        if not good:
            raise BuildError(
                f"{req_file.name}: no wheel for {name}=={version} with a pinned sha256"
            )
        found.append(good[0])
    return found


def reader_wheels() -> list[Path]:
    if fw.main() != 0:  # downloads (once) and verifies everything pinned for Pyodide
        raise BuildError("fetching the pinned Pyodide wheels failed")
    return pinned_wheels(READER_REQUIREMENTS, fw.WHEEL_DIR)


def micropip_wheel() -> Path:
    try:
        return pinned_wheels(LOCK_TOOLS_REQUIREMENTS, LOCK_TOOLS_DIR)[0]
    except BuildError:
        pass
    LOCK_TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--require-hashes", *fw.PIP_TARGET, "-d", str(LOCK_TOOLS_DIR),
           "-r", str(LOCK_TOOLS_REQUIREMENTS)]  # fmt: skip
    log("downloading micropip (build-time only) with pip")
    if subprocess.run(cmd, check=False).returncode != 0:
        raise BuildError("pip could not download the pinned micropip wheel")
    return pinned_wheels(LOCK_TOOLS_REQUIREMENTS, LOCK_TOOLS_DIR)[0]


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH if set; else the date of the last commit touching the package's
    sources (so a commit elsewhere does not change the wheel, the bundle version, and every
    reader's cache); else 1980-01-01."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "src", "pyproject.toml"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        return max(int(out), FALLBACK_EPOCH) if out else FALLBACK_EPOCH
    except (OSError, subprocess.CalledProcessError, ValueError):
        return FALLBACK_EPOCH


def build_our_wheel(out_dir: Path, bundle: Path | None = None) -> Path:
    """socratiq_local's wheel, reproducibly. `bundle`: a built bundle folder to carry as package
    data (tools/hatch_bundle.py; the wheel authors install); without it, none (the wheel the
    bundle ships to Pyodide, whatever the caller's environment says)."""
    for module in ("build", "hatchling"):
        if importlib.util.find_spec(module) is None:
            raise BuildError(
                f"{sys.executable} cannot import {module!r}: it is pinned in requirements-dev.txt "
                "(./build.sh setup installs it)"
            )
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch()))
    env.pop(BUNDLE_ENV, None)
    if bundle is not None:
        env[BUNDLE_ENV] = str(bundle)
    # --no-isolation: use the pinned hatchling already installed, no download per build.
    cmd = [
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--no-isolation",
        "--outdir",
        str(out_dir),
        str(ROOT),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wheels = sorted(out_dir.glob("socratiq_local-*-py3-none-any.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        raise BuildError(f"python -m build failed:\n{result.stdout}{result.stderr}")
    return wheels[0]


#: What an author's tools use and a reader's browser never imports: left out of the wheel the
#: bundle ships to Pyodide (the typical session, run on the bundle at build time, proves it).
AUTHOR_ONLY = (
    "socratiq_local/__main__.py",
    "socratiq_local/cli.py",
    "socratiq_local/packaged_bundle.py",
    "socratiq_local/sphinx.py",
    "socratiq_local/integrations/",
    "socratiq_local/importers/gift",
    "socratiq_local/importers/jupyterquiz.py",
    "socratiq_local/importers/native.py",
    "socratiq_local/importers/pages.py",
    "socratiq_local/importers/quizdown.py",
)


#: Parts of the pinned wheels that no reader's page imports, left out of the bundle's copies
#: (the browser tests run on what is kept): pydantic's v1 compatibility package and its
#: experimental API (116 KB on the wire), and mdit-py-plugins' plugins but dollarmath, the one
#: render/markdown.py uses (55 KB). Keyed by normalized distribution name.
UNUSED_PARTS: dict[str, tuple[str, ...]] = {
    "pydantic": ("pydantic/v1/", "pydantic/experimental/"),
}
MDIT_PLUGINS_KEPT = (
    "mdit_py_plugins/__init__.py", "mdit_py_plugins/utils.py", "mdit_py_plugins/py.typed",
    "mdit_py_plugins/dollarmath/",
)  # fmt: skip


def unused_by_readers(dist: str, member: str) -> bool:
    """Whether `member` of the pinned wheel of `dist` is one a reader's page never imports."""
    if dist == "mdit-py-plugins" and member.startswith("mdit_py_plugins/"):
        return not member.startswith(MDIT_PLUGINS_KEPT)
    return member.startswith(UNUSED_PARTS.get(dist, ()))


def record_hash(data: bytes) -> str:
    """A wheel RECORD's hash field."""
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def lean_wheel(wheel: Path, dropped: Callable[[str], bool]) -> Path:
    """`wheel` rewritten in place for readers: without the members `dropped` names, and with a
    METADATA of headers only (its long description, the project's README and sometimes its
    changelog, is up to 28 KB on every reader's wire; licences stay); RECORD to match."""
    record_name = next(
        n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/RECORD")
    )
    dist_info = record_name.rsplit("/", 1)[0]
    kept: list[tuple[zipfile.ZipInfo, bytes]] = []
    with zipfile.ZipFile(wheel) as source:
        for info in source.infolist():
            if info.filename == record_name or dropped(info.filename):
                continue
            data = source.read(info)
            if info.filename == f"{dist_info}/METADATA":
                data = data.split(b"\n\n", 1)[0] + b"\n"  # the headers; the body is the README
            kept.append((info, data))
    record = "".join(f"{info.filename},{record_hash(data)},{len(data)}\n" for info, data in kept)
    record += f"{record_name},,\n"
    rewritten = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            out.writestr(info, data)
        out.writestr(zipfile.ZipInfo(record_name, date_time=kept[0][0].date_time), record)
    rewritten.replace(wheel)
    return wheel


def reader_wheel(wheel: Path) -> Path:
    """Our `wheel` for readers: no author-only modules, no console script (lean_wheel)."""
    dropped = (*AUTHOR_ONLY, f"socratiq_local-{wheel_version(wheel)}.dist-info/entry_points.txt")
    return lean_wheel(wheel, lambda member: member.startswith(dropped))


def wheel_version(wheel: Path) -> str:
    """The version in a wheel's file name (name-version-tags.whl)."""
    return wheel.name.split("-")[1]


# --- the lock ---------------------------------------------------------------------------------


def wheel_imports(wheel: Path) -> list[str]:
    """Top-level import names: top_level.txt when the wheel has one, else its top-level
    packages (directories with an __init__.py), modules (*.py) and extension modules."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        for name in names:
            parts = name.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "top_level.txt":
                lines = z.read(name).decode().split()
                return sorted({line.split("/")[0] for line in lines if line and "." not in line})
    found = set()
    for name in names:
        parts = name.split("/")
        if parts[0].endswith((".dist-info", ".data")):
            continue
        if len(parts) == 1 and parts[0].endswith(".py"):
            found.add(parts[0][:-3])
        elif len(parts) == 1 and parts[0].endswith(".so"):
            found.add(parts[0].split(".")[0])
        elif len(parts) == 2 and parts[1] == "__init__.py":
            found.add(parts[0])
    return sorted(found)


def run_node(script: Path, *args: str) -> str:
    try:
        result = subprocess.run(["node", str(script), *args], capture_output=True, text=True,
                                check=False)  # fmt: skip
    except FileNotFoundError as err:
        raise BuildError("node is not on PATH") from err
    if result.returncode != 0:
        raise BuildError(f"tools/{script.name} failed:\n{result.stderr}")
    return result.stdout


def micropip_freeze(wheels: list[Path], micropip: Path) -> dict[str, Any]:
    frozen: dict[str, Any] = json.loads(
        run_node(MAKE_LOCK, str(PYODIDE_NPM), str(micropip), *map(str, wheels))
    )
    return frozen


def make_lock(wheels: list[Path], micropip: Path) -> dict[str, Any]:
    """Our lock: micropip's resolution of exactly these wheels, checked and made relative."""
    frozen = micropip_freeze(wheels, micropip)
    by_url = {}
    for key, entry in frozen["packages"].items():
        if entry["file_name"].startswith("file://"):
            by_url[entry["file_name"].rsplit("/", 1)[-1]] = (key, entry)
    shipped = {w.name for w in wheels}
    if set(by_url) != shipped:
        raise BuildError(
            "micropip installed a different set of wheels than given: "
            f"missing {sorted(shipped - set(by_url))}, extra {sorted(set(by_url) - shipped)}"
        )
    stock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    packages = {}
    for wheel in wheels:
        key, entry = by_url[wheel.name]
        digest = sha256_file(wheel)
        if entry["sha256"] != digest:
            raise BuildError(
                f"{wheel.name}: micropip saw sha256 {entry['sha256']}, file has {digest}"
            )
        packages[normalize(key)] = {
            "name": entry["name"],
            "version": entry["version"],
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": digest,
            "package_type": "package",
            "imports": wheel_imports(wheel),
            "depends": sorted(normalize(d) for d in entry["depends"]),
        }
    for key, entry in packages.items():
        unknown = [d for d in entry["depends"] if d not in packages]
        if unknown:
            raise BuildError(f"{key} depends on {unknown}, which the bundle does not ship")
    if OUR_PACKAGE not in packages:
        raise BuildError(f"{OUR_PACKAGE} is not in micropip's lock")
    return {"info": stock["info"], "packages": packages}


# --- assembling -------------------------------------------------------------------------------


def stdlib_dropped(name: str) -> bool:
    if name.startswith("encodings/") and name.endswith(".py"):
        return name not in STDLIB_ENCODINGS_KEEP
    return name.startswith(STDLIB_DROP)


def hot_modules(wheels: list[Path], out: Path) -> int:
    """tools/hot_modules.mjs: the modules a typical session imports, as JSON in `out`."""
    modules = json.loads(run_node(HOT_MODULES, str(PYODIDE_NPM), *map(str, wheels)))
    out.write_bytes(dumps(modules))
    return len(modules)


def compile_pyc(pairs: list[tuple[Path, Path]], optimize: int, only: Path | None) -> None:
    """tools/compile_pyc.mjs: each source archive to a precompiled copy, in Pyodide's CPython.

    Only the modules listed in `only` are compiled; the others stay source."""
    run_node(COMPILE_PYC, "--optimize", str(optimize), *(["--only", str(only)] if only else []),
             str(PYODIDE_NPM), *(f"{src}={dst}" for src, dst in pairs))  # fmt: skip


def lean_stdlib(src: Path, dst: Path, only: Path | None) -> None:
    """npm pyodide's python_stdlib.zip without STDLIB_DROP; the `only` modules precompiled."""
    trimmed = dst.with_suffix(".trimmed.zip") if only else dst
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(trimmed, "w") as zout:
        for info in zin.infolist():
            if info.is_dir() or stdlib_dropped(info.filename):
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, zin.read(info), compresslevel=9)
    if only:
        compile_pyc([(trimmed, dst)], STDLIB_OPTIMIZE, only)
        trimmed.unlink()


def manifest_for(folder: Path, pyodide_version: str) -> dict[str, Any]:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == "manifest.json":
            continue
        raw = path.read_bytes()
        files.append({
            "path": rel,
            "size": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "integrity": "sha256-" + base64.b64encode(hashlib.sha256(raw).digest()).decode(),
        })  # fmt: skip
    version = hashlib.sha256(
        "".join(f"{f['path']}\0{f['sha256']}\n" for f in files).encode()
    ).hexdigest()
    return {
        "schema": 1,
        "version": version,
        "pyodide": pyodide_version,
        "total_size": sum(f["size"] for f in files),
        "files": files,
    }


def write_styles(folder: Path, out: Path) -> None:
    """The one stylesheet each shadow root links: web/styles/*.css, by concern, in name order."""
    parts = sorted(folder.glob("*.css"))
    if not parts:
        raise BuildError(f"{folder}: no stylesheets")
    out.write_bytes(b"\n".join(p.read_bytes().rstrip(b"\n") + b"\n" for p in parts))


def check_protocol_js() -> None:
    """The page's copy of the worker protocol (web/src/protocol.js) is what the engine's models
    give now: a page and an engine that disagree are never bundled together."""
    spec = importlib.util.spec_from_file_location("protocol_js", ROOT / "tools" / "protocol_js.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.OUT.read_text(encoding="utf-8") != module.render():
        raise BuildError(
            "web/src/protocol.js differs from src/socratiq_local/browser/protocol.py:"
            " run ./build.sh protocol"
        )


def bundle_page_script(src: Path, out: Path, version: str) -> None:
    """The page's ES modules (src/main.js and its imports) as one classic script, so hosts keep
    one plain <script> tag; the shipped languages (`__LANGUAGES__`) and the package version
    (`__VERSION__`, our wheel's) are compiled in."""
    languages = sorted(table.stem for table in LANGUAGES_DIR.glob("*.json"))
    cmd = [
        str(ESBUILD), os.path.relpath(src / "main.js", ROOT), "--bundle", "--format=iife", "--target=es2020",
        "--charset=utf8", "--legal-comments=none", "--log-level=warning",
        f"--define:__LANGUAGES__={json.dumps(languages)}",
        f"--define:__VERSION__={json.dumps(version)}", f"--outfile={out}",
    ]  # fmt: skip
    try:
        # from ROOT: the path comments esbuild writes are then the same on every machine
        result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    except FileNotFoundError as err:
        raise BuildError(f"{ESBUILD} is missing: run npm ci") from err
    if result.returncode != 0:
        raise BuildError(f"esbuild failed:\n{result.stderr}")


def copy_languages(out: Path) -> None:
    """The UI text tables, for the page scripts (the engine reads the same files in its wheel)."""
    out.mkdir()
    for table in sorted(LANGUAGES_DIR.glob("*.json")):
        shutil.copyfile(table, out / table.name)


def assemble(
    out: Path, web: Path, compile_stdlib: bool = True, compile_wheels: bool = True
) -> dict[str, Any]:
    t0 = time.perf_counter()
    check_protocol_js()
    pyodide_version = check_pyodide_npm()
    wheels = reader_wheels()
    micropip = micropip_wheel()
    out.parent.mkdir(parents=True, exist_ok=True)
    (ROOT / "build").mkdir(exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix="bundle-", dir=ROOT / "build"))
    try:
        wheel_tmp = stage / "_wheel"
        wheel_tmp.mkdir()
        ours = reader_wheel(build_our_wheel(wheel_tmp))
        t1 = time.perf_counter()
        log(f"built {ours.name} in {t1 - t0:.1f} s (SOURCE_DATE_EPOCH={source_date_epoch()})")
        all_wheels = [*wheels, ours]
        lock = make_lock(all_wheels, micropip)
        t2 = time.perf_counter()
        log(f"lock for {len(lock['packages'])} wheels from micropip in {t2 - t1:.1f} s")
        hot = stage / "hot-modules.json" if compile_stdlib or compile_wheels else None
        if hot:
            count = hot_modules(all_wheels, hot)
            t2 = time.perf_counter()
            log(f"a typical session imports {count} modules: only those are precompiled")

        dist = stage / "dist"
        (dist / "pyodide").mkdir(parents=True)
        page_files = sorted(p for p in web.iterdir() if p.is_file() and p.suffix in (".js", ".css"))
        bundle_page_script(web / "src", dist / PAGE_SCRIPT, wheel_version(ours))
        for src in page_files:
            shutil.copyfile(src, dist / src.name)
        write_styles(web / "styles", dist / "styles.css")
        copy_languages(dist / "languages")
        for name in PYODIDE_CORE:
            if name == STDLIB:
                lean_stdlib(PYODIDE_NPM / name, dist / "pyodide" / name,
                            hot if compile_stdlib else None)  # fmt: skip
            else:
                shutil.copyfile(PYODIDE_NPM / name, dist / "pyodide" / name)
        t3 = time.perf_counter()
        log(f"{STDLIB}: lean{', compiled' if compile_stdlib else ''} in {t3 - t2:.1f} s")
        for wheel in all_wheels:
            shutil.copyfile(wheel, dist / "pyodide" / wheel.name)
            if sha256_file(dist / "pyodide" / wheel.name) != lock["packages"][
                normalize(wheel.name.split("-")[0])]["sha256"]:  # fmt: skip
                raise BuildError(f"{wheel.name}: copy does not match its sha256")
        if compile_wheels:  # pins and micropip's hashes were checked above, on the originals
            sources = stage / "_sources"
            sources.mkdir()
            for wheel in all_wheels:
                shutil.move(dist / "pyodide" / wheel.name, sources / wheel.name)
            for wheel in wheels:  # the pinned ones; ours is lean already
                dist_name = normalize(wheel.name.split("-")[0])
                lean_wheel(sources / wheel.name, lambda m, d=dist_name: unused_by_readers(d, m))
            pairs = [(sources / w.name, dist / "pyodide" / w.name) for w in all_wheels]
            compile_pyc(pairs, 0, hot)
            for wheel in all_wheels:
                key = normalize(wheel.name.split("-")[0])
                lock["packages"][key]["sha256"] = sha256_file(dist / "pyodide" / wheel.name)
            log(f"{len(all_wheels)} wheels compiled in {time.perf_counter() - t3:.1f} s")
        (dist / "pyodide" / "pyodide-lock.json").write_bytes(dumps(lock))
        manifest = manifest_for(dist, pyodide_version)
        (dist / "manifest.json").write_bytes(dumps(manifest))

        if out.exists():
            shutil.move(out, stage / "old")  # a rename when build/ and --out share a disk
        shutil.move(dist, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    manifest["seconds"] = time.perf_counter() - t0
    manifest["page_files"] = [p.name for p in page_files]
    return manifest


def report(out: Path, manifest: dict[str, Any], sizes: bool) -> None:
    total = manifest["total_size"] + (out / "manifest.json").stat().st_size
    line = f"wrote {out} ({len(manifest['files']) + 1} files, {total / 1e6:.2f} MB"
    if sizes:
        gz_total = 0
        for f in manifest["files"]:
            gz = len(gzip.compress((out / f["path"]).read_bytes(), compresslevel=6, mtime=0))
            gz_total += gz
            print(f"  {f['size']:>10,}  {gz:>10,} gz  {f['path']}")
        line += f", {gz_total / 1e6:.2f} MB gzipped"
    log(f"{line}) in {manifest['seconds']:.1f} s; version {manifest['version'][:16]}")
    if not manifest["page_files"]:
        log("warning: the --web folder has no *.js or *.css at its top level")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "web" / "dist")
    parser.add_argument(
        "--web",
        type=Path,
        default=ROOT / "web",
        help="folder whose src/ is bundled and top-level *.js and *.css copied (default web/)",
    )
    parser.add_argument("--sizes", action="store_true", help="list every file, raw and gzipped")
    parser.add_argument(
        "--source-stdlib",
        action="store_true",
        help=f"ship {STDLIB} as source, not precompiled (bench/ compares the two)",
    )
    parser.add_argument(
        "--source-wheels", action="store_true", help="ship the wheels as pinned, not precompiled"
    )
    args = parser.parse_args(argv)
    try:
        manifest = assemble(
            args.out.resolve(),
            args.web.resolve(),
            compile_stdlib=not args.source_stdlib,
            compile_wheels=not args.source_wheels,
        )
    except BuildError as err:
        print(f"bundle: error: {err}", file=sys.stderr)
        return 1
    report(args.out.resolve(), manifest, args.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
