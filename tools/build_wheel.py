"""Build dist/socratiq_local-VERSION-py3-none-any.whl: the wheel authors install, bundle inside.

    python tools/build_wheel.py [--bundle web/dist] [--out dist]

The bundle folder must be built first (`./build.sh wheel` runs `./build.sh bundle`, then this).
The wheel carries it as socratiq_local/bundle/ (tools/hatch_bundle.py), so `pip install` of
this one file gives `socratiq-local bundle -o DIR` with no Node. Built as the bundle's own wheel
is (tools/build_bundle.py build_our_wheel: the same SOURCE_DATE_EPOCH), so it is reproducible.
Exit status 0 on success, 1 on failure (the reason on stderr).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load_build_bundle() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_bundle", ROOT / "tools" / "build_bundle.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "web" / "dist")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    bb = _load_build_bundle()
    bundle, out = args.bundle.resolve(), args.out.resolve()
    if not (bundle / "manifest.json").is_file():
        print(f"wheel: error: {bundle} holds no bundle: run ./build.sh bundle", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wheel-", dir=ROOT / "build") as stage:
        try:
            wheel = bb.build_our_wheel(Path(stage), bundle=bundle)
        except bb.BuildError as err:
            print(f"wheel: error: {err}", file=sys.stderr)
            return 1
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("socratiq_local-*.whl"):
            old.unlink()
        target = out / wheel.name
        shutil.move(wheel, target)
    size = target.stat().st_size
    print(
        f"wheel: wrote {target} ({size / 1e6:.1f} MB, bundle {bundle} inside)"
        f" in {time.perf_counter() - t0:.1f} s; sha256 {bb.sha256_file(target)[:16]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
