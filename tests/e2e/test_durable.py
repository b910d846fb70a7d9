"""Storage that survives what browsers do: a hard kill, a wipe racing another tab, deep values in
any key, a full storage (ours or the host page's doing), and four tabs answering at once.

Each figure measured here is printed (run with -s to read it); only what must hold is asserted.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import statistics
import time
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from tools.chromium import CHROMIUM_ARGS

from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.storage.book import read_export
from socratiq_local.storage.codec import pack_history, unpack_history

from .conftest import wait_ready, watch

DEMO = "/web/demo/quantization.html"

#: Answers the first quantization question right (trying again first if it is answered), and
#: resolves with the milliseconds from Check to the engine's reply drawn (`socratiq:answered`);
#: `window.__sqChecked` is when Check was pressed (the time the engine stamps the answer with).
ANSWER = """async () => {
  const forms = () => [...document.querySelectorAll('.socratiq-quiz')].flatMap((host) =>
    host.shadowRoot ? [...host.shadowRoot.querySelectorAll('form.sq-question')] : []);
  const ours = () => forms().find((f) => f.textContent.includes('4 times smaller'));
  const until = async (test) => { while (!test()) await new Promise((r) => setTimeout(r, 5)); };
  if (ours().dataset.stage !== 'fresh') {
    ours().querySelector('button[data-action=retry]').click();
    await until(() => ours().dataset.stage === 'fresh');
  }
  const radio = [...ours().querySelectorAll('input[type=radio]')]
    .find((r) => (r.closest('label') || ours().querySelector(`label[for="${r.id}"]`))
      .textContent.includes('4 times smaller'));
  radio.click();
  const answered = new Promise((resolve) =>
    document.addEventListener('socratiq:answered', resolve, { once: true }));
  const started = performance.now();
  window.__sqChecked = Date.now();
  ours().querySelector('button.sq-check').click();
  await answered;
  return performance.now() - started;
}"""

#: Answers again and again until `window.__sqStop`, recording when each answer began (its
#: Check: the time the engine stamps it with) and how long it took.
ANSWER_LOOP = (
    """async (pause) => {
  window.__sqStop = false; window.__sqTimes = []; window.__sqLatency = [];
  const answer = """
    + ANSWER
    + """;
  while (!window.__sqStop) {
    window.__sqLatency.push(await answer());
    window.__sqTimes.push(window.__sqChecked);
    await new Promise((r) => setTimeout(r, pause));
  }
}"""
)


def answers_in(export_text: str) -> int:
    """How many answers an export holds (every event of its history)."""
    progress = read_export(export_text)
    return replay(unpack_history(progress.history), ProgressState()).answers


def exported(page: Page) -> int:
    return answers_in(page.evaluate("() => window.socratiq.exportProgress()"))


def open_demo(context: BrowserContext, origin: str) -> Page:
    page = context.new_page()
    page.goto(origin + DEMO)
    wait_ready(page)
    return page


def browser_pid(user_data_dir: Path) -> int:
    """The browser process (not a renderer) this test started with `user_data_dir`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        flag = f"--user-data-dir={user_data_dir}".encode()
        if flag in argv and not any(a.startswith(b"--type=") for a in argv):
            return int(entry.name)
    raise AssertionError("the browser process was not found")


#: How long the test answers before the kill. Chromium writes a site's localStorage to disk
#: 5 s after a change, but at most 60 times an hour counted from when the page opened it
#: (components/services/storage/dom_storage/local_storage_impl.cc: kCommitDefaultDelaySecs,
#: kMaxCommitsPerHour): after its first commit, nothing more for about a minute. Without the
#: crash journal (web/src/journal.js) this run lost the last 25 s (16 of 115 answers kept).
ANSWERING_S = 30
#: With the journal: measured 0 lost of 259 in one tab, of 251 in two (without it, over 75 s,
#: 104 of 315 lost, the last 25 s); the bound leaves room for a journal write under way.
LOSS_BOUND_S = 2


def test_a_hard_kill_loses_no_answer_older_than_a_moment(
    playwright: Playwright, chromium_path: str, origin: str, tmp_path: Path
) -> None:
    """The browser process killed (as a phone's system kills it) while answering one every
    250 ms: how old may an answer be and still be lost? Measured, printed, and bounded."""
    profile = tmp_path / "profile"
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=chromium_path, args=CHROMIUM_ARGS
    )
    requests = watch(context, origin)
    tabs = [open_demo(context, origin) for _ in range(2)]  # two writers: w0 and w1
    for tab in tabs:
        tab.evaluate("() => { window.__sqRun = (" + ANSWER_LOOP + ")(200); }")
    time.sleep(ANSWERING_S)
    times: list[int] = sorted(
        t for tab in tabs for t in tab.evaluate("() => window.__sqTimes.slice()")
    )
    killed_at = tabs[0].evaluate("() => Date.now()")
    os.kill(browser_pid(profile), signal.SIGKILL)
    with suppress(Exception):  # the browser is gone already: that is the point
        context.close()
    again = playwright.chromium.launch_persistent_context(
        profile, executable_path=chromium_path, args=CHROMIUM_ARGS
    )
    try:  # one tab: it puts back its own writer's journal and the other's (no tab holds it)
        kept = exported(open_demo(again, origin))
    finally:
        again.close()
    assert requests.foreign() == []
    given = len(times)
    lost = max(0, given - kept)
    window_s = 0.0 if lost == 0 else (killed_at - times[given - lost]) / 1000
    print(f"\nhard kill: {given} answers given, {kept} kept, {lost} lost, window {window_s:.1f} s")
    assert given >= 2 * 4 * ANSWERING_S * 0.5 and kept >= 1
    assert window_s <= LOSS_BOUND_S, f"answers {window_s:.1f} s old were lost"


