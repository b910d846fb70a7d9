"""The browser bundle the installed wheel carries, copied into a book's site.

`./build.sh wheel` puts the built bundle (tools/build_bundle.py: page script, worker, Pyodide,
wheels, manifest.json) into the wheel as socratiq_local/bundle/, so an author needs neither
Node nor this repository: `socratiq-local bundle -o site/socratiq`. The bundle's manifest.json
lists every file with its sha256; it is how a copy is checked, and how a folder is recognised
as an earlier bundle that may be replaced (only the files its manifest lists are removed).
An editable install has no bundle: `packaged_bundle()` is then None.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: Where the wheel carries the bundle (tools/hatch_bundle.py writes it there).
PACKAGED = Path(__file__).parent / "bundle"
MANIFEST = "manifest.json"


class BundleError(Exception):
    """Why the bundle was not written, in one sentence for the author."""


class BundleFile(BaseModel):
    """One file as manifest.json lists it; the path stays inside the bundle's folder."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    path: str = Field(min_length=1)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @field_validator("path")
    @classmethod
    def _inside(cls, path: str) -> str:
        pure = PurePosixPath(path)
        odd = "\\" in path or ":" in path or pure.as_posix() != path or path == MANIFEST
        if odd or pure.is_absolute() or ".." in pure.parts:
            raise ValueError("not a relative path inside the bundle")
        return path


class Manifest(BaseModel):
    """The parts of a bundle's manifest.json that copying needs."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    schema_: Literal[1] = Field(alias="schema")
    files: tuple[BundleFile, ...]


@dataclass(frozen=True)
class Written:
    """What `write_bundle` did."""

    files: int
    size: int
    removed: int


def packaged_bundle() -> Path | None:
    """The bundle folder inside the installed package, or None (an editable install)."""
    return PACKAGED if (PACKAGED / MANIFEST).is_file() else None


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's bundle manifest, or None if it has no valid one (not a bundle)."""
    try:
        return Manifest.model_validate_json((folder / MANIFEST).read_bytes())
    except (OSError, ValidationError):
        return None


def write_bundle(source: Path, target: Path, *, force: bool = False) -> Written:
    """Copy the bundle in `source` to `target`, every file checked against its manifest.

    `target` may be missing, empty, or an earlier bundle (whose files are replaced; files it
    did not list are kept); any other folder only with `force` (files written into it, none
    removed)."""
    manifest = read_manifest(source)
    if manifest is None:
        raise BundleError(f"{source} holds no bundle (no valid {MANIFEST})")
    for entry in manifest.files:
        if _sha256(source / entry.path) != entry.sha256:
            raise BundleError(f"{source / entry.path} differs from {MANIFEST}: reinstall")
    if target.exists() and not target.is_dir():
        raise BundleError(f"{target} is a file, not a folder")
    earlier = read_manifest(target) if target.is_dir() else None
    if target.is_dir() and earlier is None and any(target.iterdir()) and not force:
        raise BundleError(
            f"{target} is not empty and holds no bundle (no {MANIFEST} of one): "
            "choose another folder, or pass --force to write into it anyway"
        )
    removed = _remove_earlier(target, earlier, manifest) if earlier else 0
    for entry in manifest.files:
        (target / entry.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / entry.path, target / entry.path)
    shutil.copyfile(source / MANIFEST, target / MANIFEST)  # last: it marks a finished copy
    return Written(len(manifest.files) + 1, sum(f.size for f in manifest.files), removed)


def _remove_earlier(target: Path, earlier: Manifest, manifest: Manifest) -> int:
    """Remove the earlier bundle's files the new one has not (old wheels), then their empty
    folders; the number of files removed."""
    keep = {entry.path for entry in manifest.files}
    removed = 0
    for entry in earlier.files:
        path = target / entry.path
        if entry.path not in keep and path.is_file():
            path.unlink()
            removed += 1
            for folder in path.relative_to(target).parents:
                here = target / folder
                if here != target and here.is_dir() and not any(here.iterdir()):
                    here.rmdir()
    return removed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as failure:
        raise BundleError(f"{path}: cannot read: {failure.strerror}") from failure
    return digest.hexdigest()
