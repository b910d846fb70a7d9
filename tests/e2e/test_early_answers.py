"""Answers that do not wait (web/src/early.js): on a pre-rendered quiz a reader answers before
the engine is ready; Check says "Checking…", and the feedback comes once the engine is up. An
answer pressed in a tab that closes first is kept in the tab's own key and sent by the next tab
that shows the quiz. The engine is held back by holding the worker script's request."""

from __future__ import annotations

import json

from playwright.sync_api import BrowserContext, Page, Route, expect

from socratiq_local.i18n import ENGLISH as t

from .conftest import READY_TIMEOUT_MS, feedback
from .test_prerendered import PAGE, STATIC, host, pages, placeholder_html

__all__ = ["pages", "placeholder_html"]  # the module fixtures that write the test pages

BOOK = "e2e-prerender"
PENDING = f"socratiq-pending:{BOOK}:"
KEPT = f"""() => Object.keys(localStorage).filter((k) => k.startsWith({json.dumps(PENDING)}))
    .map((k) => JSON.parse(localStorage.getItem(k)))"""
SET_ASIDE = f"""() => Object.keys(localStorage)
    .filter((k) => k.startsWith("socratiq:{BOOK}:quarantine:"))"""
ONE_ANSWERED = t("progress.answered_mastered", answered=1, total=8, mastered=0)


def hold_worker(page: Page) -> list[Route]:
    """Hold the worker script's request (the engine cannot start) until the test lets it go."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/worker.js", hold)
    return held


def check_int8_early(page: Page) -> None:
    quiz = host(page)
    form = quiz.locator("form.sq-question").first
    radio = form.get_by_role("radio", name="INT8")
    expect(radio).to_be_enabled(timeout=READY_TIMEOUT_MS)  # the page script let it answer
    radio.check()
    form.get_by_role("button", name=t("question.check")).click()
    expect(form.get_by_text(t("page.checking"))).to_be_visible()
    expect(form.get_by_role("button", name=t("question.check"))).to_be_disabled()
    assert quiz.evaluate(STATIC), "the engine drew although its worker was held"


def test_check_before_the_engine_then_feedback(page: Page, origin: str) -> None:
    held = hold_worker(page)
    page.goto(origin + PAGE)
    check_int8_early(page)
    kept = page.evaluate(KEPT)
    assert [e["questionId"] for entries in kept for e in entries] == ["sc"]
    page.wait_for_timeout(300)
    assert held, "the page did not ask for the worker"
    for route in held:
        route.continue_()
    quiz = host(page)
    form = quiz.locator('form.sq-question[data-question-id="sc"]')
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)
    assert not quiz.evaluate(STATIC)
    expect(quiz.get_by_text(t("page.checking"))).to_have_count(0)
    expect(form.get_by_role("radio", name="INT8")).to_be_checked()
    page.wait_for_function(f"() => ({KEPT})().flat().length === 0", timeout=READY_TIMEOUT_MS)
    expect(quiz.locator(".sq-progress-words")).to_contain_text(ONE_ANSWERED)
    assert page.evaluate(SET_ASIDE) == [], "the engine set a key aside"


def test_choices_made_before_the_engine_stay_when_it_draws(page: Page, origin: str) -> None:
    """Chosen and typed, no Check pressed: the engine's drawing keeps every choice (shuffled,
    the same choices checked), and a Check then grades them."""
    held = hold_worker(page)
    page.goto(origin + PAGE)
    quiz = host(page)
    single = quiz.locator('form.sq-question[data-question-id="sc"]')
    multiple = quiz.locator('form.sq-question[data-question-id="mc"]')
    blank = quiz.locator('form.sq-question[data-question-id="fb"]')
    expect(single.get_by_role("radio", name="INT8")).to_be_enabled(timeout=READY_TIMEOUT_MS)
    single.get_by_role("radio", name="INT8").check()
    multiple.get_by_role("checkbox", name="GPU").check()
    multiple.get_by_role("checkbox", name="TPU").check()
    blank.get_by_role("textbox").fill("8")
    assert quiz.evaluate(STATIC), "the engine drew although its worker was held"
    page.wait_for_timeout(300)
    for route in held:
        route.continue_()
    page.wait_for_function(
        "(el) => !el.shadowRoot.querySelector('[data-sq-static]')", arg=quiz.element_handle(),
        timeout=READY_TIMEOUT_MS,
    )  # fmt: skip
    expect(single.get_by_role("radio", name="INT8")).to_be_checked()
    expect(multiple.get_by_role("checkbox", name="GPU")).to_be_checked()
    expect(multiple.get_by_role("checkbox", name="TPU")).to_be_checked()
    expect(multiple.get_by_role("checkbox", name="NIC")).not_to_be_checked()
    expect(blank.get_by_role("textbox")).to_have_value("8")
    for form in (single, multiple, blank):
        form.get_by_role("button", name=t("question.check")).click()
        expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


def test_an_answer_kept_when_the_tab_closes(context: BrowserContext, origin: str) -> None:
    first = context.new_page()
    hold_worker(first)
    first.goto(origin + PAGE)
    check_int8_early(first)
    first.wait_for_function(f"() => ({KEPT})().flat().length === 1")
    first.close()  # before the engine ever started

    second = context.new_page()
    second.goto(origin + PAGE)
    quiz = host(second)
    quiz.scroll_into_view_if_needed()
    form = quiz.locator('form.sq-question[data-question-id="sc"]')
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)
    second.wait_for_function(f"() => ({KEPT})().flat().length === 0", timeout=READY_TIMEOUT_MS)
    expect(quiz.locator(".sq-progress-words")).to_contain_text(ONE_ANSWERED)
    assert second.evaluate(SET_ASIDE) == [], "the engine set a key aside"


def test_refused_when_the_engine_cannot_start(page: Page, origin: str) -> None:
    """The worker fails: the static quiz's controls are disabled again, Reveal still works."""
    page.route("**/worker.js", lambda route: route.abort())
    page.goto(origin + PAGE)
    quiz = host(page)
    quiz.scroll_into_view_if_needed()
    status = quiz.locator("[data-sq-static-status]")
    expect(status).to_contain_text(t("question.reveal_answer"), timeout=READY_TIMEOUT_MS)
    expect(quiz.get_by_role("radio", name="INT8")).to_be_disabled()
