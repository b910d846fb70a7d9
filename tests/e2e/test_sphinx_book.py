"""The example Sphinx book (examples/sphinx), built once by the real `sphinx-build` with the
extension and the real bundle (web/dist), in Chromium: its quizzes readable on a
reStructuredText and a MyST page before Python starts (the worker blocked), interactive once it
has, progress kept across the book's pages, and the index's progress list and dashboard
counting every quiz of the book."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from socratiq_local.i18n import ENGLISH as t

from .conftest import READY_TIMEOUT_MS, ROOT, feedback, wait_ready

BUILD = ROOT / "build" / "e2e-sphinx"
SITE = "/build/e2e-sphinx/site/"
#: One question on each page: its text, and the name of its right answer.
PIPELINES = (
    "Reading the shards in date order and shuffling only within each shard",
    t("question.false"),
)
SHUFFLING = ("A shuffle buffer larger than the dataset gives a global shuffle.", t("question.true"))


@pytest.fixture(scope="module", autouse=True)
def site(origin: str) -> Iterator[None]:
    """The example book, built now (its bundle: the checkout's web/dist)."""
    shutil.rmtree(BUILD, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / "sphinx", BUILD / "book")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", str(BUILD / "book"), str(BUILD / "site")],
        check=True,
        timeout=300,
    )
    yield


def question(page: Page, text: str) -> Locator:
    return page.locator("form.sq-question").filter(has_text=text)


def static(quiz: Locator) -> bool:
    """Whether the quiz still shows its build-time drawing."""
    return bool(quiz.evaluate("(el) => Boolean(el.shadowRoot.querySelector('[data-sq-static]'))"))


@pytest.mark.parametrize(
    ("path", "asked"), [("pipelines.html", PIPELINES), ("shuffling.html", SHUFFLING)]
)
def test_quizzes_read_before_python_starts(
    page: Page, origin: str, path: str, asked: tuple[str, str]
) -> None:
    """With the worker blocked, each page's quizzes still show their questions, and a question's
    answer can be revealed (no Python)."""
    page.route("**/worker.js", lambda route: route.abort())
    page.goto(origin + SITE + path)
    form = question(page, asked[0])
    form.scroll_into_view_if_needed()  # the engine starts when a quiz nears the viewport
    expect(form).to_be_visible()
    expect(form.get_by_role("radio", name=asked[1])).to_be_disabled()
    quiz = page.locator("div.socratiq-quiz").filter(has=form)
    status = quiz.locator("[data-sq-static-status]")
    expect(status).to_contain_text(t("question.reveal_answer"), timeout=READY_TIMEOUT_MS)
    form.get_by_text(t("question.reveal_answer")).click()
    expect(form.locator(".sq-reveal .sq-solution")).to_contain_text(asked[1])
    assert static(quiz), "the build-time drawing was replaced"


def answer(page: Page, asked: tuple[str, str]) -> None:
    form = question(page, asked[0])
    form.get_by_role("radio", name=asked[1]).check(timeout=READY_TIMEOUT_MS)
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


def test_answers_on_two_pages_count_in_the_books_progress(page: Page, origin: str) -> None:
    page.goto(origin + SITE + "pipelines.html")
    wait_ready(page)
    chapter = page.locator(".socratiq-progress")
    expect(chapter.locator(".sq-progress-words")).to_have_text("0 of 10 answered · 0 mastered")
    answer(page, PIPELINES)  # on a reStructuredText page
    expect(chapter.locator(".sq-progress-words")).to_have_text("1 of 10 answered · 0 mastered")

    page.get_by_role("link", name="Shuffling (MyST Markdown)").first.click()
    wait_ready(page)
    answer(page, SHUFFLING)  # on a MyST page

    page.get_by_role("link", name="Example Book").first.click()
    wait_ready(page)
    chips = page.locator(".socratiq-progress li")
    expect(chips).to_have_count(2)  # every chapter of the book, in its order
    expect(chips.nth(0)).to_contain_text("Data pipelines")
    expect(chips.nth(0)).to_contain_text("1 of 10 answered · 0 mastered")
    expect(chips.nth(1)).to_contain_text("Shuffling check")
    expect(chips.nth(1)).to_contain_text("1 of 1 answered · 0 mastered")
    dashboard = page.locator(".socratiq-dashboard")
    steps = dashboard.locator(".sq-step .sq-step-counts")
    expect(steps).to_have_text(["1 of 10 answered · 0 mastered", "1 of 1 answered · 0 mastered"])
    expect(dashboard.locator(".sq-answers")).to_have_text("2 answers, 2 right")
