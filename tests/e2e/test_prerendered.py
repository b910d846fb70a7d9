"""Pre-rendered quizzes (integrations/prerender.py) in Chromium: readable and revealable before
Python starts (the worker blocked), without WebAssembly, and as HTML inserted with no
declarative shadow DOM; then made interactive in place with no layout jump; axe on the static
version. The test page is made by `prerender` at test time, in build/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from socratiq_local.i18n import ENGLISH as t
from socratiq_local.integrations.prerender import prerender
from socratiq_local.quiz.models import Quiz

from .conftest import READY_TIMEOUT_MS, ROOT, feedback
from .test_accessibility import check_both_schemes

FOLDER = ROOT / "build" / "e2e-prerender"
PAGE = "/build/e2e-prerender/page.html"
LATER = "/build/e2e-prerender/later.html"
BUNDLE = "../../web/dist/"
QUIZ = Quiz.model_validate_json("""{
  "id": "prerendered",
  "title": "Pre-rendered quiz",
  "description": "Readable before Python starts.",
  "questions": [
    {"type": "single_choice", "id": "sc", "text": "Which format stores 8-bit integers?",
     "hint": "Count the bits.", "explanation": "INT8 holds eight bits per value.",
     "choices": [{"text": "FP32"}, {"text": "INT8", "correct": true}, {"text": "BF16"},
                 {"text": "FP16 with a much longer label that wraps on a phone screen"}]},
    {"type": "multiple_choice", "id": "mc", "text": "Which are accelerators?",
     "choices": [{"text": "GPU", "correct": true}, {"text": "TPU", "correct": true},
                 {"text": "NIC"}]},
    {"type": "true_false", "id": "tf", "text": "Batching raises throughput.", "answer": true},
    {"type": "fill_blank", "id": "fb", "text": "INT8 uses ____ bits.",
     "blanks": [{"accepted": ["8"]}]},
    {"type": "short_answer", "id": "sa", "text": "Why quantize?",
     "model_answer": "Smaller and faster models."},
    {"type": "ordering", "id": "or", "text": "Order the pipeline.",
     "items": ["Ingest", "Train", "Serve"]},
    {"type": "matching", "id": "ma", "text": "Match each format with its size.",
     "pairs": [{"left": "FP32", "right": "4 bytes"}, {"left": "FP16", "right": "2 bytes"}]},
    {"type": "numeric", "id": "nu", "text": "Bytes in an FP32 value?", "value": 4,
     "unit": "bytes"}
  ]
}""")
FILLER = "".join(f"<p>Paragraph {n} of the chapter, before the quiz.</p>" for n in range(40))


def page_html(body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>A chapter with a pre-rendered quiz</title>
<script src="{BUNDLE}socratiq.js" data-book="e2e-prerender" async></script>
</head>
<body>
<main>
<h1>A chapter with a pre-rendered quiz</h1>
{body}
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def placeholder_html() -> str:
    return prerender(QUIZ, src="quiz.json", bundle=BUNDLE)


@pytest.fixture(scope="module", autouse=True)
def pages(placeholder_html: str) -> Iterator[Path]:
    """The test pages, written by `prerender` now: one with the quiz after a long chapter
    text, one that inserts it later with insertAdjacentHTML (which parses no template into a
    shadow root, as a single-page site's navigation does)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "quiz.json").write_text(QUIZ.model_dump_json(exclude_none=True), "utf-8")
    (FOLDER / "page.html").write_text(page_html(FILLER + placeholder_html + FILLER), "utf-8")
    inserter = f"""<button id="insert">Next page</button><script>
document.getElementById("insert").onclick = () => document.querySelector("main")
  .insertAdjacentHTML("beforeend", {json.dumps(placeholder_html)});
</script>"""
    (FOLDER / "later.html").write_text(page_html(inserter), "utf-8")
    yield FOLDER


def host(page: Page) -> Locator:
    return page.locator("div.socratiq-quiz").first


def block_worker(page: Page) -> None:
    page.route("**/worker.js", lambda route: route.abort())


STATIC = "(el) => Boolean(el.shadowRoot && el.shadowRoot.querySelector('[data-sq-static]'))"
HEIGHT = "(el) => el.getBoundingClientRect().height"
STYLED = """(el) => { const link = el.shadowRoot && el.shadowRoot.querySelector('link');
    return Boolean(link && link.sheet); }"""


def wait_styled(quiz: Locator) -> None:
    quiz.page.wait_for_function(
        f"() => ({STYLED})(document.querySelector('div.socratiq-quiz'))",
        timeout=READY_TIMEOUT_MS,
    )


def assert_readable_and_revealable(page: Page, quiz: Locator) -> None:
    """Every question's text shows, its controls are disabled, and "Reveal answer" opens."""
    for question in QUIZ.questions:
        text = question.text.split("____")[0].strip()
        expect(quiz.get_by_text(text, exact=False).first).to_be_visible()
    expect(quiz.get_by_role("radio", name="INT8")).to_be_disabled()
    for button in quiz.get_by_role("button", name=t("question.check")).all():
        expect(button).to_be_disabled()
    form = quiz.locator("form.sq-question").first
    explanation = form.get_by_text("INT8 holds eight bits per value.")
    expect(explanation).to_be_hidden()
    form.get_by_text(t("question.reveal_answer")).click()
    expect(explanation).to_be_visible()
    expect(form.locator(".sq-reveal .sq-solution")).to_contain_text("INT8")
    assert quiz.evaluate(STATIC), "the static drawing was replaced"
    expect(quiz.locator(".sq-error")).to_have_count(0)


def test_readable_in_the_html_source(page: Page, origin: str) -> None:
    """What a crawler that runs no script reads: the questions, in the page's own HTML."""
    source = page.request.get(origin + PAGE).text()
    for question in QUIZ.questions:
        assert question.text.split("____")[0] in source
    assert "INT8 holds eight bits per value." in source


def test_readable_with_the_worker_blocked(page: Page, origin: str) -> None:
    block_worker(page)
    page.goto(origin + PAGE)
    quiz = host(page)
    quiz.scroll_into_view_if_needed()  # the engine starts when a quiz nears the viewport
    status = quiz.locator("[data-sq-static-status]")
    # the worker cannot start: a notice in the loading line, the quiz stays
    expect(status).to_contain_text(t("question.reveal_answer"), timeout=READY_TIMEOUT_MS)
    assert_readable_and_revealable(page, quiz)


def test_without_webassembly_the_quiz_stays_usable(page: Page, origin: str) -> None:
    page.add_init_script("delete window.WebAssembly;")
    page.goto(origin + PAGE)
    quiz = host(page)
    quiz.scroll_into_view_if_needed()
    status = quiz.locator("[data-sq-static-status]")
    expect(status).to_contain_text(t("page.no_webassembly"), timeout=READY_TIMEOUT_MS)
    assert_readable_and_revealable(page, quiz)


def test_inserted_without_declarative_shadow_dom(page: Page, origin: str) -> None:
    """insertAdjacentHTML leaves the template a template (as a browser without declarative
    shadow DOM does): the script attaches it, and the quiz reads the same."""
    block_worker(page)
    page.goto(origin + LATER)
    page.wait_for_function("() => window.socratiq")
    page.get_by_role("button", name="Next page").click()
    quiz = host(page)
    page.wait_for_function(
        f"() => ({STATIC})(document.querySelector('div.socratiq-quiz'))", timeout=READY_TIMEOUT_MS
    )
    assert quiz.evaluate("(el) => el.querySelector('template') === null")
    assert_readable_and_revealable(page, quiz)


@pytest.mark.parametrize("width", [390, 1280])
def test_made_interactive_in_place(page: Page, origin: str, width: int) -> None:
    """The engine's drawing replaces the static one at the same height, the page does not
    scroll, and the quiz answers."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(origin + PAGE)
    quiz = host(page)
    wait_styled(quiz)
    quiz.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    before = quiz.evaluate(f"(el) => [({STATIC})(el), ({HEIGHT})(el), window.scrollY]")
    assert before[0], "the engine drew before the static quiz was measured"
    page.wait_for_function(
        f"() => !({STATIC})(document.querySelector('div.socratiq-quiz'))", timeout=READY_TIMEOUT_MS
    )
    quiz.locator("form.sq-question").first.wait_for()
    after = quiz.evaluate(f"(el) => [({HEIGHT})(el), window.scrollY]")
    assert abs(after[0] - before[1]) <= 2, f"height {before[1]} -> {after[0]}"
    assert after[1] == before[2], "the page scrolled"
    expect(quiz.locator(".sq-reveal")).to_have_count(0)
    expect(quiz.locator(".sq-quiz-title")).to_have_text(QUIZ.title)
    form = quiz.locator("form.sq-question").first
    form.get_by_role("radio", name="INT8").check()
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"))


def test_static_version_passes_axe(page: Page, origin: str) -> None:
    block_worker(page)
    page.goto(origin + PAGE)
    quiz = host(page)
    wait_styled(quiz)
    quiz.scroll_into_view_if_needed()
    expect(quiz.locator("[data-sq-static-status]")).to_contain_text(
        t("question.reveal_answer"), timeout=READY_TIMEOUT_MS
    )
    for summary in quiz.get_by_text(t("question.reveal_answer"), exact=True).all():
        summary.click()
    check_both_schemes(page, origin)
