"""bench/snapshot_chromium.py DIST [ROUNDS]: bench/snapshot_worker.js in Chromium (a module
worker, Cache Storage, the .so compiled by compileStreaming): make a snapshot once, then rounds of
a normal start, a restore and a bare loadPyodide(), each in a fresh worker, each mode in each
place in turn."""

import functools
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

BENCH = Path(__file__).resolve().parent
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
PAGE = """<!doctype html><meta charset="utf-8"><title>snapshot</title><script type="module">
window.run = (mode) => new Promise((resolve) => {
  const worker = new Worker(`snapshot_worker.js?mode=${mode}`, { type: "module" });
  worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
  worker.onerror = (e) => { resolve({ ok: false, mode, error: e.message }); worker.terminate(); };
});
</script>"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(dist: Path, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as site:
        root = Path(site)
        (root / "dist").symlink_to(dist.resolve())
        shutil.copy(BENCH / "snapshot_worker.js", root)
        shutil.copy(BENCH.parent / "quizzes" / "serving.json", root)
        (root / "index.html").write_text(PAGE)
        handler = functools.partial(QuietHandler, directory=site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            run(f"http://127.0.0.1:{server.server_port}/index.html", rounds)
        finally:
            server.shutdown()


def run(url: str, rounds: int) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("window.run !== undefined")
        print(json.dumps(page.evaluate("run('make')")), flush=True)
        modes = ["boot", "restore", "bare"]
        rows: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
        for i in range(rounds):
            for k in range(len(modes)):
                mode = modes[(i + k) % len(modes)]
                reply = page.evaluate(f"run('{mode}')")
                print(json.dumps(reply), flush=True)
                if not reply["ok"]:
                    raise SystemExit(reply["error"])
                rows[mode].append(reply["result"])
        bare = [r["ready"] for r in rows["bare"]]
        print(f"bare loadPyodide(): median {statistics.median(bare):.0f} ms {bare}")
        for mode in ("boot", "restore"):
            for key in ("ready", "reply"):
                values = [r[key] for r in rows[mode]]
                ratios = [round(v / b, 2) for v, b in zip(values, bare, strict=True)]
                median = statistics.median(values)
                print(f"{mode} {key}: median {median:.0f} ms; x bare per round {ratios}")
        pairs = zip(rows["restore"], rows["boot"], strict=True)
        ratios = [round(r["reply"] / b["reply"], 2) for r, b in pairs]
        print(f"restore / boot to the quiz's reply, per round: {ratios}")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
