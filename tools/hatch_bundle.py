"""Hatch build hook: the browser bundle as package data of the wheel authors install.

`SOCRATIQ_LOCAL_BUNDLE=web/dist python -m build --wheel` (what `./build.sh wheel` runs) puts
that built bundle (tools/build_bundle.py) into the wheel as socratiq_local/bundle/, where
`socratiq-local bundle -o DIR` copies it from. Without the variable the wheel carries no bundle:
that is the wheel the bundle itself ships to Pyodide (build_bundle.build_our_wheel clears the
variable), so the bundle never contains itself, and an editable install stays a link to src/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ENV = "SOCRATIQ_LOCAL_BUNDLE"
PACKAGED_AT = "socratiq_local/bundle"


class BundleHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        folder = os.environ.get(ENV, "")
        if not folder or self.target_name != "wheel" or version == "editable":
            return
        bundle = Path(self.root, folder).resolve()
        manifest = bundle / "manifest.json"
        if not manifest.is_file():
            raise RuntimeError(f"{ENV}={folder}: no manifest.json there (./build.sh bundle)")
        listed = {entry["path"] for entry in json.loads(manifest.read_text())["files"]}
        present = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {
            "manifest.json"
        }
        if listed != present:
            raise RuntimeError(f"{ENV}={folder}: the folder differs from its manifest.json")
        for path in sorted(listed | {"manifest.json"}):
            build_data["force_include"][str(bundle / path)] = f"{PACKAGED_AT}/{path}"
