"""A reader's journey in real Chromium: every question type by mouse and by keyboard alone."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .conftest import feedback, wait_ready

ALL_TYPES = "/tests/e2e/pages/all-types.html"


def question(page: Page, text: str) -> Locator:
    """The form of one question, found by its fieldset's accessible name (the legend), then
    held by its id: a fill-in's name changes as the blanks are filled."""
    form = page.locator("form.sq-question").filter(has=page.get_by_role("group", name=text))
    return page.locator(f"[id='{form.get_attribute('id')}']")


def open_all_types(page: Page, origin: str) -> None:
    page.goto(origin + ALL_TYPES)
    wait_ready(page)


def try_again(form: Locator) -> None:
    """After a final miss: "Try again" gives the question as new."""
    form.get_by_role("button", name="Try again").click()
    expect(form).to_have_attribute("data-stage", "fresh")


def test_every_type_with_the_mouse_right_and_wrong(page: Page, origin: str) -> None:
    open_all_types(page, origin)

    sc = question(page, "Which format stores 8-bit integers?")
    sc.get_by_role("radio", name="FP32").check()
    sc.get_by_role("button", name="Check").click()
    expect(feedback(sc)).to_contain_text("Not quite.")
    expect(sc).to_contain_text("FP32 uses 32 bits.")  # the author's feedback, at the choice
    # two choices: the miss is final, the right one marked at once
    expect(sc.locator(".sq-choice.sq-missed")).to_contain_text("INT8")
    expect(sc.get_by_role("button", name="Show answer")).to_have_count(0)
    try_again(sc)
    sc.get_by_role("radio", name="INT8").check()
    sc.get_by_role("button", name="Check").click()
    expect(feedback(sc)).to_contain_text("Correct.")
    expect(feedback(sc)).to_contain_text("You had seen the answer, so this one earns no XP.")
    expect(sc).to_contain_text("Yes: eight bits.")

    mc = question(page, "Which are accelerators?")
    mc.get_by_role("checkbox", name="GPU").check()
    mc.get_by_role("button", name="Check").click()
    expect(feedback(mc)).to_contain_text("Partly right: 50%.")
    expect(mc.get_by_role("button", name="Show answer")).to_be_visible()  # one more try
    mc.get_by_role("checkbox", name="TPU").check()
    mc.get_by_role("button", name="Check").click()
    expect(feedback(mc)).to_contain_text("Correct.")

    tf = question(page, "Batching raises throughput.")
    tf.get_by_role("radio", name="False").check()
    tf.get_by_role("button", name="Check").click()
    expect(feedback(tf)).to_contain_text("Not quite.")
    try_again(tf)
    tf.get_by_role("radio", name="True").check()
    tf.get_by_role("button", name="Check").click()
    expect(feedback(tf)).to_contain_text("Correct.")

    fb = question(page, "INT8 uses bits.")
    fb.get_by_role("textbox", name="Blank 1").fill(" Eight ")
    fb.get_by_role("button", name="Check").click()
    expect(feedback(fb)).to_contain_text("Correct.")

    sa = question(page, "Why quantize?")
    sa.get_by_role("textbox", name="Your answer").fill("To make models smaller.")
    sa.get_by_role("button", name="Check").click()
    expect(feedback(sa)).to_contain_text("Smaller and faster models.")
    feedback(sa).get_by_role("button", name="Good").click()
    expect(feedback(sa)).to_contain_text("You rated your answer: Good.")
    expect(feedback(sa)).to_contain_text("Smaller and faster models.")

    order = question(page, "Order the pipeline.")
    order.get_by_role("button", name="Check").click()
    expect(feedback(order)).not_to_be_empty()
    expect(feedback(order)).not_to_contain_text("Correct.")  # never shown in the right order
    expect(order).not_to_contain_text("belongs at position")  # no solution at the first miss
    arrange(order, ["Ingest", "Train", "Serve"], keyboard=False)
    order.get_by_role("button", name="Check").click()
    expect(feedback(order)).to_contain_text("Correct.")

    ma = question(page, "Match each format with its size.")
    ma.get_by_role("combobox", name="FP32").select_option(label="2 bytes")
    ma.get_by_role("combobox", name="FP16").select_option(label="4 bytes")
    ma.get_by_role("button", name="Check").click()
    expect(feedback(ma)).to_contain_text("Not quite.")
    ma.get_by_role("combobox", name="FP32").select_option(label="4 bytes")
    ma.get_by_role("combobox", name="FP16").select_option(label="2 bytes")
    ma.get_by_role("button", name="Check").click()
    expect(feedback(ma)).to_contain_text("Correct.")

    nu = question(page, "Bytes in an FP32 value?")
    nu.get_by_role("textbox", name="Your answer").fill("8")
    nu.get_by_role("button", name="Check").click()
    expect(feedback(nu)).to_contain_text("Not quite.")
    nu.get_by_role("textbox", name="Your answer").fill("4 bytes")
    nu.get_by_role("button", name="Check").click()
    expect(feedback(nu)).to_contain_text("Correct.")


