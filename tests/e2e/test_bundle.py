"""The bundle is reproducible and self-describing: two builds give the same bytes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT

ZIP_ZSTANDARD = 93  # zipfile's name for it since Python 3.14, which reads it (Pyodide's does)


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
    check_hot_and_cold(tmp_path / "one" / "pyodide")


def check_hot_and_cold(pyodide: Path) -> None:
    """What a quiz page imports is precompiled; what it never imports ships as source."""
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as stdlib:
        names = set(stdlib.namelist())
        assert {"json/__init__.pyc", "re/__init__.pyc", "typing.pyc"} <= names
        assert {"argparse.py", "http/cookiejar.py"} <= names  # the CLI's, a server's: not a page's
        assert {i.compress_type for i in stdlib.infolist()} == {zipfile.ZIP_DEFLATED}  # zipimport
    ours = next(pyodide.glob("socratiq_local-*.whl"))
    with zipfile.ZipFile(ours) as wheel:
        names = set(wheel.namelist())
        assert "socratiq_local/browser/worker.pyc" in names
        # drawn only for a page pre-rendered at build time: never imported by a reader's session
        assert "socratiq_local/render/reveal.py" in names
        assert "socratiq_local/render/reveal.pyc" not in names
        authors_only = (
            "socratiq_local/cli",
            "socratiq_local/integrations/",
            "socratiq_local/importers/gift",
        )
        assert not [
            n for n in names if n.startswith(authors_only)
        ]  # left out: tools/build_bundle.py
        assert {i.compress_type for i in wheel.infolist()} == {ZIP_ZSTANDARD}
