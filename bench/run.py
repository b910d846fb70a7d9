# ruff: noqa: E501  (tables, JavaScript snippets and table rows read better unwrapped)
"""The performance budget, measured in headless Chromium against the real bundle.

    .venv/bin/python bench/run.py [--rounds 3] [--answers 25] [--out bench/results.json]

Serves the repository with tools/serve.py (gzip, ETag revalidation, like a static host) on
127.0.0.1 and drives Debian's chromium with Playwright (flags as tests/e2e/conftest.py). Every
round opens a FRESH browser context (empty cache, storage, service workers) per variant, in a
shuffled order, so the noise of a shared 2-core machine falls on every variant alike; figures
are medians over rounds, and each ratio is the median of the per-round ratios (both sides
measured in the same round). Absolute times are context only. Variants named `…@phone` run on
a phone-class CPU (bench/phone.py: the renderer, its worker included, pays 4 x its CPU time).

Prints a table, writes the JSON (every sample, not only medians) and exits 0; `--check` makes
it exit 1 when a budget line is missed.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PAGES = BENCH / "pages"
sys.path[:0] = [str(BENCH), str(ROOT)]

import history as history_mod  # noqa: E402
from phone import Throttle  # noqa: E402
from tools.chromium import CHROMIUM_ARGS  # noqa: E402
from tools.serve import serving  # noqa: E402

TIMEOUT_MS = 90_000
CHAPTER = "/web/demo/quantization.html"
BOOK = "mlsys-demo"
THREE = ("quant-int8-storage", "quant-ptq-retraining", "quant-recover-accuracy")

# Injected before any page script: timestamps on performance.now() (0 = navigation start).
INSTRUMENT = r"""
(() => {
  const B = (window.__bench = { longtasks: [], loaf: [], replies: [], progress: [], sent: {} });
  const watch = (type, fn) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true }); }
    catch (e) { B["no_" + type] = String(e); }
  };
  watch("longtask", (e) => B.longtasks.push({ start: e.startTime, duration: e.duration,
    attribution: (e.attribution || []).map((a) => [a.name, a.containerType, a.containerSrc].join(" ")) }));
  watch("long-animation-frame", (e) => B.loaf.push({ start: e.startTime, duration: e.duration,
    blocking: e.blockingDuration,
    scripts: (e.scripts || []).map((s) => ({ url: s.sourceURL, fn: s.sourceFunctionName,
      invoker: s.invoker, start: s.startTime, duration: s.duration })) }));
  watch("largest-contentful-paint", (e) => { B.lcp = e.startTime; });
  watch("paint", (e) => { if (e.name === "first-contentful-paint") B.fcp = e.startTime; });
  // The first question that accepts an answer, in any shadow root (ours or quizdown's).
  const READY = "form.sq-question, .quizdown-content input, .quizdown-content button, input[type=radio], input[type=checkbox]";
  const seen = (root) => {
    if (B.interactive === undefined && root.querySelector(READY)) B.interactive = performance.now();
  };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => seen(root)).observe(root, { childList: true, subtree: true });
    return root;
  };
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(() => seen(document)).observe(document.body, { childList: true, subtree: true });
  });
  // Readable: a question of ours in a placeholder's shadow root (declarative ones included: the
  // parser makes those without attachShadow). With ?answer, a reader who answers at once: the
  // first single-choice question's first choice, Check pressed as soon as the form lets us;
  // answerable: a reply drawn (data-stage past "fresh"), or a queued Check's "checking" state.
  const answer = new URLSearchParams(location.search).has("answer");
  const poll = setInterval(() => {
    for (const host of document.querySelectorAll(".socratiq-quiz")) {
      const root = host.shadowRoot;
      if (!root) continue;
      if (B.readable === undefined && root.querySelector("form.sq-question")) B.readable = performance.now();
      if (!answer) continue;
      if (B.answered === undefined && root.querySelector("form.sq-question:is([data-stage=nudge], [data-stage=retry], [data-stage=compare], [data-stage=final])")) {
        B.answered = performance.now();
      }
      if (B.pending === undefined && root.querySelector("form.sq-question [data-sq-pending]")) B.pending = performance.now();
      const form = root.querySelector("form.sq-question[data-question-type=single_choice]");
      if (!form || form.__benchClicked) continue;
      const radio = form.querySelector("input[type=radio]:not([disabled])");
      const check = form.querySelector("button[type=submit]:not([disabled])");
      if (radio && check) {
        form.__benchClicked = true;
        radio.click();
        check.click();
        if (B.clicked === undefined) B.clicked = performance.now();
      }
    }
    if (B.answered !== undefined || (!answer && B.readable !== undefined)) clearInterval(poll);
  }, 10);
  // socratiq.js may run before or after DOMContentLoaded (async tag): catch its API when it is set.
  let api;
  Object.defineProperty(window, "socratiq", { configurable: true, get: () => api, set: (value) => {
    api = value;
    if (value && value.ready) value.ready.then(() => { B.ready = performance.now(); }, () => {});
  } });
  const Base = window.Worker;
  if (Base) {
    window.Worker = class extends Base {
      constructor(url, options) {
        super(url, options);
        if ((options || {}).name === "socratiq-snapshot") { // the snapshot's maker, after "warm"
          B.makerStarted = performance.now();
          this.addEventListener("message", (event) => { B.snapshotMade = (event.data || {}).made; });
          return;
        }
        B.workerCreated = performance.now();
        this.addEventListener("message", (event) => {
          const d = event.data || {};
          if (d.op === "progress") B.progress.push({ stage: d.stage, at: performance.now() });
          else if (d.id !== undefined) B.replies.push({ id: d.id, op: B.sent[d.id], ms: d.ms, at: performance.now() });
        });
      }
      postMessage(message, transfer) {
        if (message && message.id !== undefined) B.sent[message.id] = message.op;
        return super.postMessage(message, transfer);
      }
    };
  }
})();
"""

BENCH_STATE = """() => {
  const B = window.__bench || {};
  const nav = performance.getEntriesByType("navigation")[0];
  return { interactive: B.interactive ?? null, ready: B.ready ?? null, fcp: B.fcp ?? null,
    lcp: B.lcp ?? null, load: nav ? nav.loadEventEnd : null, readable: B.readable ?? null,
    answered: B.answered ?? null, clicked: B.clicked ?? null, pending: B.pending ?? null, dcl: nav ? nav.domContentLoadedEventEnd : null,
    longtasks: B.longtasks || [], loaf: B.loaf || [], replies: B.replies || [],
    progress: B.progress || [], workerCreated: B.workerCreated ?? null,
    controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
    heap: performance.memory ? performance.memory.usedJSHeapSize : null };
}"""

OURS_READY = "() => { const B = window.__bench; return B && B.interactive && B.ready; }"


# --- pages made from the repository's own files ----------------------------------------------


def write_pages() -> None:
    """bench/pages/: the demo chapter without our tag, and the same three questions as a quiz of
    ours and as quizdown. Regenerated each run from web/demo and quizzes/ (deterministic)."""
    chapter = (ROOT / CHAPTER.lstrip("/")).read_text()
    tag = re.compile(r'<script src="[^"]*socratiq\.js"[^>]*></script>\n')
    if not tag.search(chapter):
        raise SystemExit(f"bench: no socratiq.js script tag in {CHAPTER}")
    notag = tag.sub("", chapter).replace(
        "<head>\n",
        '<head>\n<base href="/web/demo/"><!-- bench: the chapter without our tag -->\n',
        1,
    )
    (PAGES / "chapter-notag.html").write_text(notag)

    quiz = json.loads((ROOT / "quizzes" / "quantization.json").read_text())
    questions = [q for q in quiz["questions"] if q["id"] in THREE]
    ours = {
        "version": 1,
        "id": "bench-three",
        "title": "Quantization: three questions",
        "questions": [{k: v for k, v in q.items() if k != "section"} for q in questions],
    }
    head = '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{}</title>\n<link rel="icon" href="data:,">\n'
    (PAGES / "three-ours.html").write_text(
        head.format("three questions: socratiq_local")
        + '<script src="../../web/dist/socratiq.js" data-book="bench-three" defer></script>\n'
        + "</head>\n<body>\n<h1>Quantization</h1>\n"
        + '<script type="application/json" class="socratiq-quiz">'
        + json.dumps(ours, ensure_ascii=False).replace("</", "<\\/")
        + "</script>\n</body>\n</html>\n"
    )
    md = ["---", "shuffleAnswers: false", "---", ""]
    for q in questions:
        md += [f"### {q['text']}", ""]
        if q["type"] == "true_false":
            choices = [
                {"text": "True", "correct": q["answer"]},
                {"text": "False", "correct": not q["answer"]},
            ]
        else:
            choices = q["choices"]
        bullet = "-" if q["type"] == "multiple_choice" else "1."
        for c in choices:
            md.append(f"{bullet} [{'x' if c.get('correct') else ' '}] {c['text']}")
            if c.get("feedback"):
                md.append(f"    > {c['feedback']}")
        md.append("")
    (PAGES / "three-quizdown.html").write_text(
        head.format("three questions: quizdown")
        + '<script src="../../node_modules/quizdown/public/build/quizdown.js"></script>\n'
        + "<script>quizdown.init();</script>\n</head>\n<body>\n<h1>Quantization</h1>\n"
        + '<div class="quizdown">\n'
        + html.escape("\n".join(md), quote=False)
        + "\n</div>\n</body>\n</html>\n"
    )


# --- the chapter with our tag loaded `defer` instead of `async` (the demo's) -------------------

DEFER_CHAPTER = ROOT / "build" / "bench" / "chapter-defer.html"


def write_defer_chapter() -> None:
    """build/bench/chapter-defer.html: the demo chapter with `<script defer>` instead of async."""
    chapter = (PAGES / "chapter-notag.html").read_text()
    tag = '<script src="/web/dist/socratiq.js" data-book="mlsys-demo" defer></script>\n'
    DEFER_CHAPTER.parent.mkdir(parents=True, exist_ok=True)
    DEFER_CHAPTER.write_text(
        chapter.replace(
            "<!-- bench: the chapter without our tag -->", "<!-- bench: defer tag -->\n" + tag
        )
    )


# --- a pre-rendered chapter, and a page with the tag and no quiz ------------------------------

PRERENDERED_CHAPTER = ROOT / "build" / "bench" / "chapter-prerendered.html"
NOQUIZ = {"tag": ROOT / "build" / "bench" / "noquiz-tag.html",
          "notag": ROOT / "build" / "bench" / "noquiz-notag.html"}  # fmt: skip
PLACEHOLDER = re.compile(
    r'<div class="socratiq-quiz" data-src="([^"]+)" data-section="([^"]+)"></div>'
)


def write_build_pages() -> None:
    """build/bench/: the demo chapter with its quizzes pre-rendered (integrations/prerender.py,
    as a site generator writes them) and the demo's async tag without its service worker; the
    chapter with its placeholders removed, with and without our tag."""
    from socratiq_local.integrations.prerender import prerender, read_quiz

    chapter = (PAGES / "chapter-notag.html").read_text()
    tag = '<script src="/web/dist/socratiq.js" data-book="mlsys-demo" async></script>\n'
    first = True

    def drawn(m: re.Match[str]) -> str:
        nonlocal first
        quiz = read_quiz((ROOT / "web/demo" / m.group(1)).read_text(), m.group(1))
        out = prerender(
            quiz, src=m.group(1), bundle="/web/dist/", section=m.group(2), show_title=first
        )
        first = False
        return out

    marker = "<!-- bench: the chapter without our tag -->"
    PRERENDERED_CHAPTER.parent.mkdir(parents=True, exist_ok=True)
    PRERENDERED_CHAPTER.write_text(
        PLACEHOLDER.sub(drawn, chapter).replace(marker, "<!-- bench: pre-rendered -->\n" + tag)
    )
    empty = PLACEHOLDER.sub("", chapter)
    NOQUIZ["notag"].write_text(empty)
    NOQUIZ["tag"].write_text(empty.replace(marker, "<!-- bench: tag, no quiz -->\n" + tag))


# --- the server and the browser -------------------------------------------------------------


@contextmanager
def served() -> Iterator[str]:
    # Contexts closed mid-download (the paint samples) make the server print connection
    # resets: its stderr goes to a log, not the table.
    log = ROOT / "build" / "bench" / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as errors, serving(ROOT, "/bench/pages/blank.html", errors) as origin:
        # Warm the server's gzip cache so no run pays for compressing the wasm.
        for path in ("/web/dist/pyodide/pyodide.asm.wasm", "/web/dist/pyodide/pyodide.asm.mjs"):
            req = urllib.request.Request(origin + path, headers={"Accept-Encoding": "gzip"})
            urllib.request.urlopen(req, timeout=60).read()
        yield origin


class Run:
    """One fresh context: its requests (with transfer sizes), pages and renderer memory."""

    def __init__(self, browser: Browser, origin: str, service_workers: bool) -> None:
        self.origin = origin
        self.context: BrowserContext = browser.new_context(
            service_workers="allow" if service_workers else "block"
        )
        self.context.add_init_script(INSTRUMENT)
        self.requests: list[Any] = []
        self.context.on("requestfinished", lambda request: self.requests.append(request))
        self.page: Page = self.context.new_page()
        self.browser = browser

    def goto(self, path: str, ready: str, timeout: int = TIMEOUT_MS) -> dict[str, Any]:
        self.requests.clear()
        self.page.goto(self.origin + path, wait_until="load", timeout=timeout)
        self.page.wait_for_function(ready, timeout=timeout, polling=100)
        self.page.wait_for_timeout(300)  # late long tasks, LCP and the first compaction
        state: dict[str, Any] = self.page.evaluate(BENCH_STATE)
        return state

    def transfer(self) -> dict[str, int]:
        """Bytes on the wire per path (body as encoded + headers) since the last goto."""
        out: dict[str, int] = {}
        for request in list(self.requests):
            if not request.url.startswith(self.origin):
                raise SystemExit(f"bench: a request left the origin: {request.url}")
            try:
                sizes = request.sizes()
            except Exception:
                continue
            path = request.url[len(self.origin) :].split("?")[0]
            out[path] = out.get(path, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return out

    def peak_rss(self) -> int | None:
        """The largest peak RSS (VmHWM) among renderer processes: the page, its worker and its
        service worker live in the page's renderer."""
        try:
            cdp = self.browser.new_browser_cdp_session()
            infos = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
            cdp.detach()
        except Exception:
            return None
        best = None
        for info in infos:
            if info.get("type") != "renderer":
                continue
            try:
                text = Path(f"/proc/{info['id']}/status").read_text()
            except OSError:
                continue
            m = re.search(r"VmHWM:\s+(\d+) kB", text)
            if m:
                best = max(best or 0, int(m.group(1)) * 1024)
        return best

    def js_heap(self) -> int | None:
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        cdp.detach()
        value = metrics.get("JSHeapUsedSize")
        return int(value) if value is not None else None

    def close(self) -> None:
        self.context.close()


