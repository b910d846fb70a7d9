"""bench/snapshot_visits.py [ROUNDS] [--phone]: the start-up snapshot (web/snapshot.js) as the
product uses it, in Chromium, against the bundle in web/dist. Each round is a fresh context: a
first (cold) visit of the demo chapter, the snapshot its maker worker keeps, then two warm visits
from the HTTP cache, one restoring the snapshot and one booting as before (the entry deleted;
their order alternates). Each is `bench/run.py`'s "ours" time (the quiz interactive and the
engine ready, ms after navigation), over a bare loadPyodide()'s cold start of the same round.
--phone runs it all on a phone-class CPU (bench/phone.py)."""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path[:0] = [str(Path(__file__).resolve().parent)]
import run as bench  # noqa: E402
from phone import Throttle  # noqa: E402

ENTRIES = "async () => (await (await caches.open('socratiq-snapshot')).keys()).length"
ENTRY_BYTES = """async () => {
  const cache = await caches.open('socratiq-snapshot');
  const [key] = await cache.keys();
  return (await (await cache.match(key)).arrayBuffer()).byteLength;
}"""
FORGET = "async () => { await caches.delete('socratiq-snapshot'); }"


def wait_for_snapshot(page: Any) -> None:
    """Until the page's maker worker (started 5 s after "warm") has kept its snapshot."""
    made_by = time.monotonic() + 300
    while not page.evaluate(ENTRIES):
        if time.monotonic() > made_by:
            raise SystemExit("bench: no snapshot made within 300 s")
        page.wait_for_timeout(500)


def visits(browser: Any, origin: str, restored_first: bool) -> dict[str, Any]:
    run = bench.Run(browser, origin, service_workers=False)
    try:
        cold = run.goto(bench.CHAPTER, bench.OURS_READY)
        out: dict[str, Any] = {"cold": bench._ours(cold)}
        for kind in ("restored", "boot") if restored_first else ("boot", "restored"):
            if kind == "boot":
                run.page.evaluate(FORGET)
            else:
                wait_for_snapshot(run.page)
                out["entry_bytes"] = run.page.evaluate(ENTRY_BYTES)
            state = run.goto(bench.CHAPTER, bench.OURS_READY)
            stages = bench._stages(state)
            if ("snapshot" in stages) != (kind == "restored"):
                raise SystemExit(f"bench: the {kind} visit's stages were {stages}")
            out[kind] = bench._ours(state)
            out[kind + "_stages"] = stages
        return out
    finally:
        run.close()


def main(rounds: int, phone: bool) -> None:
    rows: list[dict[str, Any]] = []
    with bench.served() as origin, sync_playwright() as pw:
        browser = bench.launch(pw, shutil.which("chromium") or "chromium")
        cdp = browser.new_browser_cdp_session()
        infos = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        browser_pid = next(int(i["id"]) for i in infos if i["type"] == "browser")
        cdp.detach()
        for n in range(rounds):
            with Throttle(browser_pid) if phone else _nothing():
                bare = bench.v_bare_simple("/bench/pages/bare.html")(browser, origin)
                row = visits(browser, origin, restored_first=n % 2 == 0)
            row["bare"] = bare["cold"]
            rows.append(row)
            print({k: round(v) for k, v in row.items() if isinstance(v, float | int)}, flush=True)
        browser.close()
    for kind in ("cold", "boot", "restored"):
        values = [r[kind] for r in rows]
        ratios = [round(r[kind] / r["bare"], 2) for r in rows]
        print(f"{kind}: median {statistics.median(values):.0f} ms; x bare cold per round {ratios}")
    print(f"bare loadPyodide() cold: median {statistics.median(r['bare'] for r in rows):.0f} ms")
    print("restored / boot per round:", [round(r["restored"] / r["boot"], 2) for r in rows])


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 3, "--phone" in sys.argv)