def test_a_wipe_racing_another_tabs_answers_sticks_every_time(
    context: BrowserContext, origin: str
) -> None:
    """Twenty times: one tab wipes while another answers as fast as it can; nothing answered
    before the wipe comes back, and that tab's answers after it all count."""
    wiper, answering = open_demo(context, origin), open_demo(context, origin)
    for run in range(20):
        answering.evaluate("() => { window.__sqRun = (" + ANSWER_LOOP + ")(0); }")
        answering.wait_for_function("() => window.__sqTimes.length >= 3")
        begun = wiper.evaluate("() => Date.now()")
        wiper.evaluate("() => window.socratiq.wipe()")
        ended = wiper.evaluate("() => Date.now()")
        answering.wait_for_function(f"() => window.__sqTimes.filter(t => t > {ended}).length >= 2")
        answering.evaluate("async () => { window.__sqStop = true; await window.__sqRun; }")
        times: list[int] = answering.evaluate("() => window.__sqTimes")
        for _ in range(3):  # its next answers
            answering.evaluate(ANSWER)
        answering.wait_for_timeout(100)  # the storage events reach the other tab
        after_end = sum(t > ended for t in times) + 3
        after_begin = sum(t >= begun for t in times) + 3
        for tab in (wiper, answering):
            counted = exported(tab)
            assert after_end <= counted <= after_begin, (run, counted, after_end, after_begin)
        fresh = open_demo(context, origin)
        assert after_end <= exported(fresh) <= after_begin, run
        fresh.close()


DEEP = "[" * 3000 + "]" * 3000


def test_a_3000_deep_value_in_each_key_is_set_aside_and_answering_works(
    context: BrowserContext, origin: str
) -> None:
    setup = open_demo(context, origin)
    setup.evaluate(ANSWER)
    keys = setup.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('socratiq:'))")
    book = keys[0].split(":")[1]
    deep_keys = [f"socratiq:{book}:learner", f"socratiq:{book}:log:w9:0"]
    deep_keys.append(f"socratiq:{book}:snapshot:1")
    setup.close()
    page = context.new_page()
    page.goto(origin + DEMO)
    page.evaluate(
        "([keys, deep]) => keys.forEach((k) => localStorage.setItem(k, deep))", [deep_keys, DEEP]
    )
    page.reload()
    wait_ready(page)
    assert page.evaluate(ANSWER) > 0  # the engine answers
    assert exported(page) >= 2
    # The learner's record is set aside at once; the others by the compacting tab (5 s in).
    page.wait_for_function(
        "([keys, deep]) => keys.every((k) => localStorage.getItem(k) !== deep)",
        arg=[deep_keys, DEEP],
        timeout=20_000,
    )
    stored = page.evaluate("() => ({...localStorage})")
    aside = [json.loads(v) for k, v in stored.items() if ":quarantine:" in k]
    assert sorted(a["key"] for a in aside if a["value"] == DEEP) == sorted(deep_keys)
    page.reload()
    wait_ready(page)
    assert page.evaluate(ANSWER) > 0 and exported(page) >= 3  # and on every later load


def test_dashboard_warnings_outlive_its_redrawing_until_dismissed(
    context: BrowserContext, origin: str
) -> None:
    """A damaged learner record is set aside and said; the dashboard, redrawn after an answer
    in another tab, still says it; Dismiss removes it; host API results carry no internals."""
    setup = open_demo(context, origin)
    setup.evaluate(ANSWER)
    book = setup.evaluate("() => window.socratiq.book")
    setup.evaluate(f"() => localStorage.setItem('socratiq:{book}:learner', '{{damaged')")
    setup.close()
    board = context.new_page()
    board.goto(origin + "/web/demo/progress.html")
    wait_ready(board)
    dashboard = board.locator(".socratiq-dashboard")
    said = dashboard.locator(".sq-warnings")
    expect(said).to_contain_text(f"socratiq:{book}:learner aside")
    other = open_demo(context, origin)
    answers = dashboard.locator(".sq-answers")
    before = answers.text_content()
    other.evaluate(ANSWER)
    expect(answers).not_to_have_text(before or "")  # redrawn with the other tab's answer
    expect(said).to_contain_text(f"socratiq:{book}:learner aside")
    dashboard.get_by_role("button", name="Dismiss these messages").click()
    expect(said).to_have_count(0)
    text = board.evaluate("() => window.socratiq.exportProgress()")
    imported = board.evaluate("(text) => window.socratiq.importProgress(text)", text)
    assert sorted(imported) == ["message"]
    assert board.evaluate("() => window.socratiq.wipe()") == {}
    assert board.evaluate(JOURNALLED, book) == 0  # the crash journal's copies went too