OURS = re.compile(r"/web/dist/|^blob:")


def our_scripts(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Every script run of ours that Long Animation Frame timing saw (frames over 50 ms)."""
    return [s for f in state["loaf"] for s in f["scripts"] if OURS.search(s["url"] or "")]


def ours_long_tasks(state: dict[str, Any], origin: str) -> list[dict[str, Any]]:
    """Long tasks (> 50 ms, 'longtask' entries) during which a script of ours ran (its
    attribution says only "self": the script runs come from 'long-animation-frame')."""
    mine = []
    for task in state["longtasks"]:
        a, b = task["start"], task["start"] + task["duration"]
        ran = [s for s in our_scripts(state) if s["start"] < b and s["start"] + s["duration"] > a]
        if task["duration"] > 50 and ran:
            mine.append({"start": round(a), "duration": round(task["duration"]), "scripts": ran})
    return mine


def longest_script(state: dict[str, Any]) -> float:
    return max((s["duration"] for s in our_scripts(state)), default=0.0)


# --- the variants of one round --------------------------------------------------------------


def v_bare_simple(path: str) -> Callable[[Browser, str], dict[str, Any]]:
    def variant(browser: Browser, origin: str) -> dict[str, Any]:
        run = Run(browser, origin, service_workers=False)
        try:
            run.goto(path, "() => window.__bareDone")
            cold = float(run.page.evaluate("() => window.__bareDone"))
            run.goto(path, "() => window.__bareDone")
            warm = float(run.page.evaluate("() => window.__bareDone"))
            return {"cold": cold, "warm": warm}
        finally:
            run.close()

    return variant


def _ours(state: dict[str, Any]) -> float:
    return float(max(state["interactive"], state["ready"]))


def _stages(state: dict[str, Any]) -> dict[str, float]:
    out = {"worker_created": state["workerCreated"]}
    for p in state["progress"]:
        out[p["stage"]] = p["at"]
    for r in state["replies"]:
        out.setdefault(f"{r['op']}_reply", r["at"])
        if r.get("ms") is not None:
            out.setdefault(f"{r['op']}_python_ms", r["ms"])
    return out


PRERENDERED_ANSWER = "/build/bench/chapter-prerendered.html?answer"
ANSWERED = "() => window.__bench && window.__bench.answered !== undefined"


def _answered(state: dict[str, Any]) -> dict[str, Any]:
    """A visit of the pre-rendered chapter by a reader who answers at once: when its quiz was
    readable (the first contentful paint at the earliest), Check pressed, feedback drawn."""
    return {"readable": max(state["readable"], state["fcp"] or 0), "fcp": state["fcp"],
            "clicked": state["clicked"], "pending": state["pending"],
            "answerable": state["answered"], "stages": _stages(state)}  # fmt: skip


SNAPSHOT_ENTRY_BYTES = """async () => {
  const cache = await caches.open('socratiq-snapshot');
  const [key] = await cache.keys();
  return key ? (await (await cache.match(key)).arrayBuffer()).byteLength : 0;
}"""
SNAPSHOT_MADE_WITHIN_S = 300


def wait_for_snapshot(page: Page) -> int:
    """Until the page's snapshot maker (from a reader's second page, 5 s after "warm", in idle
    time) has kept its Cache Storage entry; its size in bytes."""
    made_by = time.monotonic() + SNAPSHOT_MADE_WITHIN_S
    while not (size := int(page.evaluate(SNAPSHOT_ENTRY_BYTES))):
        maker = page.evaluate("() => [window.__bench.makerStarted, window.__bench.snapshotMade]")
        if maker[1] is False:
            raise SystemExit("bench: the snapshot maker ran and made no snapshot")
        if time.monotonic() > made_by:
            started = "started" if maker[0] is not None else "never started"
            raise SystemExit(
                f"bench: no start-up snapshot within {SNAPSHOT_MADE_WITHIN_S} s (the maker {started})"
            )
        page.wait_for_timeout(500)
    return size


def restored(state: dict[str, Any], what: str) -> dict[str, float]:
    """The visit's start-up stages, which must show that it restored the snapshot."""
    stages = _stages(state)
    if "snapshot" not in stages:
        raise SystemExit(f"bench: the {what} did not restore the start-up snapshot: {stages}")
    return stages


