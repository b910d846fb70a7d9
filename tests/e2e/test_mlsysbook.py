"""MLSysBook's Self-Check callouts made interactive in place, and one dashboard over a book whose
quiz files mix formats. Pages and data: tests/e2e/pages/mlsysbook-chapter/ (CC BY-NC-SA 4.0)."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from .conftest import RequestLog, answer_every_question, feedback, wait_ready
from .test_accessibility import check_both_schemes

CHAPTER = "/tests/e2e/pages/mlsysbook-chapter/"
OVERVIEW = "sec-introduction-engineering-revolution-artificial-intelligence-a3eb"
BASICS = "sec-introduction-artificial-intelligence-vision-machine-learning-practice-c45a"
DEFINING = "sec-introduction-defining-ml-systems-bf7d"  # not in the page's quiz file
DIFFER = "sec-introduction-ml-systems-differ-traditional-software-4370"
ENGINE_FILES = re.compile(r"/pyodide/|\.whl$|/worker\.js$")

NUMBERS = "legends => legends.map(legend => getComputedStyle(legend, '::before').content)"
COUNTER = 'counter(sq-question) ". "'

#: The body as the book wrote it, taken before our script's boot can touch it.
KEEP_BODY = """document.addEventListener("DOMContentLoaded",
    () => { window.__bookBody = document.body.innerHTML; });"""

#: Counts the quiz placeholders ever put in the page.
COUNT_PLACEHOLDERS = """window.__placeholders = 0;
new MutationObserver((records) => { for (const record of records)
    for (const node of record.addedNodes)
      if (node.matches && node.matches(".socratiq-quiz")) window.__placeholders++; })
  .observe(document, { childList: true, subtree: true });"""


def callout(page: Page, section: str) -> Locator:
    return page.locator(f"#quiz-question-{section}")


def opened(page: Page, section: str) -> Locator:
    """The callout, its <details> opened as a reader opens it (the book keeps them closed)."""
    box = callout(page, section)
    box.locator("summary").click()
    return box


def collect_console(page: Page) -> list[ConsoleMessage]:
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    return messages


def test_every_self_check_callout_becomes_its_sections_quiz_numbered_as_the_book_numbers_it(
    page: Page, origin: str
) -> None:
    console = collect_console(page)
    page.goto(origin + CHAPTER + "introduction.html")
    wait_ready(page)
    for section, number, questions in ((OVERVIEW, 1, 4), (BASICS, 2, 2), (DIFFER, 4, 4)):
        box = opened(page, section)
        expect(box.locator("summary")).to_have_text(f"Self-Check: Question 1.{number}")
        expect(box.locator("details > div > ol")).to_be_hidden()  # the static questions
        expect(box.get_by_role("link", name="See Answers →")).to_be_hidden()
        expect(box.locator("form.sq-question")).to_have_count(questions)
        expect(box.get_by_role("region").get_by_role("group")).to_have_count(questions)
        # "1.", "2.", … drawn before each question, as in the book's list (CSS counters)
        assert box.locator("legend").evaluate_all(NUMBERS) == [COUNTER] * questions
    basics = callout(page, BASICS)
    groups = basics.get_by_role("region").get_by_role("group")
    expect(groups.first).to_have_accessible_name(re.compile(r"^Which of the following best"))
    expect(groups.last).to_have_accessible_name(re.compile(r"^Order the following steps"))
    expect(basics).not_to_contain_text("Explain why machine learning has become")  # hidden
    # a reader answers in place
    overview = callout(page, OVERVIEW)
    form = overview.locator("form.sq-question").first
    form.get_by_role("radio", name="Machine learning systems rely on statistical patterns").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Correct.")
    # the answers of the interactive sections are hidden; the missing section keeps its own
    for section in (OVERVIEW, BASICS, DIFFER):
        expect(page.locator(f"#quiz-answer-{section}")).to_be_hidden()
    expect(page.locator(f"#quiz-answer-{DEFINING}")).to_be_visible()
    expect(page.get_by_role("heading", name="Self-Check Answers")).to_be_visible()
    # the section missing from the file: its static callout as the book wrote it, no error
    defining = opened(page, DEFINING)
    expect(defining.locator("summary")).to_have_text("Self-Check: Question 1.3")
    expect(defining.locator("details > div > ol > li")).to_have_count(4)
    expect(defining.locator(".socratiq-quiz")).to_have_count(0)
    defining.get_by_role("link", name="See Answers →").click()
    expect(page.locator(f"#quiz-answer-{DEFINING}")).to_be_in_viewport()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert [m.text for m in console if m.type == "error"] == []
    assert any(DEFINING in m.text for m in console if m.type == "info")


def test_once_every_section_is_interactive_the_answers_block_and_its_toc_entry_go(
    page: Page, origin: str
) -> None:
    page.goto(origin + CHAPTER + "complete.html")
    wait_ready(page)
    expect(page.locator(".socratiq-quiz")).to_have_count(2)
    expect(page.locator("#self-check-answers")).to_be_hidden()
    expect(page.get_by_role("link", name="Self-Check Answers")).to_be_hidden()
    expect(page.get_by_role("link", name="AI and ML Basics")).to_be_visible()
    expect(page.locator("#self-check-answers")).to_be_attached()  # kept in the page


def test_a_chapter_whose_quiz_file_is_missing_stays_as_it_is_and_starts_nothing(
    page: Page, origin: str, requests_log: RequestLog
) -> None:
    page.add_init_script(KEEP_BODY)
    with page.expect_console_message(lambda m: "unreachable_quizzes.json" in m.text) as message:
        page.goto(origin + CHAPTER + "unreachable.html")
    assert message.value.type == "info" and "HTTP 404" in message.value.text
    page.wait_for_timeout(1000)  # past the browser's idle time, when the engine would start
    assert page.evaluate("() => document.body.innerHTML === window.__bookBody")
    assert [url for url in requests_log.urls if ENGINE_FILES.search(url)] == []
    expect(page.locator("#self-check-answers")).to_be_visible()


def test_without_webassembly_the_chapter_page_is_exactly_the_books(
    page: Page, origin: str, requests_log: RequestLog
) -> None:
    page.add_init_script("delete window.WebAssembly")
    page.add_init_script(KEEP_BODY)
    page.goto(origin + CHAPTER + "introduction.html")
    page.wait_for_function("() => window.socratiq && window.__bookBody")
    page.evaluate("() => window.socratiq.mount(document)")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => document.body.innerHTML === window.__bookBody")
    assert not any("_quizzes.json" in url or ENGINE_FILES.search(url) for url in requests_log.urls)
    box = opened(page, OVERVIEW)
    expect(box.locator("details > div > ol > li")).to_have_count(4)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_one_dashboard_counts_a_book_of_native_and_mlsysbook_files(page: Page, origin: str) -> None:
    page.goto(origin + "/tests/e2e/pages/mixed-formats.html")
    wait_ready(page)
    chapters = page.locator(".socratiq-progress")
    expect(chapters).to_contain_text("0 of 10 answered")  # serving.json, ours
    expect(chapters).to_contain_text("0 of 24 answered")  # named mlsysbook:
    expect(chapters).to_contain_text("0 of 45 answered")  # told by its content
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.get_by_role("alert")).to_have_count(0)
    expect(dashboard.locator(".sq-warnings")).to_have_count(0)


def test_when_the_engine_cannot_start_the_books_callouts_come_back(page: Page, origin: str) -> None:
    page.add_init_script(KEEP_BODY)
    page.add_init_script(COUNT_PLACEHOLDERS)
    page.route("**/web/dist/worker.js", lambda route: route.fulfill(status=404))
    page.goto(origin + CHAPTER + "complete.html")
    page.wait_for_function("() => window.socratiq")
    page.evaluate("() => window.socratiq.start().catch(() => {})")
    # both callouts were made quizzes, and both given back when the engine failed
    page.wait_for_function(
        "() => window.__placeholders === 2 && !document.querySelector('.socratiq-quiz')"
    )
    assert page.evaluate("() => document.body.innerHTML === window.__bookBody")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("#self-check-answers")).to_be_visible()


def test_the_chapter_with_its_quizzes_open_and_answered_passes_axe(page: Page, origin: str) -> None:
    page.goto(origin + CHAPTER + "introduction.html")
    wait_ready(page)
    for section in (OVERVIEW, BASICS, DEFINING, DIFFER):
        opened(page, section)
    answer_every_question(page)
    check_both_schemes(page, origin)


def test_a_foreign_quiz_file_gets_a_message_naming_data_format(page: Page, origin: str) -> None:
    page.goto(origin + "/tests/e2e/pages/foreign-format.html")
    jupyterquiz = page.locator("#jupyterquiz").get_by_role("alert")
    expect(jupyterquiz).to_contain_text("looks like a jupyterquiz quiz file", timeout=60_000)
    expect(jupyterquiz).to_contain_text("data-format")
    expect(jupyterquiz).to_contain_text("socratiq-local import --from jupyterquiz")
    mlsysbook = page.locator("#mlsysbook").get_by_role("alert")
    expect(mlsysbook).to_contain_text('set data-format="mlsysbook"')
    expect(page.get_by_text("unknown field")).to_have_count(0)
