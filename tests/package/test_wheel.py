"""The wheel authors install: built, installed with pip into a fresh virtual environment, and
used there with no Node on PATH, as an author's machine would (`./build.sh package-test`).

It reuses the bundle already in web/dist (./build.sh bundle; built here if missing). pip
installs offline from a folder of the pinned runtime wheels (requirements-dev.txt's versions),
downloaded once into build/runtime-wheels/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import socratiq_local

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "web" / "dist"
RUNTIME_WHEELS = ROOT / "build" / "runtime-wheels"


def run(*cmd: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, check=False, **kw
    )  # type: ignore[call-overload]
    assert result.returncode == 0, f"{cmd}:\n{result.stdout}{result.stderr}"
    return result  # type: ignore[no-any-return]


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_wheel(out: Path) -> Path:
    run(sys.executable, ROOT / "tools" / "build_wheel.py", "--bundle", BUNDLE, "--out", out)
    (wheel,) = out.glob("socratiq_local-*.whl")
    return wheel


def runtime_wheels(wheel: Path) -> Path:
    """The wheel's dependencies at the versions pinned for development, as wheel files."""
    RUNTIME_WHEELS.mkdir(parents=True, exist_ok=True)
    run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
        "-c", ROOT / "requirements-dev.txt", "-d", RUNTIME_WHEELS, wheel)  # fmt: skip
    (RUNTIME_WHEELS / wheel.name).unlink()  # the wheel itself, copied in by pip download
    return RUNTIME_WHEELS


def venv_with_wheel(tmp_path: Path, extras: str, *others: str) -> Path:
    """A fresh venv holding the wheel built from web/dist (with `extras`, e.g. "[sphinx]") and
    `others`, installed offline from the pinned wheels; its folder."""
    if not (BUNDLE / "manifest.json").is_file():
        run(sys.executable, ROOT / "tools" / "build_bundle.py")
    wheel = build_wheel(tmp_path / "dist")
    wheels = runtime_wheels(wheel)
    if others:
        run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
            "-c", ROOT / "requirements-dev.txt", "-d", wheels, *others)  # fmt: skip
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index",
        "--find-links", wheels, f"{wheel}{extras}", *others)  # fmt: skip
    return venv


def without_node() -> str:
    """PATH with every folder holding a `node` left out."""
    kept = [d for d in os.environ["PATH"].split(os.pathsep) if not (Path(d) / "node").exists()]
    path = os.pathsep.join(kept)
    assert shutil.which("node", path=path) is None
    return path


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not (BUNDLE / "manifest.json").is_file():
        run(sys.executable, ROOT / "tools" / "build_bundle.py")
    return BUNDLE


def test_the_wheel_installs_in_a_fresh_venv_and_writes_the_bundle_without_node(
    bundle: Path, tmp_path: Path
) -> None:
    wheel = build_wheel(tmp_path / "dist")
    again = build_wheel(tmp_path / "dist-again")
    assert wheel.read_bytes() == again.read_bytes(), "the wheel build is not reproducible"

    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    packaged = {n.removeprefix("socratiq_local/bundle/") for n in names if "/bundle/" in n}
    assert packaged == set(digests(bundle))
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # the wheel the bundle ships to Pyodide does not carry the bundle: no recursion
    (inner,) = (bundle / "pyodide").glob("socratiq_local-*.whl")
    with zipfile.ZipFile(inner) as z:
        assert not [n for n in z.namelist() if "/bundle/" in n]
    bundle_size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    assert wheel.stat().st_size < bundle_size  # compressed once, not twice

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python, cli = venv / "bin" / "python", venv / "bin" / "socratiq-local"
    run(python, "-m", "pip", "install", "--quiet", "--no-index",
        "--find-links", runtime_wheels(wheel), wheel)  # fmt: skip

    env = {"PATH": without_node(), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    version = socratiq_local.__version__
    assert run(cli, "--version", env=env).stdout == f"socratiq-local {version}\n"
    shown = "import socratiq_local as s, importlib.metadata as m;"
    shown += "print(s.__version__, m.version('socratiq-local'), s.__file__)"
    installed = run(python, "-c", shown, env=env, cwd=tmp_path).stdout.split()
    assert installed[:2] == [version, version]
    assert installed[2].startswith(str(venv))  # the venv's copy, not this checkout's

    site = tmp_path / "site"
    out = run(cli, "bundle", "-o", site / "socratiq", env=env, cwd=tmp_path).stdout
    assert out.startswith(f"wrote {site / 'socratiq'} (")
    assert digests(site / "socratiq") == digests(bundle)
    manifest = json.loads((site / "socratiq" / "manifest.json").read_text())
    assert manifest == json.loads((bundle / "manifest.json").read_text())
    page_script = (site / "socratiq" / "socratiq.js").read_text()
    assert f'VERSION = "{version}"' in page_script

    (site / "notes").mkdir()
    (site / "notes" / "a.md").write_text("the author's")
    refused = subprocess.run([cli, "bundle", "-o", site / "notes"], env=env,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert [p.name for p in (site / "notes").iterdir()] == ["a.md"]