def v_chapter(browser: Browser, origin: str, on_phone: bool = False) -> dict[str, Any]:
    """The demo chapter as a returning reader meets it, service worker blocked: cold, warm from
    the HTTP cache (booted: this second page's maker worker then keeps the start-up snapshot),
    then, once the snapshot is kept, warm visits that restore it instead of booting: the chapter
    and the pre-rendered chapter (`?answer`). `on_phone`: the visits on a phone-class CPU; not
    the wait for the maker, which phone.py's SIGSTOPs keep from ever starting (its
    requestIdleCallback never fires) and which makes the same snapshot at any speed."""
    run = Run(browser, origin, service_workers=False)
    throttles: list[Throttle] = []

    def cpu() -> AbstractContextManager[object]:
        if not on_phone:
            return nullcontext()
        throttles.append(Throttle(BROWSER_PID))
        return throttles[-1]

    try:
        with cpu():
            cold = run.goto(CHAPTER, OURS_READY)
            wire = run.transfer()
            memory = {"renderer_peak_rss": run.peak_rss(), "main_js_heap": run.js_heap()}
            warm = run.goto(CHAPTER, OURS_READY)
        entry_bytes = wait_for_snapshot(run.page)
        with cpu():
            back = run.goto(CHAPTER, OURS_READY)
            pre = run.goto(PRERENDERED_ANSWER, ANSWERED)
        restored(pre, "pre-rendered chapter")
        return {
            "cold": _ours(cold),
            "warm": _ours(warm),
            "restored": _ours(back),
            "fcp": cold["fcp"],
            "lcp": cold["lcp"],
            "load": cold["load"],
            "long_tasks": len([t for t in cold["longtasks"] if t["duration"] > 50]),
            "long_task_ms": [round(t["duration"]) for t in cold["longtasks"]],
            "ours_long_frames": ours_long_tasks(cold, origin),
            "ours_long_frames_warm": ours_long_tasks(warm, origin),
            "ours_long_frames_restored": ours_long_tasks(back, origin),
            "ours_longest_script_ms": max(longest_script(v) for v in (cold, warm, back)),
            "loaf": cold["loaf"],
            "stages_cold": _stages(cold),
            "stages_warm": _stages(warm),
            "stages_restored": restored(back, "chapter"),
            "pre_restored": _answered(pre),
            "snapshot_bytes": entry_bytes,
            "wire": wire,
            "memory": memory,
        } | (
            {"throttle_stopped_s": round(sum(t.stopped_s for t in throttles), 2)}
            if on_phone
            else {}
        )
    finally:
        run.close()


def v_chapter_sw(browser: Browser, origin: str) -> dict[str, Any]:
    """The demo as shipped: the first visit registers its service worker (which precaches the
    bundle); the second visit is served by it."""
    run = Run(browser, origin, service_workers=True)
    try:
        cold = run.goto(CHAPTER, OURS_READY)
        run.page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=TIMEOUT_MS, polling=100
        )
        run.page.wait_for_timeout(500)
        wire = run.transfer()  # the page's own and the service worker's precache
        warm = run.goto(CHAPTER, OURS_READY)
        if not warm["controlled"]:
            raise SystemExit("bench: the second visit was not served by the service worker")
        return {"cold": _ours(cold), "warm": _ours(warm), "wire": wire,
                "stages_warm": _stages(warm)}  # fmt: skip
    finally:
        run.close()


PAINT_PAGES = {
    "without": "/bench/pages/chapter-notag.html",
    "with": CHAPTER,
    "defer": "/build/bench/chapter-defer.html",
}


