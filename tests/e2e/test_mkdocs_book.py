"""The example MkDocs book (examples/mkdocs), built by the real `mkdocs build` with the plugin
and the real bundle (web/dist), in Chromium: a Markdown quiz answered on its chapter page, and
reached from a page without quizzes by Material's instant navigation; answers counted by the
chapter's progress block, and on the progress page by every chapter's and the dashboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from socratiq_local.i18n import ENGLISH as t

from .conftest import READY_TIMEOUT_MS, ROOT, feedback, wait_ready

BUILD = ROOT / "build" / "e2e-mkdocs"
SITE = "/build/e2e-mkdocs/site/"


@pytest.fixture(scope="module", autouse=True)
def site(origin: str) -> Iterator[None]:
    """The example book built now, its site_url the test server's (Material's instant
    navigation needs it)."""
    shutil.rmtree(BUILD, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / "mkdocs", BUILD)
    config = BUILD / "mkdocs.yml"
    config.write_text(f"site_url: {origin}{SITE}\n" + config.read_text())
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(BUILD / "site")],
        cwd=BUILD,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    yield


def answer_batching(page: Page) -> None:
    question = "What does batching requests on a GPU mostly improve?"
    form = page.locator("form.sq-question").filter(has_text=question)
    form.get_by_role("radio", name="Throughput").check(timeout=READY_TIMEOUT_MS)
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"))


def test_a_quiz_written_in_markdown_is_answered_on_its_page(page: Page, origin: str) -> None:
    page.goto(origin + SITE + "chapters/serving/")
    static = page.locator(".socratiq-quiz").nth(1)
    expect(static).to_contain_text("What does batching requests on a GPU mostly improve?")
    answer_batching(page)


def test_instant_navigation_from_a_page_without_quizzes_mounts_the_quiz(
    page: Page, origin: str
) -> None:
    page.goto(origin + SITE)
    page.wait_for_function("() => window.socratiq", timeout=READY_TIMEOUT_MS)
    page.evaluate("() => { window.__samePage = true; }")
    page.get_by_role("link", name="Serving", exact=True).first.click()
    expect(page).to_have_url(origin + SITE + "chapters/serving/")
    answer_batching(page)
    assert page.evaluate("() => window.__samePage === true"), "instant navigation was not used"


def test_answers_count_in_the_chapters_progress_and_the_books_dashboard(
    page: Page, origin: str
) -> None:
    page.goto(origin + SITE + "chapters/serving/")
    wait_ready(page)
    words = page.locator(".socratiq-progress .sq-progress-words")
    expect(words).to_have_text("0 of 10 answered · 0 mastered")
    form = page.locator("form.sq-question").filter(has_text="how many requests are in flight")
    form.get_by_role("textbox").fill("10")
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"))
    expect(words).to_have_text("1 of 10 answered · 0 mastered")
    answer_batching(page)  # a quiz written in the page, of no chapter

    page.get_by_role("link", name="Your progress", exact=True).first.click()  # instant
    expect(page).to_have_url(origin + SITE + "progress/")
    wait_ready(page)
    chips = page.locator(".socratiq-progress li")
    expect(chips).to_have_count(1)
    expect(chips).to_contain_text("Model serving")
    expect(chips).to_contain_text("1 of 10 answered · 0 mastered")
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.locator(".sq-answers")).to_have_text("2 answers, 2 right")
