"""Answering in real Chromium, as the engine now draws it: the form drawn again after every
reply, the retry rule, no XP after the solution, answers kept across reloads, focus and the
live region, the quiz title once per page, metadata on request, decimal commas, cards."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

from .conftest import ANSWERED_LOG, feedback, live_region, wait_ready

CHAPTER = "/web/demo/quantization.html"
PROGRESS = "/web/demo/progress.html"
ALL_TYPES = "/tests/e2e/pages/all-types.html"
CARDS = "/tests/e2e/pages/cards.html"
DECIMAL_COMMA = "/tests/e2e/pages/decimal-comma.html"

INT8 = "Roughly how much smaller"
BF16 = "Why is BF16 often preferred"
PTQ = "Post-training quantization (PTQ) requires"


def form_with(page: Page, text: str) -> Locator:
    """A question's form, found by its words (found again after each redraw)."""
    return page.locator("form.sq-question").filter(has_text=text)


def right_choice(form: Locator) -> Locator:
    return form.locator(".sq-choice.sq-missed")


def answered(page: Page) -> int:
    count: int = page.evaluate("() => window.__sqAnswered.length")
    return count


def solution_choice(page: Page, form_id: str) -> tuple[str, list[str]]:
    """The right choice's label and the others', read from the quiz file the page loaded."""
    quiz = page.evaluate("() => fetch('/web/demo/quizzes/quantization.json').then(r => r.json())")
    (question,) = [q for q in quiz["questions"] if q["id"] == form_id]
    right = [c["text"] for c in question["choices"] if c.get("correct")]
    wrong = [c["text"] for c in question["choices"] if not c.get("correct")]
    return right[0], wrong


def radio(form: Locator, label: str) -> Locator:
    """A choice by its words (a marked one's name goes on: "…, your answer, wrong")."""
    return form.get_by_role("radio", name=re.compile("^" + re.escape(label) + r"(\s|$)"))


def pick(form: Locator, label: str) -> None:
    radio(form, label).check()


def xp_total(dashboard: Page) -> int:
    text = dashboard.locator(".sq-xp-total").inner_text()
    found = re.match(r"([\d,]+) XP", text)
    assert found, text
    return int(found.group(1).replace(",", ""))


def test_a_miss_gets_one_more_try_then_the_solution_and_show_answer_earns_nothing(
    context: BrowserContext, origin: str
) -> None:
    page = context.new_page()
    page.goto(origin + CHAPTER)
    wait_ready(page)
    page.evaluate(ANSWERED_LOG)
    int8 = form_with(page, INT8)
    right, wrong = solution_choice(page, "quant-int8-storage")

    pick(int8, wrong[0])
    int8.get_by_role("button", name="Check").click()
    expect(feedback(int8)).to_contain_text("Not quite.")
    expect(feedback(int8)).to_contain_text("Have another try")
    expect(int8.get_by_role("button", name="Show answer")).to_be_visible()
    expect(right_choice(int8)).to_have_count(0)  # no solution at the first miss
    expect(radio(int8, wrong[0])).to_be_checked()  # the answer kept

    pick(int8, wrong[1])
    int8.get_by_role("button", name="Check").click()
    expect(right_choice(int8)).to_contain_text(right)  # the second miss shows it
    expect(int8).to_have_attribute("data-stage", "final")
    expect(int8.get_by_role("button", name="Show answer")).to_have_count(0)
    expect(int8.get_by_role("button", name="Try again")).to_be_visible()
    assert answered(page) == 2

    bf16 = form_with(page, BF16)
    right, wrong = solution_choice(page, "quant-bf16-training")
    pick(bf16, wrong[0])
    bf16.get_by_role("button", name="Check").click()
    expect(bf16.get_by_role("button", name="Show answer")).to_be_visible()
    bf16.get_by_role("button", name="Show answer").click()
    expect(right_choice(bf16)).to_contain_text(right)
    expect(bf16).to_have_attribute("data-stage", "final")
    assert answered(page) == 3  # showing the answer is not an answer

    dashboard = context.new_page()
    dashboard.goto(origin + PROGRESS)
    wait_ready(dashboard)
    expect(dashboard.locator(".sq-answers")).to_have_text("3 answers, 0 right")
    before = xp_total(dashboard)

    bf16.get_by_role("button", name="Try again").click()
    expect(bf16).to_have_attribute("data-stage", "fresh")
    pick(bf16, right)
    bf16.get_by_role("button", name="Check").click()
    expect(feedback(bf16)).to_contain_text("Correct.")
    expect(feedback(bf16)).to_contain_text("You had seen the answer, so this one earns no XP.")
    expect(feedback(bf16)).not_to_contain_text(re.compile(r"\+\d+ XP"))
    # the open dashboard follows (another tab's storage event): an answer, not recall (not
    # counted right), with no XP
    expect(dashboard.locator(".sq-answers")).to_have_text("4 answers, 0 right")
    assert xp_total(dashboard) == before