def v_paint(browser: Browser, origin: str, repeats: int = 2) -> dict[str, Any]:
    """First paints only, interleaved: the chapter without our tag, with it, and with the
    `defer` tag; each a fresh context closed once the load event has passed."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in PAINT_PAGES}
    for _ in range(repeats):
        for name, path in PAINT_PAGES.items():
            run = Run(browser, origin, service_workers=False)
            try:
                state = run.goto(path, "() => window.__bench.fcp !== undefined")
                out[name].append({"fcp": state["fcp"], "lcp": state["lcp"], "load": state["load"],
                                  "longest_script": longest_script(state),
                                  "ours_long_tasks": len(ours_long_tasks(state, origin))})  # fmt: skip
            finally:
                run.close()
    return out


def v_three(path: str) -> Callable[[Browser, str], dict[str, Any]]:
    def variant(browser: Browser, origin: str) -> dict[str, Any]:
        run = Run(browser, origin, service_workers=False)
        try:
            state = run.goto(path, "() => window.__bench && window.__bench.interactive"
                             + (" && window.__bench.ready" if "ours" in path else ""))  # fmt: skip
            wire = run.transfer()
            return {"interactive": _ours(state) if "ours" in path else state["interactive"],
                    "fcp": state["fcp"], "bytes": sum(wire.values()), "files": len(wire)}  # fmt: skip
        finally:
            run.close()

    return variant


def v_prerendered(browser: Browser, origin: str) -> dict[str, Any]:
    """The demo chapter with its quizzes pre-rendered, read by a reader who answers the first
    question at once (`?answer`): cold, then warm from the HTTP cache."""
    run = Run(browser, origin, service_workers=False)
    try:
        return {
            visit: _answered(run.goto(PRERENDERED_ANSWER, ANSWERED)) for visit in ("cold", "warm")
        }
    finally:
        run.close()


MAIN_THREAD = ("TaskDuration", "ScriptDuration")


def v_noquiz(browser: Browser, origin: str) -> dict[str, Any]:
    """The chapter without placeholders, with and without our tag: bytes on the wire and the
    main thread's busy time (CDP Performance metrics) until a second after the load event."""
    out: dict[str, Any] = {}
    for name in ("notag", "tag", "notag", "tag"):
        run = Run(browser, origin, service_workers=False)
        try:
            path = "/" + str(NOQUIZ[name].relative_to(ROOT))
            cdp = run.context.new_cdp_session(run.page)
            cdp.send("Performance.enable")  # counts from here: before the navigation
            run.goto(path, "() => document.readyState === 'complete'")
            run.page.wait_for_timeout(1000)  # an idle start would come now
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            wire = run.transfer()
            out.setdefault(name, []).append({
                "bytes": sum(wire.values()),
                "pyodide_bytes": sum(v for k, v in wire.items() if "/pyodide/" in k or "worker" in k),
                **{k: metrics[k] * 1000 for k in MAIN_THREAD},
            })  # fmt: skip
        finally:
            run.close()
    return out


BROWSER_PID = 0  # set at launch: the phone profile throttles this browser's renderers


def phone(
    variant: Callable[[Browser, str], dict[str, Any]],
) -> Callable[[Browser, str], dict[str, Any]]:
    """`variant` on a phone-class CPU (bench/phone.py)."""

    def wrapped(browser: Browser, origin: str) -> dict[str, Any]:
        with Throttle(BROWSER_PID) as throttle:
            out = variant(browser, origin)
        out["throttle_stopped_s"] = round(throttle.stopped_s, 2)
        return out

    return wrapped


VARIANTS: dict[str, Callable[[Browser, str], dict[str, Any]]] = {
    "bare": v_bare_simple("/bench/pages/bare.html"),
    "bare_worker": v_bare_simple("/bench/pages/bare.html?worker"),
    "bare_stock": v_bare_simple("/bench/pages/bare.html?stock"),
    "chapter": v_chapter,
    "chapter_sw": v_chapter_sw,
    "paint": v_paint,
    "three_ours": v_three("/bench/pages/three-ours.html"),
    "three_quizdown": v_three("/bench/pages/three-quizdown.html"),
    "prerendered": v_prerendered,
    "noquiz": v_noquiz,
    "bare@phone": phone(v_bare_simple("/bench/pages/bare.html")),
    "chapter@phone": partial(v_chapter, on_phone=True),
    "chapter_sw@phone": phone(v_chapter_sw),
    "three_quizdown@phone": phone(v_three("/bench/pages/three-quizdown.html")),
    "prerendered@phone": phone(v_prerendered),
}
# Context, not budget lines, and among the slowest: measured in the first round only.
FIRST_ROUND_ONLY = ("bare_worker", "bare_stock", "chapter_sw", "chapter_sw@phone", "three_ours")
# Run after the rounds, once: the answer-latency runs (--latency-runs, --phone-latency-runs) and
# the import of a year's export; on the phone profile that import takes minutes, so it runs only
# when named (`--only import@phone`).
AFTER_ROUNDS = ("latency", "latency@phone", "import", "import@phone")


# --- answer latency with a heavy history ------------------------------------------------------

# Each reply draws the question's form again: the feedback has shown once a new form for the
# question (not the one clicked) is in place with its feedback panel filled.
ANSWER_SETUP = """() => {
  const host = document.querySelector('.socratiq-quiz');
  const root = host.shadowRoot;
  const first = root.querySelector('form.sq-question[data-question-type=single_choice]');
  const selector = `form.sq-question[data-question-id="${first.dataset.questionId}"]`;
  const L = (window.__lat = { clicks: [], shown: [], frames: [], clicked: null });
  root.addEventListener('click', (e) => {
    if (!e.target.closest(selector + ' button[type=submit]')) return;
    L.clicks.push(performance.now());
    L.clicked = e.target.closest('form');
  }, true);
  new MutationObserver(() => {
    const form = root.querySelector(selector);
    const feedback = form && form.querySelector('.sq-feedback');
    if (L.clicked && form !== L.clicked && feedback && feedback.childNodes.length) {
      L.clicked = null;
      L.shown.push(performance.now());
      requestAnimationFrame(() => L.frames.push(performance.now()));
    }
  }).observe(root, { childList: true, subtree: true });
  return first.dataset.questionId;
}"""

STORAGE_BYTES = """(prefix) => {
  let chars = 0, keys = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k.startsWith(prefix)) { keys++; chars += k.length + localStorage.getItem(k).length; }
  }
  return { keys, utf16_bytes: chars * 2 };
}"""


def answer_latency(
    browser: Browser, origin: str, seeded: dict[str, str], answers: int
) -> dict[str, Any]:
    run = Run(browser, origin, service_workers=False)
    try:
        run.page.goto(origin + "/bench/pages/blank.html")
        run.page.evaluate(
            "(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }",
            seeded,
        )
        state = run.goto(CHAPTER, OURS_READY)
        run.page.wait_for_function(
            "() => window.__bench.replies.some((r) => r.op === 'compact')", timeout=TIMEOUT_MS
        )
        question = run.page.evaluate(ANSWER_SETUP)
        form = run.page.locator(f'form.sq-question[data-question-id="{question}"]').first
        fresh = run.page.locator(
            f'form.sq-question[data-question-id="{question}"][data-stage="fresh"]'
        ).first
        radios = form.locator("input[type=radio]")
        count = radios.count()
        for n in range(answers):
            if form.get_attribute("data-stage") == "final":  # answered: "Try again" (unmeasured)
                form.locator("button[data-action=retry]").click()
                fresh.wait_for(timeout=TIMEOUT_MS)
            radios.nth(n % count).check()
            form.locator("button[type=submit]").click()
            run.page.wait_for_function(
                f"() => window.__lat.frames.length >= {n + 1}", timeout=TIMEOUT_MS, polling=50
            )
            run.page.wait_for_timeout(50)
        lat = run.page.evaluate("() => window.__lat")
        replies = run.page.evaluate("() => window.__bench.replies")
        after = run.page.evaluate(STORAGE_BYTES, f"socratiq:{BOOK}:")
        checks = [r["ms"] for r in replies if r["op"] == "check"]
        return {
            "click_to_feedback_ms": [
                s - c for c, s in zip(lat["clicks"], lat["shown"], strict=False)
            ],
            "click_to_frame_ms": [
                f - c for c, f in zip(lat["clicks"], lat["frames"], strict=False)
            ],
            "python_check_ms": checks,
            "python_init_ms": next(r["ms"] for r in replies if r["op"] == "init"),
            "python_compact_ms": next(r["ms"] for r in replies if r["op"] == "compact"),
            "interactive": _ours(state),
            "storage_after": after,
        }
    finally:
        run.close()


IMPORT_TIMED = """async (text) => {
  const t = performance.now();
  const result = await window.socratiq.importProgress(text);
  return { ms: performance.now() - t, message: result.message };
}"""


