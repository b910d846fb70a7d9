"""The dashboard's flows and progress around the page: review one card at a time, the daily
goal, `.socratiq-progress` elements, a quiz's own progress line, section titles from the
page's headings, and the celebration toasts."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .conftest import answer_int8, wait_ready, watch
from .test_accessibility import check_both_schemes

CHAPTER = "/web/demo/quantization.html"
PROGRESS = "/web/demo/progress.html"
ANYWHERE = "/tests/e2e/pages/progress-anywhere.html"
PROGRESS_ONLY = "/tests/e2e/pages/progress-only.html"

PTQ = "Post-training quantization (PTQ) requires"
INT8 = "Roughly how much smaller"


def answer(scope: Page | Locator, question: str, choice: str) -> Locator:
    """Pick `choice` in the question whose text has `question`, check it, wait for the grade."""
    form = scope.locator("form.sq-question").filter(has_text=question)
    form.get_by_role("radio", name=choice).first.check()
    form.get_by_role("button", name="Check").click()
    expect(form).not_to_have_attribute("data-stage", "fresh")
    return form


def test_review_shows_one_card_at_a_time_with_a_counter_and_sums_up(
    context: BrowserContext, origin: str
) -> None:
    page = context.new_page()
    page.clock.install()  # the page's clock is the engine's: it is sent with each message
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer(page, PTQ, "True")  # two misses: due for review an hour later
    answer(page, INT8, "2 times smaller")
    page.clock.fast_forward("01:00:00")
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.locator(".sq-due")).to_have_text("2 questions are due for review.")
    dashboard.get_by_role("button", name="Review now").click()
    area = dashboard.locator(".sq-review-area")
    seen = []
    for position in (1, 2):
        title = area.locator(".sq-review-title")
        expect(title).to_have_text(f"Review: {position} of 2")
        expect(title).to_be_focused()
        expect(area.locator("form.sq-question")).to_have_count(1)  # one card at a time
        go_on = area.locator("button[data-action=review-next]")
        expect(go_on).to_be_hidden()  # until the card is answered
        card = area.locator("form.sq-question")
        text = card.locator("legend").inner_text()
        seen.append(text)
        if PTQ in text:
            answer(area, PTQ, "False")
        else:
            answer(area, INT8, "4 times smaller")
        expect(go_on).to_be_visible()
        expect(go_on).to_have_text("Next" if position == 1 else "See how it went")
        # the answer moved XP, yet the dashboard is not redrawn under the session
        expect(area.locator(".sq-review-title")).to_have_text(f"Review: {position} of 2")
        go_on.click()
    assert len(set(seen)) == 2
    expect(area.locator(".sq-review-title")).to_have_text("Review done")
    expect(area.locator(".sq-review-title")).to_be_focused()
    # the true/false miss showed its solution: right the same day is not recall, not "right"
    expect(area.locator(".sq-review-result")).to_have_text("2 of 2 questions answered, 1 right.")
    area.get_by_role("button", name="Back to your progress").click()
    expect(area).to_be_empty()
    expect(dashboard.locator(".sq-answers")).to_have_text("4 answers, 1 right")
    # the question answered after its solution stays due; focus is back on "Review now"
    expect(dashboard.get_by_role("button", name="Review now (1 due)")).to_be_focused()


def test_a_new_daily_goal_is_kept_and_its_message_stays(page: Page, origin: str) -> None:
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.locator(".sq-goal-xp")).to_have_text("0 of 50 XP today")
    dashboard.get_by_text("Change daily goal").click()
    dashboard.get_by_role("radio", name="20 XP").check()
    dashboard.get_by_role("button", name="Save goal").click()
    expect(dashboard.locator(".sq-goal-xp")).to_have_text("0 of 20 XP today")  # drawn again
    message = dashboard.locator(".sq-goal-status-message")
    expect(message).to_have_text("Daily goal set to 20 XP.")
    expect(message).to_be_visible()
    expect(dashboard.get_by_role("radio", name="20 XP")).to_be_checked()
    expect(dashboard.get_by_role("button", name="Save goal")).to_be_focused()
    assert page.url.endswith(PROGRESS)  # the form was not sent anywhere
    page.reload()
    wait_ready(page)
    expect(dashboard.locator(".sq-goal-xp")).to_have_text("0 of 20 XP today")


def counts(page: Page, chapter: str) -> dict[str, str]:
    """One chapter's words in the single-chapter element, the list, and the dashboard."""
    return {
        "list": page.locator(
            f"#chapters li[data-chapter-id={chapter}] .sq-progress-words"
        ).inner_text(),
        "dashboard": page.locator(
            f".sq-step[data-chapter-id={chapter}] .sq-step-counts"
        ).inner_text(),
    }


