"""Put every wheel pinned in requirements-pyodide*.txt into build/pyodide-wheels.

Run with any CPython >= 3.9 that has pip (the project's .venv is fine):

    .venv/bin/python tests/pyodide/fetch_wheels.py

If every pinned wheel is already there with a matching sha256, this does nothing and needs no
network. Otherwise it runs, once, for both requirement files:

    pip download --no-deps --only-binary=:all: --require-hashes --python-version 3.14
        --implementation cp --abi cp314 --platform pyemscripten_2026_0_wasm32
        -r requirements-pyodide.txt -r requirements-pyodide-test.txt -d build/pyodide-wheels

(pure ``py3-none-any`` wheels come through with that platform tag alone) and checks again.
Exit status 0 when all wheels are present and verified, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENT_FILES = [ROOT / "requirements-pyodide.txt", ROOT / "requirements-pyodide-test.txt"]
WHEEL_DIR = ROOT / "build" / "pyodide-wheels"
PIP_TARGET = [
    "--python-version", "3.14",
    "--implementation", "cp",
    "--abi", "cp314",
    "--platform", "pyemscripten_2026_0_wasm32",
]  # fmt: skip

_REQ = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(path: Path) -> list[tuple[str, str, set[str]]]:
    """(normalized name, version, allowed sha256s) for each pin in a hashed requirements file."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    pins = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _REQ.match(line)
        hashes = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        if not match or not hashes:
            raise SystemExit(f"{path.name}: expected 'name==version --hash=sha256:...': {line!r}")
        pins.append((normalize(match.group(1)), match.group(2), hashes))
    return pins


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems() -> list[str]:
    """What is missing or wrong in WHEEL_DIR (empty when everything is in place)."""
    wheels: dict[tuple[str, str], list[Path]] = {}
    for wheel in sorted(WHEEL_DIR.glob("*.whl")):
        dist, version = wheel.name.split("-")[:2]
        wheels.setdefault((normalize(dist), version), []).append(wheel)
    found = []
    for req_file in REQUIREMENT_FILES:
        for name, version, hashes in parse_requirements(req_file):
            candidates = wheels.get((name, version), [])
            if not any(sha256(w) in hashes for w in candidates):
                where = ", ".join(w.name for w in candidates) or "no wheel"
                found.append(f"{name}=={version} ({req_file.name}): {where} with a pinned sha256")
    return found


def main() -> int:
    missing = problems()
    if not missing:
        print(f"pyodide wheels: all present and verified in {WHEEL_DIR.relative_to(ROOT)}")
        return 0
    WHEEL_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--require-hashes", *PIP_TARGET, "-d", str(WHEEL_DIR)]  # fmt: skip
    for req_file in REQUIREMENT_FILES:
        cmd += ["-r", str(req_file)]
    print(f"pyodide wheels: {len(missing)} missing, downloading with pip", flush=True)
    result = subprocess.run(cmd, check=False)
    missing = problems()
    if result.returncode != 0 or missing:
        print("pyodide wheels: download failed; still missing:", file=sys.stderr)
        for line in missing:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"pyodide wheels: downloaded and verified in {WHEEL_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