def import_speed(browser: Browser, origin: str, seeded: dict[str, str]) -> dict[str, Any]:
    """A year of history moved to another device: exported from the seeded book, imported into
    a fresh context's empty book, then into the seeded book itself (every event already
    there), each timed in the page from the API call to its reply."""
    source, device = Run(browser, origin, service_workers=False), None
    try:
        source.page.goto(origin + "/bench/pages/blank.html")
        source.page.evaluate(
            "(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }",
            seeded,
        )
        source.goto(CHAPTER, OURS_READY)
        exported = source.page.evaluate(
            "async () => { const t = performance.now(); const text = await window.socratiq"
            ".exportProgress(); return { ms: performance.now() - t, text }; }"
        )
        device = Run(browser, origin, service_workers=False)
        device.goto(CHAPTER, OURS_READY)
        empty = device.page.evaluate(IMPORT_TIMED, exported["text"])
        again = source.page.evaluate(IMPORT_TIMED, exported["text"])
        return {
            "export_ms": exported["ms"],
            "export_chars": len(exported["text"]),
            "import_empty_ms": empty["ms"],
            "import_empty_message": empty["message"],
            "import_again_ms": again["ms"],
            "import_again_message": again["message"],
        }
    finally:
        source.close()
        if device is not None:
            device.close()


# --- report ---------------------------------------------------------------------------------


