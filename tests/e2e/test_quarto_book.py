"""The example Quarto book (examples/quarto), each page built by Debian's pandoc with the filter
`socratiq-local quarto-extension` writes (Quarto itself cannot be installed here; it runs the
same filter on its own pandoc), with the real bundle (web/dist), in Chromium: quizzes readable
with the engine blocked, interactive after, progress shared between the chapters, and the
dashboard counting every quiz of the book."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from socratiq_local.i18n import ENGLISH as t

from .conftest import READY_TIMEOUT_MS, ROOT, feedback, wait_ready

BUILD = ROOT / "build" / "e2e-quarto"
SITE = "/build/e2e-quarto/site/"
PAGES = ("index", "chapters/latency", "chapters/batching", "progress")
TAIL = "Why do interactive inference services usually set their latency objective"
TAIL_RIGHT = "The slowest requests decide what many users experience"
BATCHING = "What does batching requests on a GPU mostly improve?"


@pytest.fixture(scope="module", autouse=True)
def site(origin: str) -> Iterator[None]:
    """The example book built now, page by page, as Quarto would run pandoc on it."""
    shutil.rmtree(BUILD, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / "quarto", BUILD)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["socratiq-local", "quarto-extension"], cwd=BUILD, env=env, check=True)
    pandoc = shutil.which("pandoc")
    assert pandoc is not None, "Debian's pandoc is not installed (./build.sh installs it)"
    for name in PAGES:
        target = BUILD / "site" / f"{name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        command = [
            pandoc, "--metadata-file", "_quarto.yml", "--lua-filter",
            "_extensions/socratiq/socratiq.lua", "-f", "markdown", "-t", "html5", "-s",
            "--shift-heading-level-by=-1", f"{name}.qmd", "-o", str(target),
        ]  # fmt: skip
        subprocess.run(command, cwd=BUILD, env=env, check=True)
    yield


def block_engine(page: Page) -> None:
    def abort(route: Route) -> None:
        route.abort()

    page.route("**/worker.js", abort)
    page.route("**/pyodide/**", abort)


def answer(page: Page, question: str, choice: str) -> None:
    form = page.locator("form.sq-question").filter(has_text=question)
    form.get_by_role("radio", name=choice).check(timeout=READY_TIMEOUT_MS)
    form.get_by_role("button", name=t("question.check")).click()
    # pressed on the pre-rendered quiz, perhaps before the engine is up: "Checking…" until it is
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


def test_quizzes_are_readable_with_the_engine_blocked(page: Page, origin: str) -> None:
    block_engine(page)
    page.goto(origin + SITE + "chapters/latency.html")
    quiz = page.locator("div.socratiq-quiz").first
    expect(quiz.get_by_role("heading", name="Model serving")).to_be_visible()
    form = quiz.locator("form.sq-question").filter(has_text=TAIL)
    expect(form).to_be_visible()
    expect(form.get_by_role("radio").first).to_be_disabled()
    explanation = form.get_by_text("A mean hides the slow tail.")
    expect(explanation).to_be_hidden()
    form.get_by_text(t("question.reveal_answer")).click()
    expect(explanation).to_be_visible()
    assert quiz.evaluate("(el) => Boolean(el.shadowRoot.querySelector('[data-sq-static]'))")


def test_progress_is_shared_across_chapters_and_the_dashboard_counts_every_quiz(
    page: Page, origin: str
) -> None:
    page.goto(origin + SITE + "chapters/latency.html")
    answer(page, TAIL, TAIL_RIGHT)
    page.goto(origin + SITE + "chapters/batching.html")
    answer(page, BATCHING, "Throughput")

    page.goto(origin + SITE + "progress.html")
    wait_ready(page)
    progress = page.locator(".socratiq-progress")
    expect(progress).to_contain_text(
        t("progress.answered_mastered", answered=1, total=10, mastered=0)
    )
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard).to_contain_text("2 answers, 2 right")
    # every question of the book: ten in the quiz file, one written in a chapter's page
    expect(dashboard).to_contain_text(
        "Model serving: 0 mastered, 1 right once, 0 to practise again, 9 new."
    )
    expect(dashboard).to_contain_text(
        "Questions outside any chapter: 0 mastered, 1 right once, 0 to practise again, 0 new."
    )

    page.goto(origin + SITE + "chapters/latency.html")  # the answer is still there
    form = page.locator("form.sq-question").filter(has_text=TAIL)
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


def test_a_page_without_quizzes_loads_no_script(page: Page, origin: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(origin + SITE + "index.html")
    page.wait_for_load_state("load")
    assert [url for url in requested if "socratiq" in url.split(SITE)[-1]] == []