def test_progress_elements_and_the_quiz_line_follow_answers(page: Page, origin: str) -> None:
    page.goto(origin + ANYWHERE)
    wait_ready(page)
    one = page.locator("#one-chapter")
    expect(one.locator(".sq-progress-title")).to_have_text("Quantization")
    expect(one.locator(".sq-progress-words")).to_have_text("0 of 11 answered · 0 mastered")
    line = page.locator(".socratiq-quiz").first.locator(".sq-quiz-progress")
    expect(line).to_have_text("0 of 5 answered · 0 mastered")
    answer_int8(page)
    expect(line).to_have_text("1 of 5 answered · 0 mastered")
    expect(one.locator(".sq-progress-words")).to_have_text("1 of 11 answered · 0 mastered")
    expect(page.locator(".sq-answers")).to_have_text("1 answer, 1 right")
    assert counts(page, "quantization") == {
        "list": "1 of 11 answered · 0 mastered",
        "dashboard": "1 of 11 answered · 0 mastered",
    }
    assert counts(page, "serving") == {
        "list": "0 of 10 answered · 0 mastered",
        "dashboard": "0 of 10 answered · 0 mastered",
    }
    expect(page.locator("#chapters li")).to_have_count(2)
    # the same figures after a reload: the line is drawn from the stored progress
    page.reload()
    wait_ready(page)
    expect(line).to_have_text("1 of 5 answered · 0 mastered")
    expect(one.locator(".sq-progress-words")).to_have_text("1 of 11 answered · 0 mastered")


def test_a_page_with_only_a_progress_element_starts_the_engine(
    browser: Browser, origin: str
) -> None:
    context = browser.new_context()
    log = watch(context, origin)
    page = context.new_page()
    page.goto(origin + PROGRESS_ONLY)
    page.wait_for_function("() => window.socratiq")  # no start() by hand: it starts by itself
    chips = page.locator(".socratiq-progress li")
    expect(chips).to_have_count(3, timeout=60_000)
    expect(chips.nth(1)).to_contain_text("Data pipelines")
    expect(chips.nth(1)).to_contain_text("0 of 10 answered · 0 mastered")
    context.close()
    assert log.foreign() == []


def test_a_section_is_named_by_the_heading_above_its_quiz(page: Page, origin: str) -> None:
    page.goto(origin + ANYWHERE)
    wait_ready(page)
    step = page.locator(".sq-step[data-chapter-id=heads]")
    row = step.locator(".sq-section-row[data-section-id=sec-heads] .sq-section-title")
    expect(row).to_have_text("Where the page names a section")


def toasts(page: Page) -> Locator:
    return page.locator(".socratiq-toasts")


def test_the_first_answer_is_celebrated_once_and_said_once(page: Page, origin: str) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    stack = toasts(page)
    xp, badge = stack.locator(".sq-toast-xp"), stack.locator(".sq-toast-badge")
    expect(xp).to_have_count(1)
    expect(xp).to_contain_text(re.compile(r"\+\d+ XP"))
    expect(badge).to_have_count(1)
    expect(badge).to_contain_text("Badge earned: First step")
    slots = stack.locator(".sq-toast-slot")
    for n in range(slots.count()):
        expect(slots.nth(n)).to_have_attribute("aria-hidden", "true")
    live = stack.locator("[aria-live=polite]")
    expect(live.locator("p")).to_have_count(slots.count())
    expect(live).to_contain_text("Badge earned: First step")
    said = live.locator("p").all_inner_texts()
    assert len(said) == len(set(said))
    assert xp.evaluate("(node) => getComputedStyle(node).animationName") == "sq-toast-in"
    # the same celebrations again (two quizzes redrawn after one answer): nothing doubles
    page.evaluate(
        """() => { const toasts = document.querySelector('.socratiq-toasts').shadowRoot;
        const celebrations = [...toasts.querySelectorAll('.sq-toast-slot')].map((slot) => ({
          kind: slot.dataset.kind, html: slot.innerHTML, text: slot.dataset.text }));
        const detail = {celebrations};
        document.dispatchEvent(new CustomEvent('socratiq:celebrate', {detail})); }"""
    )
    expect(xp).to_have_count(1)
    assert live.locator("p").all_inner_texts() == said
    # toasts go by themselves; the toast box never takes a tap meant for the page
    assert stack.evaluate("(node) => getComputedStyle(node).pointerEvents") == "none"
    expect(stack.locator(".sq-toast-slot")).to_have_count(0, timeout=10_000)
    expect(live.locator("p")).to_have_count(0)


def test_no_toast_animation_for_readers_who_ask_for_less_motion(
    browser: Browser, origin: str
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    log = watch(context, origin)
    page = context.new_page()
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    xp = toasts(page).locator(".sq-toast-xp")
    expect(xp).to_have_count(1)
    assert xp.evaluate("(node) => getComputedStyle(node).animationName") == "none"
    context.close()
    assert log.foreign() == []


def test_progress_elements_quiz_lines_and_toasts_pass_axe(page: Page, origin: str) -> None:
    page.goto(origin + ANYWHERE)
    wait_ready(page)
    answer_int8(page)
    expect(toasts(page).locator(".sq-toast-xp")).to_have_count(1)
    check_both_schemes(page, origin)
