"""The start-up snapshot made on the device (web/snapshot.js, issue 13), in Chromium: a first
visit makes it in a second worker, the next visit restores it and answers right and wrong; a
flipped byte, a truncated entry, an entry of another bundle or Pyodide build each fall back to a
normal boot that works, and the bad entry is gone; without Cache Storage the page boots as usual.

One context (one device) holds the snapshot the first visit made; a pristine copy of it in a
cache of the test's own lets each case put back the entry it damages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import ANSWERED_LOG, wait_ready, watch

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "/web/demo/quantization.html"
MAKER_TIMEOUT_MS = 240_000  # five seconds after "warm", then a whole boot on a shared machine

# The worker's start-up stages ("snapshot" when it restored) and the maker's reply.
RECORD_WORKERS = """(() => {
  window.__sqStages = [];
  window.__sqMakers = 0;
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      if (options && options.name === "socratiq-snapshot") window.__sqMakers += 1;
      this.addEventListener("message", (event) => {
        const data = event.data || {};
        if (data.op === "snapshot") window.__sqMade = data.made;
        else if (data.op === "progress") window.__sqStages.push(data.stage);
      });
    }
  };
})();"""

# Cache Storage missing in the page and in its worker (as where a browser withholds it).
HIDE_CACHES = """(() => {
  Object.defineProperty(window, "caches", { value: undefined });
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, options) {
      const blob = (text) => URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      const hide = blob(`Object.defineProperty(self, "caches", { value: undefined });`);
      const real = new URL(url, location.href).href; // imported after `hide` ran
      super(blob(`import ${JSON.stringify(hide)}; import ${JSON.stringify(real)};`), options);
    }
  };
})();"""

ENTRIES = (
    """async () => (await (await caches.open("socratiq-snapshot")).keys()).map((r) => r.url)"""
)

KEEP_PRISTINE = """async () => {
  const cache = await caches.open("socratiq-snapshot");
  const [key] = await cache.keys();
  await (await caches.open("socratiq-test-pristine")).put(key.url, await cache.match(key));
}"""

# The pristine entry, damaged as `kind` says, as the only snapshot entry; returns its address.
PUT_ENTRY = """async (kind) => {
  const pristine = await caches.open("socratiq-test-pristine");
  const [key] = await pristine.keys();
  let bytes = new Uint8Array(await (await pristine.match(key)).arrayBuffer());
  let url = key.url;
  const metaBytes = new DataView(bytes.buffer).getUint32(0, true);
  const metaText = new TextDecoder().decode(bytes.subarray(4, 4 + metaBytes));
  const meta = JSON.parse(metaText);
  const start = 4 + metaBytes + ((16 - ((4 + metaBytes) % 16)) % 16);
  const rewrite = (from, to) => {
    if (from.length !== to.length) throw new Error("same length only");
    bytes.set(new TextEncoder().encode(metaText.replace(from, to)), 4);
  };
  if (kind === "flipped") bytes[start + Math.floor(meta.snapshotBytes / 2)] ^= 0xff;
  else if (kind === "truncated") bytes = bytes.slice(0, bytes.length - 4096);
  else if (kind === "other-bundle") url = url.replace(/[0-9a-f]+$/, (v) => "0".repeat(v.length));
  else if (kind === "other-meta") rewrite(meta.bundle, "0".repeat(meta.bundle.length));
  else if (kind === "other-build") rewrite(meta.buildId, "0".repeat(meta.buildId.length));
  else if (kind !== "pristine") throw new Error(kind);
  const cache = await caches.open("socratiq-snapshot");
  for (const old of await cache.keys()) await cache.delete(old);
  await cache.put(url, new Response(bytes));
  return url;
}"""


def answer_each_choice(page: Page) -> list[bool]:
    """Every choice of the page's first multiple-choice question checked in turn ("Try again"
    between): the `correct` flag of each reply, one right and the others wrong. A question
    answered on an earlier visit starts over the same way."""
    page.evaluate(ANSWERED_LOG)
    form = page.locator("form.sq-question").filter(has=page.get_by_role("radio")).first
    radios = form.get_by_role("radio")
    for choice in range(radios.count()):
        if form.get_attribute("data-stage") == "final":
            form.locator("button[data-action=retry]").click()
            expect(form).to_have_attribute("data-stage", "fresh")
        graded = page.evaluate("() => window.__sqAnswered.length")
        radios.nth(choice).check()
        form.locator("button.sq-check").click()
        page.wait_for_function(f"() => window.__sqAnswered.length > {graded}")
    flags: list[bool] = page.evaluate("() => window.__sqAnswered.map(a => a.correct)")
    return flags


class Visit:
    """One visit of the chapter: the worker's stages, the snapshot entries when the engine was
    ready, every question answered (their `correct` flags), and what the console said."""

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.page: Page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.goto(origin + CHAPTER)
        wait_ready(self.page)
        self.entries: list[str] = self.page.evaluate(ENTRIES)  # before the maker could start
        self.stages: list[str] = self.page.evaluate("window.__sqStages")
        self.correct = answer_each_choice(self.page)

    def restored(self) -> bool:
        return "snapshot" in self.stages

    def answers_right_and_wrong(self) -> bool:
        return self.correct.count(True) == 1 and False in self.correct


@pytest.fixture(scope="module")
def device(browser: Browser, origin: str) -> Iterator[BrowserContext]:
    """A reader's browser whose second visit made the snapshot (kept as a pristine copy too):
    a one-off visit starts no maker."""
    context = browser.new_context()
    requests = watch(context, origin)
    context.add_init_script(RECORD_WORKERS)
    first = Visit(context, origin)
    assert not first.restored() and first.entries == []
    assert first.answers_right_and_wrong()
    first.page.wait_for_timeout(8_000)  # past the maker's delay after "warm"
    assert first.page.evaluate("window.__sqMakers") == 0, "a first visit started the maker"
    first.page.close()
    second = Visit(context, origin)
    assert not second.restored() and second.entries == []
    second.page.wait_for_function("() => window.__sqMade !== undefined", timeout=MAKER_TIMEOUT_MS)
    assert second.page.evaluate("window.__sqMade") is True
    first = second
    entries = first.page.evaluate(ENTRIES)
    assert len(entries) == 1 and re.search(
        r"/web/dist/snapshot/314\.0\.7/[0-9a-f]{64}$", entries[0]
    )
    first.page.evaluate(KEEP_PRISTINE)
    first.page.close()
    yield context
    context.close()
    assert requests.foreign() == [], "requests left the page's origin"


def put_entry(context: BrowserContext, origin: str, kind: str) -> str:
    page = context.new_page()
    page.goto(origin + "/web/demo/index.html")
    url: str = page.evaluate(PUT_ENTRY, kind)
    page.close()
    return url


def test_the_next_visit_restores_the_snapshot_and_answers(
    device: BrowserContext, origin: str
) -> None:
    url = put_entry(device, origin, "pristine")
    visit = Visit(device, origin)
    assert visit.restored(), visit.stages
    assert visit.entries == [url]  # kept for the visits after
    assert visit.answers_right_and_wrong()
    visit.page.close()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("flipped", "snapshot corrupt"),
        ("truncated", "truncated entry"),
        ("other-meta", "entry of another version"),
        ("other-build", "entry of another Pyodide build"),
    ],
)
def test_a_bad_entry_falls_back_to_a_normal_boot_and_is_deleted(
    device: BrowserContext, origin: str, kind: str, reason: str
) -> None:
    put_entry(device, origin, kind)
    visit = Visit(device, origin)
    assert not visit.restored(), visit.stages
    assert visit.entries == []
    assert visit.answers_right_and_wrong()
    notes = [line for line in visit.console if "start-up snapshot" in line]
    assert len(notes) == 1 and reason in notes[0], visit.console
    visit.page.close()


def test_an_entry_of_another_bundle_version_is_deleted(device: BrowserContext, origin: str) -> None:
    put_entry(device, origin, "other-bundle")
    visit = Visit(device, origin)
    assert not visit.restored() and visit.entries == []
    assert visit.answers_right_and_wrong()
    assert not [line for line in visit.console if "start-up snapshot" in line]  # not an error
    visit.page.close()


def test_without_cache_storage_the_page_boots_as_usual(browser: Browser, origin: str) -> None:
    context = browser.new_context()
    requests = watch(context, origin)
    context.add_init_script(RECORD_WORKERS)
    context.add_init_script(HIDE_CACHES)
    page = context.new_page()
    page.goto(origin + CHAPTER)
    wait_ready(page)
    flags = answer_each_choice(page)
    assert True in flags and False in flags
    assert "snapshot" not in page.evaluate("window.__sqStages")
    context.close()
    assert requests.foreign() == []


def test_the_snapshot_code_is_verified_for_the_pinned_pyodide() -> None:
    """web/snapshot.js relies on Pyodide's private internals: an upgrade must be verified again
    (bench/snapshot_restore.mjs, these tests), then VERIFIED_PYODIDE moved with the pin."""
    pin = json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyodide"]
    verified = re.search(
        r'VERIFIED_PYODIDE = "([^"]+)"', (ROOT / "web" / "snapshot.js").read_text()
    )
    assert verified is not None
    assert pin == verified.group(1), (
        f"package.json pins pyodide {pin}; web/snapshot.js was verified on {verified.group(1)}"
    )


def test_under_the_service_worker_a_visit_restores_it_online_and_offline(
    browser: Browser, origin: str
) -> None:
    """The demo registers its service worker: the worker is then a blob: worker served from the
    precache, and offline the bundle version comes from the service worker's copy."""
    context = browser.new_context()
    requests = watch(context, origin)
    context.add_init_script(RECORD_WORKERS)
    first = Visit(context, origin)
    first.page.evaluate("() => navigator.serviceWorker.ready")
    first.page.close()
    second = Visit(context, origin)  # a returning reader: the maker runs
    second.page.wait_for_function("() => window.__sqMade !== undefined", timeout=MAKER_TIMEOUT_MS)
    assert second.page.evaluate("window.__sqMade") is True
    second.page.close()
    for offline in (False, True):
        context.set_offline(offline)
        visit = Visit(context, origin)
        assert visit.page.evaluate("() => navigator.serviceWorker.controller !== null")
        assert visit.restored(), (offline, visit.stages, visit.console)
        assert visit.answers_right_and_wrong()
        visit.page.close()
    context.close()
    assert requests.foreign() == []
