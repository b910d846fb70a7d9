"""The bundle is reproducible and self-describing: two builds give the same bytes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def build(out: Path) -> dict[str, str]:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_bundle.py"), "--out", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return {
        str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_two_builds_are_identical_and_the_manifest_lists_every_file(tmp_path: Path) -> None:
    first = build(tmp_path / "one")
    second = build(tmp_path / "two")
    assert first == second
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed == {path: digest for path, digest in first.items() if path != "manifest.json"}
    assert "pyodide/pyodide.asm.wasm" in listed and "worker.js" in listed
    lock = json.loads((tmp_path / "one" / "pyodide" / "pyodide-lock.json").read_text())
    for package in lock["packages"].values():
        assert listed["pyodide/" + package["file_name"]] == package["sha256"]
        assert not package["file_name"].startswith(("http:", "https:", "/"))
