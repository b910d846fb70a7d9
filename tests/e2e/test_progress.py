"""Progress in the browser: it survives reloads and restarts, two tabs, and a damaged storage."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from tools.chromium import CHROMIUM_ARGS

from .conftest import RequestLog, answer_int8, feedback, wait_ready, watch

CHAPTER = "/web/demo/quantization.html"
PROGRESS = "/web/demo/progress.html"


def answer_ptq(page: Page, right: bool) -> None:
    form = page.locator("form.sq-question").filter(
        has_text="Post-training quantization (PTQ) requires"
    )
    form.get_by_role("radio", name="False" if right else "True").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Correct." if right else "Not quite.")


def answer_numeric(page: Page, text_start: str, value: str) -> None:
    form = page.locator("form.sq-question").filter(has_text=text_start)
    form.get_by_role("textbox", name="Your answer").fill(value)
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).not_to_be_empty()


def progress_summary(page: Page, origin: str) -> dict[str, str]:
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    return {
        "answers": dashboard.locator(".sq-answers").inner_text(),
        "xp": dashboard.locator(".sq-xp-total").inner_text(),
        "level": dashboard.locator(".sq-level-number").inner_text(),
        "badges": " ".join(dashboard.locator(".sq-earned-badges li strong").all_inner_texts()),
        "goal": dashboard.locator(".sq-goal-xp").inner_text(),
        "streak": dashboard.locator(".sq-streak-days").inner_text(),
        "best streak": dashboard.locator(".sq-best-streak").inner_text(),
    }


def test_progress_survives_a_reload_and_a_browser_restart(
    playwright: Playwright, chromium_path: str, origin: str, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"

    def open_browser() -> tuple[BrowserContext, RequestLog]:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        return context, watch(context, origin)

    context, log = open_browser()
    page = context.new_page()
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    answer_ptq(page, right=True)
    page.reload()
    wait_ready(page)
    before = progress_summary(page, origin)
    assert before["answers"] == "2 answers, 2 right"
    assert "First step" in before["badges"]
    assert re.fullmatch(r"\d+ XP", before["xp"]) and not before["xp"].startswith("0 ")
    context.close()
    assert log.foreign() == []

    context, log = open_browser()
    after = progress_summary(context.new_page(), origin)
    assert after == before
    context.close()
    assert log.foreign() == []


def test_two_tabs_answering_interleaved_lose_nothing(context: BrowserContext, origin: str) -> None:
    left, right = context.new_page(), context.new_page()  # separate renderers, like real tabs
    for page in (left, right):
        page.goto(origin + CHAPTER)
        wait_ready(page)
    answer_int8(left)
    answer_ptq(right, right=False)
    answer_numeric(left, "How many gigabytes", "3.5")
    answer_numeric(right, "largest rounding error", "0.05")
    answer_ptq(left, right=True)
    answer_numeric(right, "How many gigabytes", "7")
    summary = progress_summary(context.new_page(), origin)
    # the right tab's miss on the true/false question showed its solution, so the left tab's
    # right answer to it the same day is an answer, not recall: not counted right
    assert summary["answers"] == "6 answers, 3 right"
    # and each tab sees the other's answers too (the storage event)
    left.goto(origin + PROGRESS)
    wait_ready(left)
    expect(left.locator(".sq-answers")).to_have_text("6 answers, 3 right")


def test_damaged_and_foreign_storage_is_reported_and_the_rest_kept(page: Page, origin: str) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    page.evaluate(
        """() => {
        localStorage.setItem('socratiq:mlsys-demo:log:w9', '{"socratiq":"log","v":1,"sum":"bad"');
        localStorage.setItem('socratiq:mlsys-demo:snapshot:1', 'not json at all');
        localStorage.setItem('socratiq:mlsys-demo:stray', '<img src=x onerror="window.__pwned=1">');
        localStorage.setItem('someone-else', 'the host page\\'s own data');
    }"""
    )
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.locator(".sq-answers")).to_have_text("1 answer, 1 right")
    warnings = dashboard.locator(".sq-warnings")
    expect(warnings).to_contain_text("socratiq:mlsys-demo:stray")
    expect(warnings).to_contain_text("socratiq:mlsys-demo:log:w9")
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => localStorage.getItem('someone-else')") == "the host page's own data"
    # answering still works, and is kept
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_ptq(page, right=True)
    assert progress_summary(page, origin)["answers"] == "2 answers, 2 right"
    # the tab holding the compactor lock moves bad values aside (not deleted) soon after start
    page.wait_for_function(
        "() => Object.keys(localStorage).some(k => k.includes(':quarantine:'))", timeout=20_000
    )


def test_export_wipe_import_through_the_page_api(page: Page, origin: str) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    answer_ptq(page, right=False)
    exported = page.evaluate("() => window.socratiq.exportProgress()")
    page.evaluate("() => window.socratiq.wipe()")
    assert progress_summary(page, origin)["answers"] == "0 answers, 0 right"
    message = page.evaluate("(text) => window.socratiq.importProgress(text)", exported)["message"]
    assert message.startswith("Imported 2 answers")
    assert progress_summary(page, origin)["answers"] == "2 answers, 1 right"


def test_dom_events_let_the_host_page_react(browser: Browser, origin: str) -> None:
    context = browser.new_context()
    log = watch(context, origin)
    page = context.new_page()
    page.goto(origin + CHAPTER)
    page.evaluate(
        """() => { window.__events = [];
        for (const name of ['socratiq:answered', 'socratiq:badge', 'socratiq:level'])
          document.addEventListener(name, (e) => window.__events.push([name, e.detail])); }"""
    )
    wait_ready(page)
    answer_int8(page)
    events = page.evaluate("() => window.__events")
    names = [name for name, _ in events]
    assert names[0] == "socratiq:answered" and events[0][1]["correct"] is True
    assert "socratiq:badge" in names
    context.close()
    assert log.foreign() == []