#: How many chunks of a book the crash journal (web/src/journal.js) holds.
JOURNALLED = """(book) => new Promise((resolve) => {
  const open = indexedDB.open('socratiq-journal');
  open.onsuccess = () => {
    const range = IDBKeyRange.bound(`socratiq:${book}:log:`, `socratiq:${book}:log:\\uffff`);
    const count = open.result.transaction('chunks').objectStore('chunks').count(range);
    count.onsuccess = () => resolve(count.result);
  };
})"""


def test_a_greedy_host_filling_the_storage_loses_no_answer_and_warns_once(
    context: BrowserContext, origin: str
) -> None:
    page = open_demo(context, origin)
    page.evaluate(ANSWER)
    page.evaluate(
        """() => { let chunk = 'x'.repeat(1 << 20), n = 0;
        while (chunk.length > 8) { try { localStorage.setItem('host:' + n++, chunk); }
          catch (e) { chunk = chunk.slice(0, chunk.length >> 1); } } }"""
    )
    for _ in range(30):
        page.evaluate(ANSWER)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.socratiq-quiz')].flatMap((h) =>
        [...h.shadowRoot.querySelectorAll('.sq-warnings p')].map((p) => p.textContent))"""
    )
    warnings = [w for w in shown if "storage for the site is full" in w]
    hosts = page.evaluate("() => document.querySelectorAll('.socratiq-quiz').length")
    assert len(warnings) <= hosts  # said once (on each quiz of the page), not per answer
    page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('host:'))"
        ".forEach(k => localStorage.removeItem(k))"
    )
    page.wait_for_timeout(21_000)  # the engine tries the real storage again after 20 s
    page.evaluate(ANSWER)
    page.wait_for_timeout(200)
    fresh = open_demo(context, origin)
    assert exported(fresh) == 32


def test_an_import_larger_than_the_free_space_fails_and_later_answers_save(
    context: BrowserContext, origin: str, tmp_path: Path
) -> None:
    page = open_demo(context, origin)
    page.evaluate(ANSWER)
    text = page.evaluate("() => window.socratiq.exportProgress()")
    document = json.loads(text)
    event = unpack_history(document["data"]["history"])[0]
    # Ids that differ in their first characters (what a history keeps): no two are copies.
    events = [event.model_copy(update={"id": secrets.token_hex(16)}) for _ in range(40_000)]
    from socratiq_local.storage.envelope import seal

    big = seal("export", {**document["data"], "history": pack_history(events)})
    page.evaluate(
        """() => { let chunk = 'x'.repeat(1 << 20), n = 0;
        while (chunk.length > 20000) { try { localStorage.setItem('host:' + n++, chunk); }
          catch (e) { chunk = chunk.slice(0, chunk.length >> 1); } } }"""
    )
    failed = page.evaluate(
        "(text) => window.socratiq.importProgress(text).then(() => null, (e) => e.message)", big
    )
    assert failed is not None and failed.startswith("Nothing was imported"), failed
    page.evaluate(ANSWER)
    page.wait_for_timeout(200)
    assert exported(open_demo(context, origin)) == 2


def test_four_busy_tabs_answer_fast(browser: Browser, origin: str) -> None:
    """Four tabs answering continuously: Check to feedback, per answer, in each tab."""
    context = browser.new_context()
    try:
        tabs = [open_demo(context, origin) for _ in range(4)]
        for tab in tabs:
            tab.evaluate("() => { window.__sqRun = (" + ANSWER_LOOP + ")(250); }")
        time.sleep(30)
        latencies: list[float] = []
        for tab in tabs:
            latencies += tab.evaluate(
                "async () => { window.__sqStop = true; await window.__sqRun; return __sqLatency; }"
            )[5:]
        latencies.sort()
        median = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95)]
        print(
            f"\n4 busy tabs: {len(latencies)} answers, Check to feedback median {median:.0f} ms,"
            f" p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms"
        )
        expect(tabs[0].locator(".socratiq-quiz").first).to_be_visible()
        assert len(latencies) >= 100
        assert median < 1_000, "generous: a shared machine; bench/ measures it properly"
        total = exported(open_demo(context, origin))
        assert total >= len(latencies)
    finally:
        context.close()