def test_an_empty_check_is_a_nudge_never_an_answer(page: Page, origin: str) -> None:
    page.goto(origin + ALL_TYPES)
    wait_ready(page)
    page.evaluate(ANSWERED_LOG)
    sc = form_with(page, "Which format stores 8-bit integers?")
    sc.get_by_role("button", name="Check").click()
    expect(feedback(sc)).to_have_text("Give an answer first.")
    expect(sc).to_have_attribute("data-stage", "nudge")
    expect(live_region(page.locator("div.socratiq-quiz"))).to_have_text("Give an answer first.")
    assert answered(page) == 0


def test_a_short_answer_is_rated_only_after_text_but_i_dont_know_works(
    page: Page, origin: str
) -> None:
    page.goto(origin + ALL_TYPES)
    wait_ready(page)
    page.evaluate(ANSWERED_LOG)
    sa = form_with(page, "Why quantize?")
    expect(sa.get_by_role("button", name="Good")).to_have_count(0)  # no rating before text
    sa.get_by_role("textbox", name="Your answer").fill("   ")
    sa.get_by_role("button", name="Check").click()
    expect(feedback(sa)).to_have_text("Write your answer first, or choose “I don't know”.")
    expect(sa.get_by_role("button", name="Good")).to_have_count(0)
    assert answered(page) == 0

    sa.get_by_role("button", name="I don't know").click()
    expect(feedback(sa)).to_contain_text("You rated your answer: Again.")
    expect(feedback(sa)).to_contain_text("Smaller and faster models.")  # the model answer
    expect(sa).to_have_attribute("data-stage", "final")
    page.wait_for_function("() => window.__sqAnswered.length === 1")
    assert page.evaluate("() => window.__sqAnswered[0].correct") is False


def test_a_reload_shows_the_last_answers_and_try_again_gives_a_fresh_form(
    page: Page, origin: str
) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    int8 = form_with(page, INT8)
    _, wrong = solution_choice(page, "quant-int8-storage")
    pick(int8, wrong[0])
    int8.get_by_role("button", name="Check").click()
    expect(feedback(int8)).to_contain_text("Not quite.")
    ptq = form_with(page, PTQ)
    ptq.get_by_role("radio", name="True").check()
    ptq.get_by_role("button", name="Check").click()
    expect(feedback(ptq)).to_contain_text("Not quite.")

    page.reload()
    wait_ready(page)
    expect(int8).to_have_attribute("data-stage", "retry")  # one more try, still
    expect(radio(int8, wrong[0])).to_be_checked()
    expect(feedback(int8)).to_contain_text("Not quite.")
    expect(int8.get_by_role("button", name="Show answer")).to_be_visible()
    expect(ptq).to_have_attribute("data-stage", "final")
    expect(ptq.get_by_role("radio", name="True")).to_be_checked()
    expect(ptq.get_by_role("radio", name="True")).to_be_disabled()
    expect(right_choice(ptq)).to_contain_text("False")

    ptq.get_by_role("button", name="Try again").click()
    expect(ptq).to_have_attribute("data-stage", "fresh")
    expect(feedback(ptq)).to_be_empty()
    expect(ptq.get_by_role("radio", name="True")).not_to_be_checked()
    expect(ptq.get_by_role("radio", name="True")).to_be_focused()  # its first control


