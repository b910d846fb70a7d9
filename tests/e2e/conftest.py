"""Browser tests: the real bundle, served by tools/serve.py on 127.0.0.1, in Debian's chromium.

Every context records every request it makes (service-worker fetches included); a test fails
if any of them leaves the page's own origin.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from tools.chromium import CHROMIUM_ARGS
from tools.serve import serving

from socratiq_local.i18n import ENGLISH, Texts

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
READY_TIMEOUT_MS = 60_000
#: Every page with quizzes that the layout and accessibility tests measure.
QUIZ_PAGES = {
    "quantization": "/web/demo/quantization.html",
    "data-pipelines": "/web/demo/data-pipelines.html",
    "serving": "/web/demo/serving.html",
    "all-types": "/tests/e2e/pages/all-types.html",
    "rtl": "/tests/e2e/pages/rtl.html",
}


@pytest.fixture(scope="session")
def origin() -> Iterator[str]:
    if not (WEB / "dist" / "socratiq.js").exists() or not (WEB / "demo" / "quizzes").exists():
        pytest.exit(
            "web/dist or the demo's quizzes are missing: run ./build.sh bundle", returncode=3
        )
    with serving(ROOT, "/web/demo/index.html") as url:  # /web/dist, /web/demo, /tests/e2e/pages
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.exit("Debian's chromium is not installed (./build.sh installs it)", returncode=3)
    return path


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class RequestLog:
    """Every URL a context requested, to prove none left the origin."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.urls: list[str] = []

    def record(self, url: str) -> None:
        self.urls.append(url)

    def foreign(self) -> list[str]:
        allowed = (self.origin + "/", "blob:", "data:", "about:")
        return [u for u in self.urls if not u.startswith(allowed)]


def watch(context: BrowserContext, origin: str) -> RequestLog:
    log = RequestLog(origin)
    context.on("request", lambda request: log.record(request.url))
    return log


@pytest.fixture
def requests_log(origin: str) -> RequestLog:
    return RequestLog(origin)


@pytest.fixture
def context(browser: Browser, origin: str, requests_log: RequestLog) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.on("request", lambda request: requests_log.record(request.url))
    yield context
    context.close()
    assert requests_log.foreign() == [], "requests left the page's origin"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def wait_ready(page: Page) -> None:
    """Wait for the engine, then for every quiz and dashboard on the page to be drawn."""
    page.wait_for_function("() => window.socratiq", timeout=READY_TIMEOUT_MS)
    page.evaluate("() => window.socratiq.start()")
    page.wait_for_function(ALL_DRAWN, timeout=READY_TIMEOUT_MS)


# Drawn by the engine: no placeholder, and no build-time drawing (a pre-rendered quiz is replaced
# by the engine's, so a choice made on the build-time one would be lost).
ALL_DRAWN = """() => [...document.querySelectorAll(
        '.socratiq-quiz:not(script), .socratiq-dashboard, .socratiq-progress')]
    .every(host => host.shadowRoot && !host.shadowRoot.querySelector('.sq-placeholder')
        && !host.shadowRoot.querySelector('[data-sq-static]'))"""


def feedback(form: Locator) -> Locator:
    """A question's feedback panel (in the form the engine draws again after each reply)."""
    return form.locator(".sq-feedback")


def live_region(host: Locator) -> Locator:
    """The polite live region of a quiz or dashboard: one per host, beside its content."""
    return host.locator(".sq-live")


def answer_int8(page: Page, t: Texts = ENGLISH) -> None:
    """Answer the demo's first quantization question right, by its accessible names in `t`'s
    language."""
    form = page.locator("form.sq-question").filter(
        has=page.get_by_role("radio", name="4 times smaller")
    )
    form.get_by_role("radio", name="4 times smaller").check()
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"))


ANSWERED_LOG = """() => { if (window.__sqAnswered) return; window.__sqAnswered = [];
    document.addEventListener('socratiq:answered', (e) => window.__sqAnswered.push(e.detail)); }"""


def answer_every_question(page: Page) -> list[bool]:
    """Answer every question on the page so that feedback shows, right and wrong: a question
    with radios is tried choice by choice until right (its last feedback says "Correct."),
    with "Try again" whenever a miss was final; any other gets one plain attempt (first boxes
    ticked, "1" typed, second options chosen), which is mostly wrong; a short answer shows its
    model answer and the rating buttons. Returns the `correct` flag of every graded answer,
    in order."""
    page.evaluate(ANSWERED_LOG)
    forms = page.locator("form.sq-question")
    for index in range(forms.count()):
        form = forms.nth(index)
        check = form.locator("button.sq-check")  # in any language
        radios = form.get_by_role("radio")
        if radios.count():
            for choice in range(radios.count()):
                if form.get_attribute("data-stage") == "final":
                    form.locator("button[data-action=retry]").click()
                    expect(form).to_have_attribute("data-stage", "fresh")
                graded = page.evaluate("() => window.__sqAnswered.length")
                radios.nth(choice).check()
                check.click()
                page.wait_for_function(f"() => window.__sqAnswered.length > {graded}")
                if page.evaluate("() => window.__sqAnswered.at(-1).correct"):
                    break
            continue
        if form.get_by_role("checkbox").count():
            form.get_by_role("checkbox").first.check()
        for box in form.get_by_role("textbox").all():
            box.fill("1")
        for select in form.get_by_role("combobox").all():
            select.select_option(index=1)
        check.click()
        expect(feedback(form)).not_to_be_empty()
    graded_flags: list[bool] = page.evaluate("() => window.__sqAnswered.map(a => a.correct)")
    return graded_flags
