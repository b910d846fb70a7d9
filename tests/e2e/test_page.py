"""The page side's own behaviour: nothing started where nothing is shown, placeholders that come
later (single-page sites, the host's own shadow DOM), and the page's language."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, Route, expect

import socratiq_local
from socratiq_local.i18n import Texts

from .conftest import READY_TIMEOUT_MS, ROOT, RequestLog, answer_int8, feedback, wait_ready

NO_QUIZ = "/tests/e2e/pages/no-quiz.html"
QUIZ_FILE = "/web/demo/quizzes/quantization.json"
ENGINE_FILES = re.compile(r"/pyodide/|\.whl$|/worker\.js$|/languages/")

ADD_QUIZ = """([src, where]) => {
  const quiz = document.createElement("div");
  quiz.className = "socratiq-quiz";
  quiz.dataset.src = src;
  document.querySelector(where).append(quiz);
}"""


def engine_requests(log: RequestLog) -> list[str]:
    return [url for url in log.urls if ENGINE_FILES.search(url)]


def test_a_page_without_quizzes_fetches_no_engine(
    page: Page, origin: str, requests_log: RequestLog
) -> None:
    page.goto(origin + NO_QUIZ)
    page.wait_for_function("() => window.socratiq && window.socratiq.book === 'e2e-page'")
    page.wait_for_timeout(3000)  # past the first frame and the browser's idle time
    assert engine_requests(requests_log) == []
    assert any(url.endswith("/socratiq.js") for url in requests_log.urls)
    # the page API says the package's version (compiled in from our wheel's at bundle time)
    assert page.evaluate("() => window.socratiq.version") == socratiq_local.__version__


def test_a_placeholder_added_later_is_mounted_started_and_answerable(
    page: Page, origin: str, requests_log: RequestLog
) -> None:
    page.goto(origin + NO_QUIZ)
    page.wait_for_function("() => window.socratiq")
    page.wait_for_timeout(500)
    assert engine_requests(requests_log) == []
    page.evaluate(ADD_QUIZ, [QUIZ_FILE, "main"])  # as a single-page site's next page would
    expect(page.locator("form.sq-question").first).to_be_visible(timeout=READY_TIMEOUT_MS)
    answer_int8(page)
    # the next "page" replaces the content: its placeholder is drawn by the running engine,
    # the answer given on the first kept in it; "Try again" answers it anew
    page.evaluate("() => document.querySelector('main').replaceChildren()")
    page.evaluate(ADD_QUIZ, [QUIZ_FILE, "main"])
    int8 = page.locator("form.sq-question").filter(has_text="Roughly how much smaller")
    expect(feedback(int8)).to_contain_text("Correct.", timeout=READY_TIMEOUT_MS)
    int8.get_by_role("button", name="Try again").click()
    expect(int8).to_have_attribute("data-stage", "fresh")  # else the kept radio is "checked"
    answer_int8(page)


def test_socratiq_mount_reaches_a_placeholder_in_the_hosts_shadow_dom(
    page: Page, origin: str
) -> None:
    page.goto(origin + NO_QUIZ)
    page.wait_for_function("() => window.socratiq")
    page.evaluate("""(src) => {
      const widget = document.createElement("div");
      widget.id = "widget";
      const quiz = document.createElement("div");
      quiz.className = "socratiq-quiz";
      quiz.dataset.src = src;
      widget.attachShadow({ mode: "open" }).append(quiz);
      document.querySelector("main").append(widget);
    }""", QUIZ_FILE)  # fmt: skip
    inner = "document.querySelector('#widget').shadowRoot.querySelector('.socratiq-quiz')"
    page.wait_for_timeout(500)
    assert page.evaluate(f"() => {inner}.shadowRoot") is None  # no observer sees in there
    page.evaluate(f"() => window.socratiq.mount({inner})")
    assert page.evaluate(f"() => {inner}.shadowRoot !== null")
    expect(page.locator("form.sq-question").first).to_be_visible(timeout=READY_TIMEOUT_MS)
    answer_int8(page)


def root_language(page: Page) -> list[str]:
    root = page.locator(".socratiq-quiz .sq-root")
    return [root.get_attribute("lang") or "", root.get_attribute("dir") or ""]


def test_the_script_tags_data_lang_wins_and_arabic_is_right_to_left(
    page: Page, origin: str
) -> None:
    page.goto(origin + "/tests/e2e/pages/lang-tag.html")  # <html lang="fr">, data-lang="ar"
    wait_ready(page)
    assert root_language(page) == ["ar", "rtl"]
    answer_int8(page, Texts("ar"))


def test_the_pages_html_lang_picks_the_language_and_english_fills_the_gaps(
    page: Page, origin: str
) -> None:
    german = json.loads((ROOT / "src/socratiq_local/languages/de.json").read_text("utf-8"))
    german["strings"]["page.waiting"] = "Warte auf den Start…"
    del german["strings"]["page.loading_label"]  # a gap English fills
    page.route(
        "**/web/dist/languages/de.json",
        lambda route: route.fulfill(json=german),
    )
    stalled: list[Route] = []
    page.context.route("**/web/dist/worker.js", lambda route: stalled.append(route))  # hangs
    page.goto(origin + "/tests/e2e/pages/lang-html.html")  # <html lang="de-AT">
    placeholder = page.locator(".socratiq-quiz .sq-placeholder")
    expect(placeholder.locator(".sq-stage")).to_have_text("Warte auf den Start…")
    expect(placeholder.get_by_role("progressbar", name="Loading the quiz engine")).to_be_attached()
    assert root_language(page) == ["de", "ltr"]
    shown = placeholder.evaluate(
        "box => box.textContent + [...box.querySelectorAll('[aria-label]')]"
        ".map(e => e.getAttribute('aria-label')).join(' ')"
    )
    assert "page." not in shown
    assert stalled, "the engine was asked to start"
