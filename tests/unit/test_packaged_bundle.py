"""`socratiq-local bundle -o DIR`: the packaged bundle copied and checked, earlier bundles
replaced, other folders left alone; and the one version number everywhere it is shown.

The packaged bundle here is a small folder made like tools/build_bundle.py makes one (files
plus a manifest.json with their sha256); tests/package/ copies the real one from a real wheel.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

import socratiq_local
from socratiq_local import cli, packaged_bundle
from socratiq_local.packaged_bundle import BundleError, read_manifest, write_bundle

ROOT = Path(__file__).parents[2]


def make_bundle(folder: Path, files: dict[str, bytes]) -> Path:
    """A bundle folder: the files and a manifest listing them as build_bundle's does."""
    listed = []
    for path, body in sorted(files.items()):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(body)
        digest = hashlib.sha256(body).hexdigest()
        listed.append({"path": path, "size": len(body), "sha256": digest, "integrity": "x"})
    manifest = {"schema": 1, "version": "v", "pyodide": "0", "total_size": 0, "files": listed}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


FILES = {
    "socratiq.js": b"page script",
    "worker.js": b"worker",
    "pyodide/socratiq_local-0.1.0-py3-none-any.whl": b"wheel one",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_new_folder_gets_every_file_and_the_manifest(tmp_path: Path) -> None:
    source = make_bundle(tmp_path / "packaged", FILES)
    written = write_bundle(source, tmp_path / "site" / "socratiq")
    assert tree(tmp_path / "site" / "socratiq") == tree(source)
    assert (written.files, written.size, written.removed) == (4, 26, 0)


def test_an_earlier_bundle_is_replaced_and_files_it_did_not_list_are_kept(
    tmp_path: Path,
) -> None:
    target = make_bundle(tmp_path / "site", FILES)
    (target / "robots.txt").write_text("the author's")
    newer = {**FILES, "pyodide/socratiq_local-0.2.0-py3-none-any.whl": b"wheel two"}
    del newer["pyodide/socratiq_local-0.1.0-py3-none-any.whl"]
    newer["socratiq.js"] = b"page script 2"
    source = make_bundle(tmp_path / "packaged", newer)
    written = write_bundle(source, target)
    assert written.removed == 1
    assert tree(target) == {**tree(source), "robots.txt": b"the author's"}


def test_an_old_file_is_removed_with_its_emptied_folder(tmp_path: Path) -> None:
    target = make_bundle(tmp_path / "site", {**FILES, "old/deep/gone.js": b"x"})
    write_bundle(make_bundle(tmp_path / "packaged", FILES), target)
    assert not (target / "old").exists()
    assert (target / "pyodide").is_dir()


def test_a_folder_that_is_no_bundle_is_refused_unless_forced(tmp_path: Path) -> None:
    source = make_bundle(tmp_path / "packaged", FILES)
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("<h1>book</h1>")
    with pytest.raises(BundleError, match=r"not empty and holds no bundle.*--force"):
        write_bundle(source, target)
    assert tree(target) == {"index.html": b"<h1>book</h1>"}
    write_bundle(source, target, force=True)
    assert tree(target) == {**tree(source), "index.html": b"<h1>book</h1>"}


def test_an_empty_folder_is_written_without_force(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    write_bundle(make_bundle(tmp_path / "packaged", FILES), tmp_path / "site")
    assert (tmp_path / "site" / "manifest.json").is_file()


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("a file")
    with pytest.raises(BundleError, match="is a file"):
        write_bundle(make_bundle(tmp_path / "packaged", FILES), tmp_path / "site")


def test_a_damaged_packaged_file_writes_nothing(tmp_path: Path) -> None:
    source = make_bundle(tmp_path / "packaged", FILES)
    (source / "worker.js").write_bytes(b"changed")
    with pytest.raises(BundleError, match=r"worker\.js differs from manifest\.json"):
        write_bundle(source, tmp_path / "site")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "path", ["../outside.txt", "/etc/passwd", "a/../../outside.txt", "C:/x", "a\\b", "./a"]
)
def test_a_manifest_naming_paths_outside_its_folder_is_no_bundle(tmp_path: Path, path: str) -> None:
    """The target's manifest says what may be removed: it must not reach outside the folder."""
    (tmp_path / "outside.txt").write_text("keep me")
    target = make_bundle(tmp_path / "site", FILES)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"].append({"path": path, "size": 7, "sha256": "0" * 64})
    (target / "manifest.json").write_text(json.dumps(manifest))
    assert read_manifest(target) is None
    with pytest.raises(BundleError, match="holds no bundle"):
        write_bundle(make_bundle(tmp_path / "packaged", FILES), target)
    assert (tmp_path / "outside.txt").read_text() == "keep me"


def test_the_cli_writes_the_packaged_bundle_and_says_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_bundle(tmp_path / "packaged", FILES)
    monkeypatch.setattr(packaged_bundle, "PACKAGED", source)
    assert cli.main(["bundle", "-o", str(tmp_path / "socratiq")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'socratiq'} (4 files, 0.0 MB; socratiq-local " in out
    assert '<script src="socratiq/socratiq.js" async></script>' in out
    assert tree(tmp_path / "socratiq") == tree(source)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.md").write_text("mine")
    assert cli.main(["bundle", "-o", str(tmp_path / "other")]) == 1
    assert "nothing written:" in capsys.readouterr().err
    assert tree(tmp_path / "other") == {"notes.md": b"mine"}


def test_the_cli_without_a_packaged_bundle_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An editable install (this checkout's .venv) has no socratiq_local/bundle/."""
    monkeypatch.setattr(packaged_bundle, "PACKAGED", tmp_path / "no-such-folder")
    assert cli.main(["bundle", "-o", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "carries no browser bundle" in captured.err and "./build.sh bundle" in captured.err
    assert not (tmp_path / "out").exists()


def test_one_version_number_for_the_package_its_metadata_the_cli_and_the_page_script(
    capsys: pytest.CaptureFixture[str],
) -> None:
    version = socratiq_local.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"socratiq-local {version}\n"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/socratiq_local/__init__.py"
    # The page script's version is compiled in from our wheel's (tests/package/ and
    # tests/e2e/test_page.py read it back from a built bundle).
    config = (ROOT / "web" / "src" / "config.js").read_text()
    assert "export const VERSION = __VERSION__;" in config
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text()


@pytest.mark.skipif(sys.platform == "emscripten", reason="src/ on sys.path, not installed")
def test_the_installed_metadata_has_the_packages_version() -> None:
    """pyproject's dynamic version, read by hatchling from __init__.py (this checkout's editable
    install; tests/package/ checks a wheel's)."""
    assert importlib.metadata.version("socratiq-local") == socratiq_local.__version__
