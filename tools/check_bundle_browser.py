"""Check a built bundle in real Chromium, served by tools/serve.py, with no other origin.

    python tools/check_bundle_browser.py [web/dist]

Needs Playwright for Python (driving the system's `chromium`; never `playwright install`).
What it does:

1. Serves a temporary root where the bundle sits at a deep, odd path (/any/path/x-1/dist/)
   next to a probe page at /elsewhere/probe.html, with tools/serve.py's handler (gzip, ETag,
   no-cache) on 127.0.0.1 and a free port.
2. The probe page starts a module worker that does what web/worker.js does:
   loadPyodide({indexURL, lockFileURL, packages: ["socratiq-local"]}) from the bundle's own
   folder, then imports socratiq_local.quiz.grading and every module the lock lists. Chromium
   checks each wheel against the lock's sha256 (subresource integrity).
3. Fails if any request leaves the server's origin, if any import fails, or if Pyodide reports
   a load error. Then reloads the page (a second visit, same profile) and reports how many
   bundle files the server sent again in full (200) versus revalidated (304).

Exit status 0 when everything holds, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.chromium import CHROMIUM_ARGS  # noqa: E402
from tools.serve import Handler  # noqa: E402

BUNDLE_AT = "any/path/x-1/dist"
PROBE_AT = "elsewhere"

PROBE_HTML = """<!doctype html><meta charset="utf-8"><title>bundle probe</title>
<script type="module">
const started = performance.now();
const worker = new Worker("probe-worker.js", { type: "module" });
window.result = new Promise((resolve) => {
  worker.onmessage = (e) => resolve({ ...e.data, ms: performance.now() - started });
  worker.onerror = (e) => resolve({ ok: false, errors: ["worker error: " + e.message] });
});
</script>"""

PROBE_WORKER = """import { loadPyodide } from "../%(bundle)s/pyodide/pyodide.mjs";
const PYODIDE = new URL("../%(bundle)s/pyodide/", import.meta.url).href;
const errors = [];
try {
  const lock = await (await fetch(PYODIDE + "pyodide-lock.json")).json();
  const pyodide = await loadPyodide({
    indexURL: PYODIDE,
    lockFileURL: PYODIDE + "pyodide-lock.json",
    packages: ["socratiq-local"],
    stdout: () => {},
    stderr: (line) => errors.push("stderr: " + line),
  });
  const mods = ["socratiq_local.quiz.grading"];
  for (const pkg of Object.values(lock.packages)) mods.push(...pkg.imports);
  pyodide.globals.set("MODS", pyodide.toPy(mods));
  const bad = JSON.parse(await pyodide.runPythonAsync(`
import importlib, json
bad = []
for m in MODS:
    try:
        importlib.import_module(m)
    except Exception as err:
        bad.append(f"import {m}: {type(err).__name__}: {err}")
json.dumps(bad)
`));
  errors.push(...bad);
  postMessage({ ok: errors.length === 0, errors, imported: mods.length });
} catch (err) {
  errors.push(String(err && err.stack || err));
  postMessage({ ok: false, errors });
}
"""


def main(argv: list[str]) -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("check_bundle_browser: Playwright for Python is not installed", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("check_bundle_browser: no chromium on PATH", file=sys.stderr)
        return 1
    dist = Path(argv[0] if argv else ROOT / "web" / "dist").resolve()
    if not (dist / "manifest.json").is_file():
        print(f"check_bundle_browser: {dist}/manifest.json missing", file=sys.stderr)
        return 1

    served: list[tuple[str, int]] = []

    class Recording(Handler):  # type: ignore[misc]
        quiet = True

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            served.append((self.path, int(getattr(code, "value", code))))

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bundle-probe-") as tmp:
        root = Path(tmp)
        (root / BUNDLE_AT).parent.mkdir(parents=True)
        os.symlink(dist, root / BUNDLE_AT)
        (root / PROBE_AT).mkdir()
        (root / PROBE_AT / "probe.html").write_text(PROBE_HTML)
        rel = "../" * (PROBE_AT.count("/")) + BUNDLE_AT
        (root / PROBE_AT / "probe-worker.js").write_text(PROBE_WORKER % {"bundle": rel})
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Recording, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}"
        url = f"{origin}/{PROBE_AT}/probe.html"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context()
                requests: list[str] = []
                context.on("request", lambda r: requests.append(r.url))
                page = context.new_page()
                visits = []
                for visit in ("first", "second"):
                    served.clear()
                    t0 = time.perf_counter()
                    page.goto(url) if visit == "first" else page.reload()
                    result = page.evaluate("window.result")
                    seconds = time.perf_counter() - t0
                    bundle_hits = [(path, code) for path, code in served if "/dist/" in path]
                    visits.append({
                        "visit": visit,
                        "seconds": round(seconds, 2),
                        "ok": result.get("ok"),
                        "full_200": sum(1 for _, c in bundle_hits if c == 200),
                        "revalidated_304": sum(1 for _, c in bundle_hits if c == 304),
                    })  # fmt: skip
                    if not result.get("ok"):
                        problems.append(f"{visit} visit: " + "; ".join(result.get("errors", [])))
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    off_origin = sorted({u for u in requests if not u.startswith(origin + "/")})
    if off_origin:
        problems.append(f"requests off the page's origin: {off_origin}")
    print(json.dumps({"dist": str(dist), "visits": visits}, indent=1))
    if problems:
        print("check_bundle_browser: FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"check_bundle_browser: OK, {len(set(requests))} URLs, all on {origin}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
