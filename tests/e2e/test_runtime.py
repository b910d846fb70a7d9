"""The runtime's edges: other tabs, failures, foreign quiz files, the dashboard's own buttons."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from .conftest import answer_int8, feedback, wait_ready

CHAPTER = "/web/demo/quantization.html"
QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"
PROGRESS = "/web/demo/progress.html"


def test_an_open_dashboard_follows_answers_given_in_another_tab(
    context: BrowserContext, origin: str
) -> None:
    dashboard = context.new_page()
    dashboard.goto(origin + PROGRESS)
    wait_ready(dashboard)
    expect(dashboard.locator(".sq-answers")).to_have_text("0 answers, 0 right")
    chapter = context.new_page()
    chapter.goto(origin + CHAPTER)
    wait_ready(chapter)
    answer_int8(chapter)
    expect(dashboard.locator(".sq-answers")).to_have_text("1 answer, 1 right")  # no reload


def test_a_browser_without_webassembly_gets_a_clear_message(page: Page, origin: str) -> None:
    page.add_init_script("delete window.WebAssembly")
    page.goto(origin + CHAPTER)
    page.evaluate("() => window.socratiq.start().catch(() => {})")
    first = page.locator(".socratiq-quiz").first
    expect(first.get_by_role("alert")).to_contain_text("This browser cannot run the quizzes")
    expect(first.get_by_role("alert")).to_contain_text("Quantization")  # the quiz title


def test_placeholders_show_the_title_and_a_progress_bar_before_the_engine(
    page: Page, origin: str
) -> None:
    page.goto(origin + CHAPTER)
    first = page.locator(".socratiq-quiz").first
    expect(first.locator(".sq-placeholder .sq-title")).to_have_text("Quantization")
    expect(first.get_by_role("progressbar", name="Loading the quiz engine")).to_be_attached()


def test_a_raw_mlsysbook_chapter_file_shows_one_sections_quiz(page: Page, origin: str) -> None:
    page.goto(origin + "/tests/e2e/pages/mlsysbook.html")
    wait_ready(page)
    quiz = page.locator(".socratiq-quiz")
    expect(quiz.locator("form.sq-question")).to_have_count(4)
    form = page.locator("form.sq-question").filter(
        has_text="What distinguishes machine learning systems"
    )
    form.get_by_role("radio", name="Machine learning systems rely on statistical patterns").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Correct.")


def test_the_dashboard_buttons_export_import_and_wipe(
    context: BrowserContext, origin: str, tmp_path: Path
) -> None:
    page = context.new_page()
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    page.goto(origin + PROGRESS)
    wait_ready(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    dashboard = page.locator(".socratiq-dashboard")
    status = dashboard.locator(".sq-data-status")
    with page.expect_download() as download:
        dashboard.get_by_role("button", name="Export progress").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["socratiq"] == "export"
    expect(status).to_have_text("Your progress was saved to a file.")

    page.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel" keeps everything
    dashboard.get_by_role("button", name="Delete all progress").click()
    expect(status).to_have_text("Nothing was deleted.")
    expect(dashboard.locator(".sq-answers")).to_have_text("1 answer, 1 right")
    page.once("dialog", lambda dialog: dialog.accept())
    dashboard.get_by_role("button", name="Delete all progress").click()
    expect(dashboard.locator(".sq-answers")).to_have_text("0 answers, 0 right")
    # said after the dashboard was drawn again, and still there
    expect(status).to_have_text("All progress for this book was deleted from this device.")
    page.wait_for_timeout(500)
    expect(status).to_have_text("All progress for this book was deleted from this device.")

    with page.expect_file_chooser() as chooser:
        dashboard.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(str(saved))
    expect(dashboard.locator(".sq-answers")).to_have_text("1 answer, 1 right")
    expect(status).to_have_text(re.compile(r"^Imported 1 answer or setting\."))

    not_an_export = tmp_path / "quantization.json"  # a quiz file, chosen by mistake
    not_an_export.write_text((QUIZZES / "quantization.json").read_text())
    with page.expect_file_chooser() as chooser:
        dashboard.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(str(not_an_export))
    expect(status).to_have_text(
        re.compile(r"^Nothing was imported\. This is not a sound socratiq progress file")
    )
    expect(dashboard.locator(".sq-answers")).to_have_text("1 answer, 1 right")
    assert errors == []


def test_review_now_brings_back_a_missed_question(context: BrowserContext, origin: str) -> None:
    page = context.new_page()
    page.clock.install()  # the page's clock is the engine's: the page sends it with each message
    page.goto(origin + CHAPTER)
    wait_ready(page)
    form = page.locator("form.sq-question").filter(has_text="Post-training quantization (PTQ)")
    form.get_by_role("radio", name="True").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Not quite.")
    page.goto(origin + PROGRESS)
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.get_by_role("button", name="Nothing to review now")).to_be_disabled()
    page.clock.fast_forward("01:00:00")  # an hour later the missed question is due
    page.reload()
    wait_ready(page)
    expect(dashboard.locator(".sq-due")).to_have_text("1 question is due for review.")
    dashboard.get_by_role("button", name="Review now").click()
    review = dashboard.locator(".sq-review-area form.sq-question")
    expect(review).to_have_count(1)
    onward = dashboard.get_by_role("button", name="See how it went")  # the last card's "Next"
    expect(onward).to_be_hidden()  # until the card is answered
    review.get_by_role("radio", name="False").check()
    review.get_by_role("button", name="Check").click()
    expect(feedback(review)).to_contain_text("Correct.")
    expect(feedback(review)).to_contain_text("Badge earned: Looking back")
    expect(onward).to_be_visible()  # what it leads to is the dashboard's (actions.js)