ITEM_NAMES = """items => items.map(item => {
    const words = item.cloneNode(true);
    words.querySelectorAll('.sq-mark, .sq-part-solution').forEach(mark => mark.remove());
    return words.textContent.trim();
})"""


def item_order(form: Locator) -> list[str]:
    """The items' words, in the order shown (without the marks of an answer)."""
    names: list[str] = form.locator(".sq-item-text").evaluate_all(ITEM_NAMES)
    return names


def arrange(form: Locator, wanted: list[str], keyboard: bool) -> None:
    """Put the items in order with the Move up buttons (clicked, or pressed with Enter)."""
    page = form.page
    for target, text in enumerate(wanted):
        while item_order(form).index(text) > target:
            button = form.get_by_role("button", name=f"Move up: “{text}”")
            if keyboard:
                button.focus()
                page.keyboard.press("Enter")
            else:
                button.click()


def test_every_type_with_the_keyboard_alone(page: Page, origin: str) -> None:
    open_all_types(page, origin)
    keys = page.keyboard

    def focus_first_control(form: Locator, role: str, name: str) -> None:
        form.get_by_role(role, name=name).focus()  # reaching it by Tab is tested below

    sc = question(page, "Which format stores 8-bit integers?")
    focus_first_control(sc, "radio", "FP32")
    keys.press("ArrowDown")  # radios move with the arrow keys
    keys.press("Enter")  # Enter in a form submits it: Check
    expect(feedback(sc)).to_contain_text("Correct.")

    mc = question(page, "Which are accelerators?")
    focus_first_control(mc, "checkbox", "GPU")
    keys.press("Space")
    keys.press("Tab")
    keys.press("Space")
    keys.press("Tab")  # past NIC
    keys.press("Tab")  # to Check
    expect(mc.get_by_role("button", name="Check")).to_be_focused()
    keys.press("Enter")
    expect(feedback(mc)).to_contain_text("Correct.")

    fb = question(page, "INT8 uses bits.")
    focus_first_control(fb, "textbox", "Blank 1")
    keys.type("8")
    keys.press("Enter")
    expect(feedback(fb)).to_contain_text("Correct.")

    sa = question(page, "Why quantize?")
    focus_first_control(sa, "textbox", "Your answer")
    keys.type("Smaller models")
    keys.press("Tab")
    expect(sa.get_by_role("button", name="Check")).to_be_focused()
    keys.press("Enter")
    expect(feedback(sa).locator(".sq-self-rating")).to_be_focused()  # the model answer
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Tab")  # Again, Hard, then Good
    expect(feedback(sa).get_by_role("button", name="Good")).to_be_focused()
    keys.press("Enter")
    expect(feedback(sa)).to_contain_text("You rated your answer: Good.")

    order = question(page, "Order the pipeline.")
    arrange(order, ["Ingest", "Train", "Serve"], keyboard=True)
    assert item_order(order) == ["Ingest", "Train", "Serve"]
    order.get_by_role("button", name="Check").focus()
    keys.press("Enter")
    expect(feedback(order)).to_contain_text("Correct.")

    ma = question(page, "Match each format with its size.")
    for prompt, size in (("FP32", "4 bytes"), ("FP16", "2 bytes")):
        select = ma.get_by_role("combobox", name=prompt)
        select.focus()
        while select.evaluate("s => s.options[s.selectedIndex].text") != size:
            keys.press("ArrowDown")
    ma.get_by_role("button", name="Check").focus()
    keys.press("Enter")
    expect(feedback(ma)).to_contain_text("Correct.")

    nu = question(page, "Bytes in an FP32 value?")
    focus_first_control(nu, "textbox", "Your answer")
    keys.type("4")
    keys.press("Enter")
    expect(feedback(nu)).to_contain_text("Correct.")


def test_tab_reaches_every_question_control_in_order(page: Page, origin: str) -> None:
    open_all_types(page, origin)
    sc = question(page, "Which format stores 8-bit integers?")
    page.get_by_text("A host page paragraph.").click()  # start from the host page
    for _ in range(6):
        page.keyboard.press("Tab")
        if sc.get_by_role("radio", name="FP32").evaluate("e => e.matches(':focus')"):
            break
    expect(sc.get_by_role("radio", name="FP32")).to_be_focused()


def test_an_empty_answer_gets_a_nudge_not_a_grade(page: Page, origin: str) -> None:
    open_all_types(page, origin)
    sc = question(page, "Which format stores 8-bit integers?")
    sc.get_by_role("button", name="Check").click()
    expect(feedback(sc)).to_have_text("Give an answer first.")
