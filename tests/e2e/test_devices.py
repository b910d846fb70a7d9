"""Progress moved between devices (separate browser contexts), each used over several
simulated days until compacted: exported and imported in every order, twice over, every
device's dashboard shows what one device that saw every answer shows. And an import in a tab
that is not the compactor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import feedback, wait_ready, watch

CHAPTER = "/web/demo/quantization.html"
PROGRESS = "/web/demo/progress.html"
DAY0 = datetime(2026, 5, 4, tzinfo=UTC)
INT8 = ("Roughly how much smaller", "4 times smaller", "2 times smaller")
PTQ = ("Post-training quantization (PTQ) requires", "False", "True")

#: Per device: (day, hour, question, right). Some questions are answered on two devices, on
#: different days: mastery, XP rounds and review cards come only from the union.
PLANS = {
    "a": [(0, 9, INT8, True), (0, 9, PTQ, False), (2, 9, PTQ, True)],
    "b": [(1, 12, PTQ, True), (1, 12, INT8, False), (3, 12, INT8, True)],
    "c": [(2, 15, INT8, True), (4, 15, PTQ, True)],
}


def answer(page: Page, question: tuple[str, str, str], right: bool) -> None:
    text, good, bad = question
    form = page.locator("form.sq-question").filter(has_text=text)
    label = page.locator("bdi", has_text=re.compile(f"^{good if right else bad}$"))
    radio = form.locator(".sq-choice").filter(has=label).locator("input")
    if radio.is_disabled():  # answered before (the page shows it so): as the reader would
        form.get_by_role("button", name="Try again").click()
        expect(radio).to_be_enabled()
    radio.check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Correct." if right else "Not quite.")


#: Whether the newest snapshot has folded every log and every imported file.
ALL_FOLDED = """() => {
    const keys = Object.keys(localStorage);
    const data = (key) => JSON.parse(localStorage.getItem(key)).data;
    const snapshots = keys.filter((k) => k.includes(':snapshot:')).map(data);
    if (!snapshots.length) return false;
    const latest = snapshots.reduce((a, b) => (a.generation > b.generation ? a : b));
    const logs = keys.filter((k) => k.includes(':log:')).map(data);
    const inboxes = keys.filter((k) => k.includes(':inbox:')).map((k) => k.split(':inbox:')[1]);
    const end = (log) => log.start + log.events.rows.length;
    return logs.every((log) => (latest.covers[log.writer] || 0) >= end(log))
        && inboxes.every((name) => latest.inboxes.includes(name));
}"""


def compacted(page: Page) -> None:
    """Let the elected tab compact (5 s after start, then every minute) until it has folded
    everything stored."""
    page.clock.fast_forward(6_000)
    page.wait_for_function(ALL_FOLDED, timeout=60_000)


def use(page: Page, origin: str, plan: list[tuple[int, int, tuple[str, str, str], bool]]) -> None:
    """Answer as planned, a visit per day (the page's clock set to it), compacting each day."""
    days = sorted({(day, hour) for day, hour, _, _ in plan})
    for day, hour in days:
        page.clock.set_system_time(DAY0 + timedelta(days=day, hours=hour))
        page.goto(origin + CHAPTER)
        wait_ready(page)
        for _, _, question, right in (p for p in plan if p[:2] == (day, hour)):
            answer(page, question, right)
        compacted(page)


def summary(page: Page, origin: str) -> dict[str, str]:
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    parts = {
        "answers": ".sq-answers",
        "xp": ".sq-xp-total",
        "level": ".sq-level-number",
        "goal": ".sq-goal-xp",
        "streak": ".sq-streak-days",
        "best": ".sq-best-streak",
        "next": ".sq-next-step",
    }
    out = {name: dashboard.locator(css).inner_text() for name, css in parts.items()}
    out["badges"] = " ".join(dashboard.locator(".sq-earned-badges li strong").all_inner_texts())
    return out


@pytest.fixture
def devices(browser: Browser, origin: str) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = []
    logs = []
    pages = {}
    for name in [*PLANS, "single"]:
        context = browser.new_context()
        logs.append(watch(context, origin))
        contexts.append(context)
        page = context.new_page()
        page.clock.install(time=DAY0)
        pages[name] = page
    yield pages
    for context in contexts:
        context.close()
    assert not [url for log in logs for url in log.foreign()]


def test_devices_merged_in_every_order_twice_agree_with_one_that_saw_every_answer(
    devices: dict[str, Page], origin: str
) -> None:
    everything = sorted((step for plan in PLANS.values() for step in plan), key=lambda s: s[:2])
    last = DAY0 + timedelta(days=5)  # every dashboard is read on this day
    use(devices["single"], origin, everything)
    devices["single"].clock.set_system_time(last)
    expected = summary(devices["single"], origin)
    assert expected["answers"] == "8 answers, 6 right"
    for name, plan in PLANS.items():
        use(devices[name], origin, plan)
    for again in (False, True):  # every ordered pair, in permutation order; then all again
        for source, target in permutations(PLANS, 2):
            page = devices[target]
            page.clock.set_system_time(last)
            page.goto(origin + PROGRESS)
            wait_ready(page)
            text = devices[source].evaluate("() => window.socratiq.exportProgress()")
            message = page.evaluate("(t) => window.socratiq.importProgress(t)", text)["message"]
            # the second time every device has every answer: nothing new (the import markers
            # that travel along are not counted)
            assert message.startswith("Imported 0 " if again else "Imported "), message
    for name in PLANS:
        page = devices[name]
        assert summary(page, origin) == expected, name
        compacted(page)  # folded by the compactor: the same
        assert summary(page, origin) == expected, name


#: A file dragged onto an element and dropped, as the browser reports it.
DROP = """async ([zone, text]) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'progress.json', {type: 'application/json'}));
    for (const type of ['dragenter', 'dragover', 'drop']) {
        const init = {dataTransfer: data, bubbles: true, cancelable: true, composed: true};
        zone.dispatchEvent(new DragEvent(type, init));
    }
}"""


def test_a_file_dropped_in_a_tab_that_is_not_the_compactor_is_imported_and_folded(
    browser: Browser, origin: str
) -> None:
    phone_context, desktop = browser.new_context(), browser.new_context()
    phone = phone_context.new_page()
    phone.goto(origin + CHAPTER)
    wait_ready(phone)
    answer(phone, INT8, True)
    text = phone.evaluate("() => window.socratiq.exportProgress()")
    first = desktop.new_page()  # the first tab holds the compactor lock for its life
    first.goto(origin + CHAPTER)
    wait_ready(first)
    answer(first, PTQ, True)
    second = desktop.new_page()
    second.goto(origin + PROGRESS)
    wait_ready(second)
    held = second.evaluate("async () => (await navigator.locks.query()).held.map(l => l.name)")
    assert any(name.endswith("compactor") for name in held)  # by the first tab, not this one
    dashboard = second.locator(".socratiq-dashboard")
    zone = dashboard.locator("[data-drop=import]")
    expect(zone).to_contain_text("Or drop a progress file here.")
    zone.evaluate(f"(zone, text) => ({DROP})([zone, text])", text)
    expect(dashboard.locator(".sq-data-status")).to_contain_text("Imported 1 answer")
    expect(dashboard.locator(".sq-answers")).to_have_text("2 answers, 2 right")
    inbox = "Object.keys(localStorage).filter(k => k.includes(':inbox:'))"
    assert len(second.evaluate(f"() => {inbox}")) == 1
    # The compactor (the first tab) folds it into the snapshot, whose history now holds it.
    first.wait_for_function(
        """() => Object.keys(localStorage).filter(k => k.includes(':snapshot:'))
            .some(k => JSON.parse(localStorage.getItem(k)).data.inboxes.length === 1)""",
        timeout=90_000,
    )
    first.reload()
    wait_ready(first)
    assert summary(first, origin)["answers"] == "2 answers, 2 right"
    for context in (phone_context, desktop):
        context.close()


def test_export_hands_the_file_to_the_share_sheet_where_there_is_one(
    context: BrowserContext, origin: str
) -> None:
    # Chromium on Linux has no share sheet: the Web Share API is stood in for, as on a phone.
    context.add_init_script(
        """navigator.canShare = (data) => Boolean(data.files && data.files.length);
        navigator.share = async (data) => { window.__shared = [data.files[0].name,
            data.files[0].type, await data.files[0].text()]; };"""
    )
    page = context.new_page()
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    dashboard.get_by_role("button", name="Export progress").click()
    expect(dashboard.locator(".sq-data-status")).to_have_text(
        "Your progress file was handed to the share sheet."
    )
    name, kind, text = page.evaluate("() => window.__shared")
    assert name.endswith("-progress.json") and kind == "application/json"
    assert '"socratiq":"export"' in text


def test_a_deeply_nested_file_is_refused_with_a_clear_message(page: Page, origin: str) -> None:
    page.goto(origin + PROGRESS)
    wait_ready(page)
    error = page.evaluate(
        """(text) => window.socratiq.importProgress(text).then(() => '', (e) => e.message)""",
        "[" * 100_000 + "]" * 100_000,
    )
    assert "nested deeper than 64 levels" in error
    assert summary(page, origin)["answers"] == "0 answers, 0 right"


#: The host page takes every byte of localStorage that is left (as a greedy host may).
FILL = """() => { let size = 1 << 22, n = 0;
    while (size >= 8) {
        try { localStorage.setItem('host-fill-' + n, 'x'.repeat(size)); n++; }
        catch { size >>= 1; }
    }
    return n; }"""


def test_an_import_larger_than_the_room_left_is_refused_and_changes_nothing(
    browser: Browser, origin: str
) -> None:
    phone_context, laptop_context = browser.new_context(), browser.new_context()
    phone = phone_context.new_page()
    phone.goto(origin + CHAPTER)
    wait_ready(phone)
    answer(phone, INT8, True)
    answer(phone, PTQ, True)
    text = phone.evaluate("() => window.socratiq.exportProgress()")
    laptop = laptop_context.new_page()
    laptop.goto(origin + PROGRESS)
    wait_ready(laptop)
    assert laptop.evaluate(FILL) > 0
    ours = "() => Object.keys(localStorage).filter(k => k.startsWith('socratiq:')).sort()"
    before = laptop.evaluate(ours)
    error = laptop.evaluate(
        "(text) => window.socratiq.importProgress(text).then(() => '', (e) => e.message)", text
    )
    assert error.startswith("Nothing was imported"), error
    assert laptop.evaluate(ours) == before  # no inbox, nothing half written
    dashboard = laptop.locator(".socratiq-dashboard")
    expect(dashboard.locator(".sq-answers")).to_have_text("0 answers, 0 right")
    for context in (phone_context, laptop_context):
        context.close()
