"""The example MkDocs book (examples/mkdocs), built by the real `mkdocs build` with the plugin
and the real bundle (web/dist), in Chromium: a Markdown quiz answered on its chapter page, and
reached from a page without quizzes by Material's instant navigation; answers counted by the
chapter's progress block, on the progress page by every chapter's and the dashboard, and by the
chapter's badge in the nav (nav_progress), on every page instant navigation brings; the badges
measured at a phone's and a desktop's width, and checked by axe, in light and dark."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from socratiq_local.i18n import ENGLISH as t

from .conftest import READY_TIMEOUT_MS, ROOT, feedback, wait_ready
from .test_accessibility import AXE, IN_SHADOW, SCHEMES, serious

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
    # The pre-rendered question takes the answer before the engine is up (web/src/early.js):
    # its feedback comes once the engine is.
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


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
    nav_link(page, "Serving").click()
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


#: The chapter's name in the badge's accessible name ("Model serving: 1 of 10 answered · …").
CHAPTER = "Model serving"
#: Material's nav (the sidebar; a drawer on narrow screens).
NAV = "nav.md-nav--primary"


def nav_link(page: Page, title: str) -> Locator:
    """The entry of the nav's page `title`, its name the title and, once drawn, its badge's."""
    name = re.compile(f"^{re.escape(title)}($| {CHAPTER}: )")
    nav = page.get_by_role("navigation", name="Navigation", exact=True)
    return nav.get_by_role("link", name=name)


def badge_count(link: Locator) -> Locator:
    return link.locator(".socratiq-progress .sq-progress-count")


def answer_littles_law(page: Page) -> None:
    form = page.locator("form.sq-question").filter(has_text="how many requests are in flight")
    form.get_by_role("textbox").fill("10", timeout=READY_TIMEOUT_MS)
    form.get_by_role("button", name=t("question.check")).click()
    expect(feedback(form)).to_contain_text(t("feedback.correct"), timeout=READY_TIMEOUT_MS)


def test_the_nav_badge_counts_an_answer_at_once_and_after_instant_navigation(
    page: Page, origin: str
) -> None:
    page.goto(origin + SITE + "chapters/serving/")
    serving = nav_link(page, "Serving")
    expect(badge_count(serving)).to_have_text("0/10", timeout=READY_TIMEOUT_MS)
    expect(serving).to_have_accessible_name(f"Serving {CHAPTER}: 0 of 10 answered · 0 mastered")
    expect(badge_count(nav_link(page, "Serving Models"))).to_have_count(0)  # no quiz there
    answer_littles_law(page)
    expect(badge_count(serving)).to_have_text("1/10")
    expect(serving).to_have_accessible_name(f"Serving {CHAPTER}: 1 of 10 answered · 0 mastered")

    page.evaluate("() => { window.__samePage = true; }")
    for title, url in (("Your progress", "progress/"), ("Serving Models", "")):  # the 2nd: no quiz
        page.evaluate(f"() => {{ document.querySelector('{NAV}').dataset.seen = '1'; }}")
        nav_link(page, title).click()  # instant: Material swaps in the next page's nav
        expect(page).to_have_url(origin + SITE + url)
        expect(page.locator(NAV)).not_to_have_attribute("data-seen", "1")  # a new nav
        expect(badge_count(nav_link(page, "Serving"))).to_have_text("1/10")
    assert page.evaluate("() => window.__samePage === true"), "instant navigation was not used"


def test_without_webassembly_the_nav_keeps_its_plain_entries(page: Page, origin: str) -> None:
    """The quizzes say that they stay static; the badges show, and say, nothing."""
    page.add_init_script("delete window.WebAssembly")
    page.goto(origin + SITE + "chapters/serving/")
    status = page.locator(".socratiq-quiz [data-sq-static-status]").first
    expect(status).to_contain_text(t("page.no_webassembly"), timeout=READY_TIMEOUT_MS)
    badges = page.locator(f"{NAV} .socratiq-progress")
    expect(badges).to_have_count(2)  # Material's label and link for this page
    assert badges.evaluate_all("(all) => all.every((b) => b.shadowRoot.textContent === '')")
    expect(nav_link(page, "Serving")).to_have_accessible_name("Serving")
    expect(page.locator(NAV).get_by_role("alert")).to_have_count(0)


# Every badge shown in the nav, and how it sits: its box, its link's, the link's text's.
MEASURE = """(selector) => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const nav = document.querySelector(selector);
  return {
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    badges: [...nav.querySelectorAll(".socratiq-progress")]
      .filter((badge) => badge.checkVisibility())
      .map((badge) => {
        const entry = badge.closest(".md-nav__link");
        const text = entry.querySelector(".md-ellipsis");
        const count = badge.shadowRoot.querySelector(".sq-progress-count").textContent;
        return {badge: box(badge), entry: box(entry), text: box(text), count};
      }),
  };
}"""


def misfits(found: dict[str, Any]) -> list[str]:
    """What does not fit: sideways scrolling, a badge past the viewport or outside its entry,
    a badge over the entry's text (1 px of rounding allowed)."""
    problems = []
    if found["scrollWidth"] > found["viewport"]:
        problems.append(f"scrolls sideways: {found['scrollWidth']} > {found['viewport']}")
    for item in found["badges"]:
        badge, entry, text = item["badge"], item["entry"], item["text"]
        if badge["right"] > found["viewport"] + 1:
            problems.append(f"past the viewport: {item}")
        if not (entry["left"] - 1 <= badge["left"] and badge["right"] <= entry["right"] + 1):
            problems.append(f"outside its entry: {item}")
        if not (entry["top"] - 1 <= badge["top"] and badge["bottom"] <= entry["bottom"] + 1):
            problems.append(f"outside its entry: {item}")
        across = min(badge["right"], text["right"]) - max(badge["left"], text["left"])
        down = min(badge["bottom"], text["bottom"]) - max(badge["top"], text["top"])
        if across > 1 and down > 1:
            problems.append(f"over the entry's text: {item}")
    return problems


@pytest.mark.parametrize("width", [390, 1280])
def test_nav_badges_fit_their_entries_and_pass_axe_in_both_schemes(
    page: Page, origin: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(origin + SITE + "chapters/serving/")
    wait_ready(page)
    answer_littles_law(page)
    if width < 1220:  # Material's nav is a drawer on narrow screens: opened as a reader would
        page.locator("label.md-header__button[for='__drawer']").click()
    nav = page.get_by_role("navigation", name="Navigation", exact=True)
    expect(nav.locator(".socratiq-progress .sq-progress-count").filter(visible=True)).to_have_text(
        ["1/10"], timeout=READY_TIMEOUT_MS
    )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=origin + AXE)
    shots = ROOT / "build" / "screenshots" / "mkdocs-nav"  # for a person to look at
    shots.mkdir(parents=True, exist_ok=True)
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        measured = page.evaluate(MEASURE, NAV)
        assert [b["count"] for b in measured["badges"]] == ["1/10"], measured
        problems = misfits(measured)
        results = page.evaluate("(nav) => axe.run(document.querySelector(nav))", NAV)
        assert page.evaluate(IN_SHADOW, results), "axe did not reach the badges' shadow roots"
        if problems or serious(results):
            found[scheme] = {"layout": problems, "axe": serious(results)}
        nav.screenshot(path=shots / f"nav-{width}-{scheme}.png")
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
