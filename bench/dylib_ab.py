# ruff: noqa: E501  (JavaScript snippets read better unwrapped)
"""A/B of a start-up lever bench/README.md lists: pydantic-core's 4.7 MB WebAssembly compiled
outside the worker's package loading, in Chromium, on the built bundle.

    .venv/bin/python bench/dylib_ab.py [--rounds 5] [--profiles desktop,phone] [--out FILE]

Three copies of web/dist (with web/demo and bench/pages) under build/bench/dylib-ab/:

  stock   the bundle as built: Pyodide's dlopen reads the .so from the unpacked wheel and
          instantiates the bytes (WebAssembly.instantiate, in the worker)
  page    the .so also shipped as pyodide/_pydantic_core.wasm; the page compiles it with
          WebAssembly.compileStreaming beside pyodide.asm.wasm (the page gets the browser's
          compiled-code cache, a module worker does not) and posts the Module; the worker's
          WebAssembly.instantiate takes that Module for the dlopen of those bytes
  worker  the same file compiled by the worker itself at its start, in parallel with the boot

Every copy times the dlopen's instantiate in the worker, from the call to the instance (a
variant's wait for its Module included; console, read by Playwright). Per round
and profile, each variant gets fresh contexts: a bare loadPyodide() in a module worker
(bench/pages/bare.html?worker), then the chapter cold and a second visit (HTTP cache; service
workers blocked), to the worker's "ready". Variants alternate order each round. The figures are
per-round ratios (variant / stock, same round), medians; absolute times are context only. The
prototype's wire cost is not the lever's (the wheel still holds the .so).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from phone import Throttle  # noqa: E402
from tools.chromium import CHROMIUM_ARGS  # noqa: E402
from tools.serve import serving  # noqa: E402

CHAPTER = "/web/demo/quantization.html"
SO_MEMBER = "pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.so"
SO_FILE = "pyodide/_pydantic_core.wasm"  # .wasm: static hosts serve it as application/wasm
VARIANTS = ("stock", "page", "worker")

# After the worker's imports: the dlopen's instantiate of the .so, timed.
TIMING = """
const benchInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (source, imports) {
  const bytes = source instanceof WebAssembly.Module ? 0 : source?.byteLength ?? 0;
  const started = performance.now();
  const result = await benchInstantiate.call(WebAssembly, source, imports);
  if (bytes > 1e6) console.log("SOTIME " + JSON.stringify({ ms: performance.now() - started, bytes }));
  return result;
};
"""
# Then: the bytes of the .so instantiated from the Module `soModule` resolves to (null: as before).
TAKE_MODULE = """
let soResolve = (/** @type {any} */ _) => {};
const soModule = new Promise((resolve) => (soResolve = resolve));
const timedInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (source, imports) {
  if (!(source instanceof WebAssembly.Module) && source?.byteLength === SO_BYTES) {
    const started = performance.now();
    const module = await soModule;
    if (module) {
      const instance = await timedInstantiate.call(WebAssembly, module, imports);
      console.log("SOTIME " + JSON.stringify({ ms: performance.now() - started, bytes: 0 }));
      return { module, instance };
    }
  }
  return timedInstantiate.call(WebAssembly, source, imports);
};
"""
FROM_PAGE = 'self.addEventListener("message", (event) => event.data?.op === "sowasm" && soResolve(event.data.module));\n'
FROM_WORKER = f'WebAssembly.compileStreaming(fetch(new URL("./{SO_FILE}", import.meta.url))).then(soResolve, () => soResolve(null));\n'
PAGE_HANDOFF = '.catch(() => started2.postMessage({ op: "wasm", module: null }));'
PAGE_SO = f'\n      WebAssembly.compileStreaming(fetch(BASE + "{SO_FILE}", {{ credentials: "same-origin" }})).then((module) => started2.postMessage({{ op: "sowasm", module }})).catch(() => started2.postMessage({{ op: "sowasm", module: null }}));'
WORKER_REQUESTS = "self.onmessage = (event) => {\n  const message = event.data;\n"

# Before any page script: when the engine's worker said "ready" (bench/run.py watches the same).
WATCH = """
window.__stages = {};
const BenchWorker = window.Worker;
window.Worker = class extends BenchWorker {
  constructor(url, options) {
    super(url, options);
    if ((options || {}).name === "socratiq-snapshot") return;
    this.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.op === "progress") window.__stages[data.stage] = performance.now();
    });
  }
};
"""


def patched(text: str, old: str, new: str) -> str:
    """`text` with its one `old` replaced (a built file that changed shape stops the bench)."""
    if text.count(old) != 1:
        raise SystemExit(f"dylib_ab: expected one {old[:40]!r} in the built bundle")
    return text.replace(old, new)


def so_bytes() -> bytes:
    """pydantic-core's .so, from the pinned wheel (the bundle's copy is Zstandard, which this
    Python's zipfile may not read)."""
    wheel = next((ROOT / "build" / "pyodide-wheels").glob("pydantic_core-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        return z.read(SO_MEMBER)


def prepare(variant: str, out: Path, library: bytes) -> Path:
    """A served root for `variant`: web/dist (patched), web/demo, bench/pages."""
    root = out / variant
    if root.exists():
        shutil.rmtree(root)
    for part in ("web/dist", "web/demo", "bench/pages"):
        shutil.copytree(ROOT / part, root / part)
    dist = root / "web" / "dist"
    worker = (dist / "worker.js").read_text()
    first_statement = worker.index("\nconst BASE")
    added = TIMING
    if variant != "stock":
        (dist / SO_FILE).write_bytes(library)
        added += f"const SO_BYTES = {len(library)};\n" + TAKE_MODULE
        added += FROM_PAGE if variant == "page" else FROM_WORKER
        worker = patched(
            worker, WORKER_REQUESTS, WORKER_REQUESTS + '  if (message?.op === "sowasm") return;\n'
        )
    (dist / "worker.js").write_text(
        worker[:first_statement] + "\n" + added + worker[first_statement:]
    )
    if variant == "page":
        page = (dist / "socratiq.js").read_text()
        (dist / "socratiq.js").write_text(patched(page, PAGE_HANDOFF, PAGE_HANDOFF + PAGE_SO))
    return root


def bare(browser: Browser, origin: str) -> float:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(origin + "/bench/pages/bare.html?worker")
    page.wait_for_function("window.__bareDone", timeout=180_000)
    done = float(page.evaluate("window.__bareDone"))
    context.close()
    return done


def chapter(browser: Browser, origin: str) -> dict[str, Any]:
    """The chapter cold, then again in the same context (HTTP cache): ready, and the .so's time."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(WATCH)
    visits: dict[str, Any] = {}
    for kind in ("cold", "warm"):
        page = context.new_page()
        library: list[dict[str, float]] = []

        def timed(message: ConsoleMessage, out: list[dict[str, float]] = library) -> None:
            if message.text.startswith("SOTIME "):
                out.append(json.loads(message.text[7:]))

        page.on("console", timed)
        page.goto(origin + CHAPTER)
        page.wait_for_function("window.__stages.ready", timeout=180_000)
        visits[kind] = {
            "ready": page.evaluate("window.__stages.ready"),
            "so_ms": [s["ms"] for s in library],
        }
        page.close()
    context.close()
    return visits


def summary(samples: list[dict[str, Any]]) -> list[str]:
    lines = []
    for profile in sorted({s["profile"] for s in samples}):
        for kind in ("cold", "warm"):
            for variant in VARIANTS[1:]:
                pairs = []
                for n in sorted({s["round"] for s in samples}):
                    by = {
                        s["variant"]: s
                        for s in samples
                        if s["round"] == n and s["profile"] == profile
                    }
                    if "stock" in by and variant in by:
                        pairs.append((by["stock"], by[variant]))
                if not pairs:
                    continue
                ratio = [b[kind]["ready"] / a[kind]["ready"] for a, b in pairs]
                to_bare = [b[kind]["ready"] / b["bare"] for _, b in pairs]
                stock_bare = [a[kind]["ready"] / a["bare"] for a, _ in pairs]
                so_a = statistics.median(ms for a, _ in pairs for ms in a[kind]["so_ms"])
                so_b = statistics.median(ms for _, b in pairs for ms in b[kind]["so_ms"])
                lines.append(
                    f"{profile:7} {kind}  {variant:6} / stock {statistics.median(ratio):.3f} x"
                    f" (pairs {min(ratio):.2f}-{max(ratio):.2f}, {sum(r < 1 for r in ratio)}/{len(ratio)} faster);"
                    f" / bare {statistics.median(to_bare):.2f} x vs stock {statistics.median(stock_bare):.2f} x;"
                    f" .so instantiate {so_a:.0f} -> {so_b:.1f} ms"
                )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profiles", default="desktop,phone")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "dylib-ab.json")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("dylib_ab: Debian's chromium is not installed")
    library = so_bytes()
    roots = {v: prepare(v, ROOT / "build" / "bench" / "dylib-ab", library) for v in VARIANTS}
    samples: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        origins = {
            v: stack.enter_context(serving(root, "/web/dist/manifest.json"))
            for v, root in roots.items()
        }
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        cdp = browser.new_browser_cdp_session()
        pid = next(
            int(i["id"])
            for i in cdp.send("SystemInfo.getProcessInfo")["processInfo"]
            if i["type"] == "browser"
        )
        cdp.detach()
        for n in range(args.rounds):
            for profile in args.profiles.split(","):
                order = VARIANTS if n % 2 == 0 else VARIANTS[::-1]
                for variant in order:
                    with Throttle(pid) if profile == "phone" else contextlib.nullcontext():
                        sample = {
                            "round": n,
                            "profile": profile,
                            "variant": variant,
                            "bare": bare(browser, origins[variant]),
                        }
                        sample.update(chapter(browser, origins[variant]))
                    samples.append(sample)
                    print(json.dumps(sample), flush=True)
        browser.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(samples, indent=1) + "\n")
    print("\n".join(summary(samples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