LIVE_LOG = """() => { window.__sqLive = [];
    for (const host of document.querySelectorAll('.socratiq-quiz:not(script)')) {
      const live = host.shadowRoot.querySelector('.sq-live');
      new MutationObserver(() => window.__sqLive.push(live.textContent))
        .observe(live, { childList: true, subtree: true, characterData: true });
    } }"""

FOCUSED = """(host) => { const active = host.shadowRoot.activeElement;
    return active && { focus: active.hasAttribute('data-sq-focus'), tag: active.tagName,
                       classes: active.className, text: active.textContent }; }"""


def test_focus_lands_on_the_new_forms_mark_and_each_check_is_announced_once(
    page: Page, origin: str
) -> None:
    page.goto(origin + ALL_TYPES)
    wait_ready(page)
    host = page.locator("div.socratiq-quiz")
    live = live_region(host)
    expect(live).to_be_attached()  # there before anything is said
    expect(live).to_have_attribute("aria-live", "polite")
    assert host.locator(".sq-live").count() == 1
    assert host.locator("form .sq-live, .sq-root .sq-live").count() == 0  # outside the forms
    page.evaluate(LIVE_LOG)

    sc = form_with(page, "Which format stores 8-bit integers?")
    sc.get_by_role("radio", name="FP32").check()
    sc.get_by_role("button", name="Check").click()
    expect(feedback(sc)).to_contain_text("Not quite.")
    focused = host.evaluate(FOCUSED)
    assert focused["focus"] and "sq-result" in focused["classes"], focused
    expect(sc.locator(".sq-result")).to_be_focused()
    page.wait_for_function("() => window.__sqLive.length > 0")
    page.wait_for_timeout(300)  # time for a second, unwanted announcement
    said = page.evaluate("() => window.__sqLive")
    assert len(said) == 1 and said[0].startswith("Not quite. The right answer is marked."), said

    sa = form_with(page, "Why quantize?")
    sa.get_by_role("textbox", name="Your answer").fill("Smaller models")
    sa.get_by_role("button", name="Check").click()
    expect(sa.locator(".sq-self-rating")).to_be_focused()  # the model answer, never "Again"
    expect(sa.get_by_role("button", name="Again")).not_to_be_focused()
    page.wait_for_function("() => window.__sqLive.length > 1")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__sqLive.slice(1)") == [
        "Compare your answer with the model answer, then rate how well you did."
    ]


def test_the_title_and_description_show_once_for_three_placeholders_of_one_quiz(
    page: Page, origin: str
) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    hosts = page.locator(".socratiq-quiz")
    expect(hosts).to_have_count(3)
    expect(page.locator(".sq-quiz-title")).to_have_count(1)
    expect(hosts.first.get_by_role("heading", level=2)).to_have_text("Quantization")
    expect(page.locator(".sq-quiz-description")).to_have_count(1)
    expect(hosts.first.locator(".sq-quiz-description")).to_contain_text("number formats")
    for n in (1, 2):  # the others are named, for screen readers, by the quiz's title
        expect(hosts.nth(n).locator("section.sq-quiz")).to_have_attribute(
            "aria-label", "Quantization"
        )
    expect(page.locator(".sq-meta")).to_have_count(0)  # no data-show-meta on this page


def test_metadata_only_where_the_placeholder_asks_and_it_stays_after_an_answer(
    page: Page, origin: str
) -> None:
    page.goto(origin + CARDS)
    wait_ready(page)
    cards, listed = page.locator(".socratiq-quiz").nth(0), page.locator(".socratiq-quiz").nth(1)
    expect(cards.locator(".sq-meta").first).to_contain_text("Difficulty:")
    expect(cards.locator(".sq-meta")).to_have_count(5)
    expect(listed.locator(".sq-meta")).to_have_count(0)
    expect(listed.locator(".sq-quiz-title")).to_have_count(0)  # the first placeholder has it
    shown = cards.locator(".sq-qcard:not([hidden]) form.sq-question")
    expect(shown).to_have_attribute("data-show-meta", "true")
    shown.get_by_role("button", name="Check").click()  # a nudge: drawn again, meta kept
    expect(shown).to_have_attribute("data-stage", "nudge")
    expect(shown.locator(".sq-meta")).to_contain_text("Difficulty:")