def med(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def ratio(rounds: list[dict[str, Any]], num: Callable[[dict[str, Any]], float | None],
          den: Callable[[dict[str, Any]], float | None]) -> float | None:  # fmt: skip
    values = []
    for r in rounds:
        a, b = num(r), den(r)
        if a is not None and b:
            values.append(a / b)
    return med(values)


def summarise(rounds: list[dict[str, Any]], latency: list[dict[str, Any]],
              latency_phone: list[dict[str, Any]], seeded_bytes: int,
              seeded_keys: int) -> dict[str, Any]:  # fmt: skip
    def m(f: Callable[[dict[str, Any]], float | None]) -> float | None:
        return med([f(r) for r in rounds])

    first = rounds[:1]  # the variants of FIRST_ROUND_ONLY

    def m1(f: Callable[[dict[str, Any]], float | None]) -> float | None:
        return med([f(r) for r in first])

    bare_cold = lambda r: r["bare"]["cold"]  # noqa: E731
    wire = rounds[0]["chapter"]["wire"]
    wire_sw = rounds[0]["chapter_sw"]["wire"]
    ours_ltf = [
        sum(
            len(r["chapter"][k])
            for k in ("ours_long_frames", "ours_long_frames_warm", "ours_long_frames_restored")
        )
        for r in rounds
    ]
    lat_all = [x for run in latency for x in run["click_to_feedback_ms"]]
    frame_all = [x for run in latency for x in run["click_to_frame_ms"]]
    py_all = [x for run in latency for x in run["python_check_ms"]]
    s: dict[str, Any] = {
        "bare_cold_ms": m(bare_cold),
        "bare_warm_ms": m(lambda r: r["bare"]["warm"]),
        "bare_worker_cold_ms": m1(lambda r: r["bare_worker"]["cold"]),
        "bare_worker_warm_ms": m1(lambda r: r["bare_worker"]["warm"]),
        "bare_stock_cold_ms": m1(lambda r: r["bare_stock"]["cold"]),
        "bare_stock_ratio": ratio(first, lambda r: r["bare_stock"]["cold"], bare_cold),
        "cold_ratio_vs_stock": ratio(first, lambda r: r["chapter"]["cold"], lambda r: r["bare_stock"]["cold"]),
        "cold_ms": m(lambda r: r["chapter"]["cold"]),
        "cold_ratio": ratio(rounds, lambda r: r["chapter"]["cold"], bare_cold),
        "cold_sw_first_visit_ratio": ratio(first, lambda r: r["chapter_sw"]["cold"], bare_cold),
        "cold_ratio_vs_bare_worker": ratio(first, lambda r: r["chapter"]["cold"], lambda r: r["bare_worker"]["cold"]),
        "warm_http_ms": m(lambda r: r["chapter"]["warm"]),
        "warm_http_ratio": ratio(rounds, lambda r: r["chapter"]["warm"], bare_cold),
        "warm_sw_ms": m1(lambda r: r["chapter_sw"]["warm"]),
        "warm_sw_ratio": ratio(first, lambda r: r["chapter_sw"]["warm"], bare_cold),
        "bare_warm_ratio": ratio(rounds, lambda r: r["bare"]["warm"], bare_cold),
        **paint_summary(rounds),
        "long_tasks_with": m(lambda r: r["chapter"]["long_tasks"]),
        "long_frames_ours_max": max(ours_ltf),
        "ours_long_tasks_total": sum(ours_ltf),
        "ours_long_tasks_loads": 3 * len(rounds),
        "warm_http_ratio_vs_stock": ratio(first, lambda r: r["chapter"]["warm"], lambda r: r["bare_stock"]["cold"]),
        "warm_sw_ratio_vs_stock": ratio(first, lambda r: r["chapter_sw"]["warm"], lambda r: r["bare_stock"]["cold"]),
        "ours_longest_script_ms": max(r["chapter"]["ours_longest_script_ms"] for r in rounds),
        "answer_ms": med(lat_all),
        "answer_p90_ms": sorted(lat_all)[int(0.9 * (len(lat_all) - 1))] if lat_all else None,
        "answer_frame_ms": med(frame_all),
        "python_check_ms": med(py_all),
        "python_load_ms": med([run["python_init_ms"] for run in latency]),
        "python_compact_ms": med([run["python_compact_ms"] for run in latency]),
        "latency_interactive_ms": med([run["interactive"] for run in latency]),
        "storage_seeded_bytes": seeded_bytes,
        "storage_seeded_keys": seeded_keys,
        "storage_after_bytes": latency[-1]["storage_after"]["utf16_bytes"] if latency else None,
        "wire_cold_bytes": sum(wire.values()),
        "wire_cold_sw_bytes": sum(wire_sw.values()),
        "wire_cold_files": dict(sorted(wire.items(), key=lambda kv: -kv[1])),
        "renderer_peak_rss": m(lambda r: r["chapter"]["memory"]["renderer_peak_rss"]),
        "main_js_heap": m(lambda r: r["chapter"]["memory"]["main_js_heap"]),
        "three_ours_ms": m1(lambda r: r["three_ours"]["interactive"]),
        "three_quizdown_ms": m(lambda r: r["three_quizdown"]["interactive"]),
        "three_ratio": ratio(first, lambda r: r["three_ours"]["interactive"], lambda r: r["three_quizdown"]["interactive"]),
        "three_ours_bytes": m1(lambda r: r["three_ours"]["bytes"]),
        "three_quizdown_bytes": m(lambda r: r["three_quizdown"]["bytes"]),
    }  # fmt: skip
    s.update(phone_summary(rounds, latency_phone))
    stage_keys = sorted({k for r in rounds for k in r["chapter"]["stages_cold"]})
    s["stages_cold_ms"] = {
        k: m(lambda r, k=k: r["chapter"]["stages_cold"].get(k)) for k in stage_keys
    }
    stage_keys = sorted({k for r in rounds for k in r["chapter"]["stages_warm"]})
    s["stages_warm_ms"] = {
        k: m(lambda r, k=k: r["chapter"]["stages_warm"].get(k)) for k in stage_keys
    }
    return s


def phone_summary(
    rounds: list[dict[str, Any]], latency_phone: list[dict[str, Any]]
) -> dict[str, Any]:
    """The start-up figures on both CPU profiles ("" and "@phone"), the pre-rendered chapter's
    readable and answerable times against quizdown's, the page with the tag and no quiz, and
    the answer latency on the phone profile."""

    def m(f: Callable[[dict[str, Any]], float | None]) -> float | None:
        return med([f(r) for r in rounds])

    first = rounds[:1]  # the variants of FIRST_ROUND_ONLY
    out: dict[str, Any] = {}
    for p in ("", "@phone"):
        bare = lambda r, p=p: r["bare" + p]["cold"]  # noqa: E731

        def quizdown_paint(r: dict[str, Any], p: str = p) -> float:
            return float(
                max(r["three_quizdown" + p]["interactive"], r["three_quizdown" + p]["fcp"] or 0)
            )

        quizdown_tti = lambda r, p=p: r["three_quizdown" + p]["interactive"]  # noqa: E731

        def pre(r: dict[str, Any], v: str, k: str, p: str = p) -> Any:
            visit = r["chapter" + p]["pre_restored"] if v == "restored" else r["prerendered" + p][v]
            return visit[k]

        out.update({
            f"p{p}_bare_cold_ms": m(bare),
            f"p{p}_bare_warm_ms": m(lambda r, p=p: r["bare" + p]["warm"]),
            f"p{p}_cold_ms": m(lambda r, p=p: r["chapter" + p]["cold"]),
            f"p{p}_cold_ratio": ratio(rounds, lambda r, p=p: r["chapter" + p]["cold"], bare),
            f"p{p}_warm_http_ms": m(lambda r, p=p: r["chapter" + p]["warm"]),
            f"p{p}_warm_http_ratio": ratio(rounds, lambda r, p=p: r["chapter" + p]["warm"], bare),
            f"p{p}_warm_sw_ms": med([first[0]["chapter_sw" + p]["warm"]]),
            f"p{p}_warm_sw_ratio": ratio(first, lambda r, p=p: r["chapter_sw" + p]["warm"], bare),
            f"p{p}_warm_restored_ms": m(lambda r, p=p: r["chapter" + p]["restored"]),
            f"p{p}_warm_restored_ratio": ratio(rounds, lambda r, p=p: r["chapter" + p]["restored"], bare),
            f"p{p}_restored_vs_booted_ratio": ratio(rounds, lambda r, p=p: r["chapter" + p]["restored"], lambda r, p=p: r["chapter" + p]["warm"]),
            f"p{p}_snapshot_bytes": m(lambda r, p=p: r["chapter" + p]["snapshot_bytes"]),
            f"p{p}_quizdown_paint_ms": m(quizdown_paint),
            f"p{p}_quizdown_tti_ms": m(quizdown_tti),
        })  # fmt: skip
        for v in ("cold", "warm", "restored"):
            out.update({
                f"p{p}_pre_{v}_readable_ms": m(lambda r, v=v, pre=pre: pre(r, v, "readable")),
                f"p{p}_pre_{v}_answerable_ms": m(lambda r, v=v, pre=pre: pre(r, v, "answerable")),
                f"p{p}_pre_{v}_clicked_ms": m(lambda r, v=v, pre=pre: pre(r, v, "clicked")),
                f"p{p}_pre_{v}_readable_ratio": ratio(rounds, lambda r, v=v, pre=pre: pre(r, v, "readable"), quizdown_paint),
                f"p{p}_pre_{v}_answerable_ratio": ratio(rounds, lambda r, v=v, pre=pre: pre(r, v, "answerable"), quizdown_tti),
            })  # fmt: skip
        keys = sorted({k for r in rounds for k in r["chapter" + p]["stages_cold"]})
        out[f"p{p}_stages_cold_ms"] = {
            k: m(lambda r, k=k, p=p: r["chapter" + p]["stages_cold"].get(k)) for k in keys
        }
        for visit in ("warm", "restored"):
            keys = sorted({k for r in rounds for k in r["chapter" + p]["stages_" + visit]})
            out[f"p{p}_stages_{visit}_ms"] = {
                k: m(lambda r, k=k, p=p, visit=visit: r["chapter" + p]["stages_" + visit].get(k))
                for k in keys
            }
    pairs = [
        (a, b)
        for r in rounds
        for a, b in zip(r["noquiz"]["tag"], r["noquiz"]["notag"], strict=True)
    ]
    out.update({
        "noquiz_samples": len(pairs),
        "noquiz_bytes_tag": med([a["bytes"] for a, _ in pairs]),
        "noquiz_bytes_notag": med([b["bytes"] for _, b in pairs]),
        "noquiz_pyodide_bytes": max(a["pyodide_bytes"] for a, _ in pairs),
        "noquiz_task_ms_tag": med([a["TaskDuration"] for a, _ in pairs]),
        "noquiz_task_ms_notag": med([b["TaskDuration"] for _, b in pairs]),
        "noquiz_task_ratio": med([a["TaskDuration"] / b["TaskDuration"] for a, b in pairs if b["TaskDuration"]]),
        "noquiz_script_ms_tag": med([a["ScriptDuration"] for a, _ in pairs]),
    })  # fmt: skip
    lat = [x for run in latency_phone for x in run["click_to_feedback_ms"]]
    out.update({
        "p@phone_answer_ms": med(lat),
        "p@phone_answer_p90_ms": sorted(lat)[int(0.9 * (len(lat) - 1))] if lat else None,
        "p@phone_python_check_ms": med([x for run in latency_phone for x in run["python_check_ms"]]),
        "p@phone_python_load_ms": med([run["python_init_ms"] for run in latency_phone]),
        "p@phone_python_compact_ms": med([run["python_compact_ms"] for run in latency_phone]),
    })  # fmt: skip
    return out


def paint_summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """FCP, LCP and load: medians of every sample, ratios of the samples taken side by side
    (each page against the page without our tag loaded just before it)."""
    samples = [
        dict(zip(PAINT_PAGES, row, strict=True))
        for r in rounds
        for row in zip(*(r["paint"][name] for name in PAINT_PAGES), strict=True)
    ]
    out: dict[str, Any] = {"paint_samples": len(samples)}
    for metric in ("fcp", "lcp", "load"):
        for name in PAINT_PAGES:
            out[f"{metric}_{name}_ms"] = med([x[name][metric] for x in samples])
            if name != "without":
                out[f"{metric}_{name}_ratio"] = med(
                    [x[name][metric] / x["without"][metric] for x in samples
                     if x[name][metric] and x["without"][metric]]
                )  # fmt: skip
    for name in PAINT_PAGES:
        out[f"{name}_longest_script_ms"] = max(x[name]["longest_script"] for x in samples)
        out[f"{name}_ours_long_tasks"] = sum(x[name]["ours_long_tasks"] for x in samples)
    # the names the table and the budget use
    out["fcp_ratio"], out["lcp_ratio"] = out["fcp_with_ratio"], out["lcp_with_ratio"]
    out["load_ratio"] = out["load_with_ratio"]
    out["paint_ours_long_tasks"] = out["with_ours_long_tasks"]
    out["long_tasks_without"] = 0  # the page without our tag runs no script
    return out


def budget(s: dict[str, Any]) -> list[tuple[str, str, bool]]:
    def f(x: float | None, fmt: str = "{:.2f}") -> str:
        return "n/a" if x is None else fmt.format(x)

    lcp_ok = s["lcp_ratio"] is not None and s["lcp_ratio"] <= 1.10
    fcp_ok = s["fcp_ratio"] is not None and s["fcp_ratio"] <= 1.10
    lines = []
    for p, name in (("", "desktop"), ("@phone", "phone")):
        lines += [
            (
                f"{name}: cold start <= 1.15x bare loadPyodide",
                f"{f(s[f'p{p}_cold_ratio'])}x",
                (s[f"p{p}_cold_ratio"] or 9) <= 1.15,
            ),
            (
                f"{name}: warm start <= 0.6x bare cold (a returning reader: snapshot restored)",
                f"{f(s[f'p{p}_warm_restored_ratio'])}x (booted: HTTP cache {f(s[f'p{p}_warm_http_ratio'])}x, "
                f"service worker {f(s[f'p{p}_warm_sw_ratio'])}x)",
                (s[f"p{p}_warm_restored_ratio"] or 9) <= 0.6,
            ),
            (
                f"{name}: pre-rendered quiz readable no later than quizdown's first paint",
                f"{f(s[f'p{p}_pre_cold_readable_ratio'])}x",
                (s[f"p{p}_pre_cold_readable_ratio"] or 9) <= 1.0,
            ),
        ]
    return [
        *lines,
        ("phone: answerable (Check -> feedback) within 2 s of navigation, warm visit (snapshot restored)",
         f"{f(s['p@phone_pre_restored_answerable_ms'], '{:.0f}')} ms (booted: {f(s['p@phone_pre_warm_answerable_ms'], '{:.0f}')} ms)",
         (s["p@phone_pre_restored_answerable_ms"] or 1e9) <= 2000),
        ("a page with the tag and no quiz fetches no Pyodide", f"{s['noquiz_pyodide_bytes']} bytes", s["noquiz_pyodide_bytes"] == 0),
        ("a page with the tag and no quiz: main-thread time within 10%", f"{f(s['noquiz_task_ratio'])}x", (s["noquiz_task_ratio"] or 9) <= 1.10),
        ("0 long tasks on the host's main thread from our code",
         f"{s['ours_long_tasks_total'] + s['paint_ours_long_tasks']} in {s['ours_long_tasks_loads'] + s['paint_samples']} page loads",
         s["ours_long_tasks_total"] + s["paint_ours_long_tasks"] == 0),
        ("content paints no later than without our tag (FCP, LCP within 10%)",
         f"FCP {f(s['fcp_ratio'])}x, LCP {f(s['lcp_ratio'])}x", lcp_ok and fcp_ok),
        ("answer latency < 16 ms median, 50,000 events", f"{f(s['answer_ms'], '{:.1f}')} ms", (s["answer_ms"] or 99) < 16),
        ("1,700 questions + 50,000 events < 1 MB localStorage", f"{s['storage_after_bytes'] / 1e6:.3f} MB", s["storage_after_bytes"] < 1_000_000),
        ("total cold transfer < 8 MB", f"{s['wire_cold_bytes'] / 1e6:.2f} MB", s["wire_cold_bytes"] < 8_000_000),
    ]  # fmt: skip


def print_table(s: dict[str, Any], rounds: int) -> None:
    def ms(x: float | None) -> str:
        return "   n/a" if x is None else f"{x:7.0f} ms"

    def r(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.2f}x"

    print(
        f"\nsocratiq_local bench: medians of {rounds} fresh contexts each (ratios: median of per-round ratios)\n"
    )
    rows = [
        ("1 cold: bare loadPyodide() (main thread)", ms(s["bare_cold_ms"]), "1.00x (the yardstick)"),
        ("1 cold: bare loadPyodide() in a module worker", ms(s["bare_worker_cold_ms"]), ""),
        ("1 cold: bare loadPyodide(), npm's stock Pyodide", ms(s["bare_stock_cold_ms"]), r(s["bare_stock_ratio"])),
        ("1 cold: chapter, first quiz answerable (no SW)", ms(s["cold_ms"]), r(s["cold_ratio"])),
        ("1 cold: same, vs stock bare", "", r(s["cold_ratio_vs_stock"])),
        ("1 cold: same, demo as shipped (SW registers)", "", r(s["cold_sw_first_visit_ratio"])),
        ("2 warm: bare loadPyodide(), HTTP cache", ms(s["bare_warm_ms"]), r(s["bare_warm_ratio"])),
        ("2 warm: chapter, HTTP cache", ms(s["warm_http_ms"]), f"{r(s['warm_http_ratio'])} ({r(s['warm_http_ratio_vs_stock'])} vs stock)"),
        ("2 warm: chapter, service worker", ms(s["warm_sw_ms"]), f"{r(s['warm_sw_ratio'])} ({r(s['warm_sw_ratio_vs_stock'])} vs stock)"),
        ("2 warm: bare loadPyodide() in a module worker", ms(s["bare_worker_warm_ms"]), ""),
        (f"3 FCP with / without our tag ({s['paint_samples']} pairs)", f"{s['fcp_with_ms']:.0f} / {s['fcp_without_ms']:.0f} ms", r(s["fcp_ratio"])),
        ("3 LCP with / without our tag", f"{s['lcp_with_ms']:.0f} / {s['lcp_without_ms']:.0f} ms", r(s["lcp_ratio"])),
        ("3 load event with / without our tag", f"{s['load_with_ms']:.0f} / {s['load_without_ms']:.0f} ms", r(s["load_ratio"])),
        ("3 FCP / LCP with a defer tag", f"{s['fcp_defer_ms']:.0f} / {s['lcp_defer_ms']:.0f} ms", f"{r(s['fcp_defer_ratio'])} / {r(s['lcp_defer_ratio'])}"),
        ("3 load event with a defer tag", f"{s['load_defer_ms']:.0f} ms", r(s["load_defer_ratio"])),
        ("3 our long tasks: async (shipped) / defer tag", f"{s['with_ours_long_tasks']} / {s['defer_ours_long_tasks']}",
         f"longest script {s['with_longest_script_ms']:.0f} / {s['defer_longest_script_ms']:.0f} ms"),
        ("3 long tasks >50 ms: with / without tag", f"{s['long_tasks_with']:.0f} / {s['long_tasks_without']:.0f}", f"ours: {s['long_frames_ours_max']}"),
        ("3 longest single run of our script (LoAF)", f"{s['ours_longest_script_ms']:.1f} ms", ""),
        ("4 click Check -> feedback in DOM (median, p90)", f"{s['answer_ms']:.1f} / {s['answer_p90_ms']:.1f} ms", ""),
        ("4 click Check -> next frame", f"{s['answer_frame_ms']:.1f} ms", ""),
        ("4 Python: grade + progress + log (check)", f"{s['python_check_ms']:.1f} ms", ""),
        ("5 Python: start (init; progress is read when first needed)", f"{s['python_load_ms']:.0f} ms", ""),
        ("5 Python: read 1,700 q / 50,000 events + save a snapshot (first compact)", f"{s['python_compact_ms']:.0f} ms", ""),
        ("5 localStorage, UTF-16 keys+values (seeded/after)", f"{s['storage_seeded_bytes'] / 1e6:.3f} / {s['storage_after_bytes'] / 1e6:.3f} MB", ""),
        ("6 cold transfer, gzipped as served (no SW)", f"{s['wire_cold_bytes'] / 1e6:.2f} MB", ""),
        ("6 cold transfer incl. SW precache", f"{s['wire_cold_sw_bytes'] / 1e6:.2f} MB", ""),
        ("6 renderer peak RSS (page+worker) / main JS heap", f"{(s['renderer_peak_rss'] or 0) / 1e6:.0f} / {(s['main_js_heap'] or 0) / 1e6:.1f} MB", ""),
        ("6 start-up snapshot kept in Cache Storage (one entry)", f"{(s['p_snapshot_bytes'] or 0) / 1e6:.1f} MB", ""),
        ("7 three questions: ours / quizdown, interactive", f"{s['three_ours_ms']:.0f} / {s['three_quizdown_ms']:.0f} ms", r(s["three_ratio"])),
        ("7 three questions: ours / quizdown, bytes", f"{s['three_ours_bytes'] / 1e6:.2f} / {s['three_quizdown_bytes'] / 1e6:.3f} MB", ""),
    ]  # fmt: skip
    for p, name in (("", "desktop"), ("@phone", "phone, CPU 4x")):
        rows += [
            (
                f"8 [{name}] bare loadPyodide() cold / warm",
                f"{s[f'p{p}_bare_cold_ms']:.0f} / {s[f'p{p}_bare_warm_ms']:.0f} ms",
                "",
            ),
            (
                f"8 [{name}] chapter cold (answerable, no SW)",
                ms(s[f"p{p}_cold_ms"]),
                r(s[f"p{p}_cold_ratio"]),
            ),
            (
                f"8 [{name}] chapter warm, booted: HTTP cache / SW",
                f"{s[f'p{p}_warm_http_ms']:.0f} / {s[f'p{p}_warm_sw_ms']:.0f} ms",
                f"{r(s[f'p{p}_warm_http_ratio'])} / {r(s[f'p{p}_warm_sw_ratio'])}",
            ),
            (
                f"8 [{name}] chapter warm, snapshot restored (HTTP cache)",
                ms(s[f"p{p}_warm_restored_ms"]),
                f"{r(s[f'p{p}_warm_restored_ratio'])} ({r(s[f'p{p}_restored_vs_booted_ratio'])} the booted warm visit)",
            ),
            (
                f"8 [{name}] quizdown: first paint / interactive",
                f"{s[f'p{p}_quizdown_paint_ms']:.0f} / {s[f'p{p}_quizdown_tti_ms']:.0f} ms",
                "",
            ),
        ]
        for v, visit in (("cold", "cold"), ("warm", "warm booted"), ("restored", "warm restored")):
            rows += [
                (
                    f"8 [{name}] pre-rendered chapter, {visit}: readable (vs quizdown paint)",
                    ms(s[f"p{p}_pre_{v}_readable_ms"]),
                    r(s[f"p{p}_pre_{v}_readable_ratio"]),
                ),
                (
                    f"8 [{name}] pre-rendered chapter, {visit}: Check pressed / feedback (vs quizdown TTI)",
                    f"{s[f'p{p}_pre_{v}_clicked_ms']:.0f} / {s[f'p{p}_pre_{v}_answerable_ms']:.0f} ms",
                    r(s[f"p{p}_pre_{v}_answerable_ratio"]),
                ),
            ]
    rows += [
        (
            "8 [phone] click Check -> feedback in DOM (median, p90)",
            f"{s['p@phone_answer_ms']:.1f} / {s['p@phone_answer_p90_ms']:.1f} ms",
            "",
        ),
        (
            "8 [phone] Python: check / init / first compact",
            f"{s['p@phone_python_check_ms']:.1f} / {s['p@phone_python_load_ms']:.0f} / {s['p@phone_python_compact_ms']:.0f} ms",
            "",
        ),
        *(
            (
                f"10 [{name}] a year's export (50,000 events): export / import into an empty book / into the book holding them",
                f"{s[f'p{p}_export_ms']:.0f} / {s[f'p{p}_import_empty_ms']:.0f} / {s[f'p{p}_import_again_ms']:.0f} ms",
                f"{s[f'p{p}_export_chars'] / 1e3:.0f} k characters",
            )
            for p, name in (("", "desktop"), ("@phone", "phone"))
            if f"p{p}_export_ms" in s  # the phone's only when named (AFTER_ROUNDS)
        ),
        (
            f"9 no quiz, tag / no tag: bytes ({s['noquiz_samples']} pairs)",
            f"{s['noquiz_bytes_tag'] / 1e3:.1f} / {s['noquiz_bytes_notag'] / 1e3:.1f} kB",
            f"Pyodide bytes: {s['noquiz_pyodide_bytes']}",
        ),
        (
            "9 no quiz, tag / no tag: main-thread task time",
            f"{s['noquiz_task_ms_tag']:.0f} / {s['noquiz_task_ms_notag']:.0f} ms",
            r(s["noquiz_task_ratio"]),
        ),
    ]
    width = max(len(a) for a, _, _ in rows)
    for a, b, c in rows:
        print(f"  {a:<{width}}  {b:>22}  {c}")
    print("\n  cold transfer per file (bytes on the wire, body as encoded + headers):")
    for path, size in s["wire_cold_files"].items():
        print(f"    {size:>10,}  {path}")
    for p, name in (("", "desktop"), ("@phone", "phone")):
        for visit in ("cold", "warm", "restored"):
            print(
                f"\n  [{name}] {visit} start stages of the chapter (ms after navigation start, medians):"
            )
            for k, v in s[f"p{p}_stages_{visit}_ms"].items():
                if v is not None:
                    print(f"    {v:8.1f}  {k}")
    print("\nbudget:")
    for line, value, ok in budget(s):
        print(f"  [{'met' if ok else 'MISSED'}] {line}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--answers", type=int, default=25, help="answers per latency run")
    parser.add_argument("--latency-runs", type=int, default=2)
    parser.add_argument("--phone-latency-runs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--only", help="comma-separated variants and AFTER_ROUNDS (debugging)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a budget line is missed")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    for needed in (ROOT / "web/dist/socratiq.js", ROOT / "web/demo/quizzes/quantization.json",
                   ROOT / "node_modules/quizdown/public/build/quizdown.js"):  # fmt: skip
        if not needed.exists():
            raise SystemExit(f"bench: {needed.relative_to(ROOT)} is missing: run ./build.sh bench")
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("bench: Debian's chromium is not installed")
    write_pages()
    write_defer_chapter()
    write_build_pages()

    names = [*VARIANTS, *AFTER_ROUNDS[:3]] if not args.only else args.only.split(",")
    unknown = set(names) - set(VARIANTS) - set(AFTER_ROUNDS)
    if unknown:
        raise SystemExit(f"bench: no variant {', '.join(sorted(unknown))}")
    seconds: dict[str, float] = {}  # per part, summed over rounds: what the bench's time goes to

    def timed(part: str, measure: Callable[[], Any]) -> Any:
        began = time.monotonic()
        result = measure()
        seconds[part] = seconds.get(part, 0.0) + time.monotonic() - began
        return result

    cache = ROOT / "build" / "bench" / f"history-{datetime.now(UTC).date()}.json"
    seeded: dict[str, str] = {}  # only the runs after the rounds use it
    if set(names) & set(AFTER_ROUNDS):
        if cache.exists():
            seeded = json.loads(cache.read_text())
        else:
            print("bench: writing a year of history (50,000 events, 1,700 questions)…", flush=True)
            seeded = timed("history", lambda: history_mod.history(50_000, 1_700, datetime.now(UTC)))
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(seeded))
    rounds: list[dict[str, Any]] = []
    latency: list[dict[str, Any]] = []
    latency_phone: list[dict[str, Any]] = []
    imports: dict[str, dict[str, Any]] = {}
    with served() as origin, sync_playwright() as pw:
        browser = launch(pw, chromium)
        global BROWSER_PID
        cdp = browser.new_browser_cdp_session()
        infos = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        BROWSER_PID = next(int(i["id"]) for i in infos if i["type"] == "browser")
        cdp.detach()
        rng = random.Random(6)
        for n in range(args.rounds):
            order = [v for v in names if v in VARIANTS and (n == 0 or v not in FIRST_ROUND_ONLY)]
            rng.shuffle(order)
            rounds.append({name: timed(name, lambda name=name: VARIANTS[name](browser, origin))
                           for name in order})  # fmt: skip
            print(
                f"bench: round {n + 1}/{args.rounds} done ({time.monotonic() - t0:.0f} s)",
                flush=True,
            )
        for part, runs, into in (("latency", args.latency_runs, latency),
                                 ("latency@phone", args.phone_latency_runs, latency_phone)):  # fmt: skip
            for n in range(runs if part in names else 0):
                with Throttle(BROWSER_PID) if part.endswith("@phone") else nullcontext():
                    into.append(
                        timed(part, lambda: answer_latency(browser, origin, seeded, args.answers))
                    )
                print(
                    f"bench: {part} run {n + 1}/{runs} done ({time.monotonic() - t0:.0f} s)",
                    flush=True,
                )
        for p in ("", "@phone"):
            if "import" + p in names:
                with Throttle(BROWSER_PID) if p else nullcontext():
                    imports[p] = timed("import" + p, lambda: import_speed(browser, origin, seeded))
                print(
                    f"bench: import{p} of a year of history done ({time.monotonic() - t0:.0f} s)",
                    flush=True,
                )
        version = browser.version
        browser.close()
    summary = (
        summarise(rounds, latency, latency_phone, history_mod.utf16_bytes(seeded), len(seeded))
        | {f"p{p}_{k}": v for p, figures in imports.items() for k, v in figures.items()}
        if not args.only
        else {}
    )
    part_seconds = {k: round(v, 1) for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])}
    out = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "chromium": version,
        "seconds": round(time.monotonic() - t0, 1),
        "memory_method": "renderer process peak RSS (VmHWM of /proc/<pid>/status; pid from CDP "
        "SystemInfo.getProcessInfo), which holds the page, its worker and its service worker; "
        "plus the main thread's JSHeapUsedSize from CDP Performance.getMetrics",
        "summary": summary,
        "budget": [{"line": a, "value": b, "met": c} for a, b, c in budget(summary)]
        if summary
        else [],
        "rounds": rounds,
        "latency": latency,
        "latency_phone": latency_phone,
        "imports": imports,
        "variant_seconds": part_seconds,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, default=str) + "\n")
    if summary:
        print_table(summary, args.rounds)
    print(
        f"\nbench: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} in {out['seconds']:.0f} s"
        f" ({', '.join(f'{k} {v:.0f}' for k, v in part_seconds.items())})"
    )
    missed = [line for line in out["budget"] if not line["met"]]
    return 1 if args.check and missed else 0


def launch(pw: Playwright, chromium: str) -> Browser:
    return pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


if __name__ == "__main__":
    sys.exit(main())