def test_decimal_commas_on_a_german_page(page: Page, origin: str) -> None:
    page.goto(origin + DECIMAL_COMMA)
    wait_ready(page)
    page.evaluate(ANSWERED_LOG)
    scale = page.locator("form.sq-question[data-question-id=scale]")
    scale.locator("input.sq-blank").fill("0,02")
    scale.locator("button.sq-check").click()
    expect(scale.locator(".sq-result")).to_have_attribute("data-correct", "true")
    latency = page.locator("form.sq-question[data-question-id=latency]")
    latency.locator("input.sq-answer").fill("110,5")
    latency.locator("button.sq-check").click()
    expect(latency.locator(".sq-result")).to_have_attribute("data-correct", "true")
    page.wait_for_function("() => window.__sqAnswered.length === 2")
    assert page.evaluate("() => window.__sqAnswered.map(a => a.correct)") == [True, True]


def test_an_inline_quiz_keeps_its_scripts_data_mode_and_data_show_meta(
    page: Page, origin: str
) -> None:
    page.goto(origin + CARDS)
    wait_ready(page)
    inline = page.locator("div.socratiq-quiz").nth(2)
    expect(inline.get_by_role("heading", level=2)).to_have_text("Inline cards")  # its own quiz
    expect(inline.locator(".sq-qcard")).to_have_count(2)
    expect(inline.locator(".sq-qcard:not([hidden]) h3")).to_have_text("Question 1 of 2")
    expect(inline.locator(".sq-qcard:not([hidden]) .sq-meta")).to_have_text("Difficulty: hard")


def visible_cards(host: Locator) -> Locator:
    return host.locator(".sq-qcard:not([hidden])")


def test_cards_mode_shows_one_question_at_a_time_by_mouse_and_keyboard(
    page: Page, origin: str
) -> None:
    page.goto(origin + CARDS)
    wait_ready(page)
    host = page.locator(".socratiq-quiz").first
    expect(host.locator(".sq-qcard")).to_have_count(5)
    expect(visible_cards(host)).to_have_count(1)
    first = visible_cards(host)
    expect(first.get_by_role("heading", level=3)).to_have_text("Question 1 of 5")
    expect(first.get_by_role("button", name="Previous")).to_be_disabled()
    legend = first.locator("legend").inner_text()

    first.get_by_role("button", name="Next").click()
    second = visible_cards(host)
    expect(second.get_by_role("heading", level=3)).to_have_text("Question 2 of 5")
    expect(second.get_by_role("heading", level=3)).to_be_focused()
    expect(visible_cards(host)).to_have_count(1)

    second.get_by_role("button", name="Previous").focus()  # back by keyboard
    page.keyboard.press("Enter")
    expect(visible_cards(host).get_by_role("heading", level=3)).to_have_text("Question 1 of 5")
    expect(visible_cards(host).get_by_role("heading", level=3)).to_be_focused()
    expect(visible_cards(host).locator("legend")).to_have_text(legend)

    for number in range(2, 6):
        visible_cards(host).get_by_role("button", name="Next").click()
        expect(visible_cards(host).get_by_role("heading", level=3)).to_have_text(
            f"Question {number} of 5"
        )
    expect(visible_cards(host).get_by_role("button", name="Next")).to_be_disabled()

    # an answer on a card redraws the form inside it: the card and its buttons stay
    card = visible_cards(host)
    form = card.locator("form.sq-question")
    form.get_by_role("button", name="Check").click()
    expect(form).to_have_attribute("data-stage", "nudge")
    expect(card.get_by_role("heading", level=3)).to_have_text("Question 5 of 5")
    expect(card.get_by_role("button", name="Previous")).to_be_enabled()
