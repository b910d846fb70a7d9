"""axe-core finds no serious or critical violation, in light and in dark, inside our shadow
roots too: on every demo page with feedback showing, the page of every question type, a
right-to-left page, the dashboard with data and a review session started from it."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import QUIZ_PAGES, answer_every_question, feedback, wait_ready

SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
AXE = "/node_modules/axe-core/axe.min.js"
CHAPTER = QUIZ_PAGES["quantization"]
DASHBOARD = "/web/demo/progress.html"

# A node inside a shadow root has a target like [["div.socratiq-quiz", "input"]]: one list of
# selectors per shadow boundary crossed.
IN_SHADOW = """(results) => ['violations', 'passes', 'incomplete'].some(kind =>
    results[kind].some(rule => rule.nodes.some(node => Array.isArray(node.target[0]))))"""


def axe(page: Page, origin: str) -> dict[str, Any]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=origin + AXE)
    results: dict[str, Any] = page.evaluate("() => axe.run(document)")
    return results


def serious(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "why": n["failureSummary"]} for n in v["nodes"][:3]],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_both_schemes(page: Page, origin: str, inside_shadow: bool = True) -> None:
    """axe in light, then in dark; and proof it looked inside our shadow roots."""
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        results = axe(page, origin)
        if inside_shadow:
            assert page.evaluate(IN_SHADOW, results), "axe did not reach our shadow roots"
        if serious(results):
            found[scheme] = serious(results)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_axe_reaches_into_open_shadow_roots(page: Page, origin: str) -> None:
    """A missing alt text and grey on grey, planted in a shadow root like ours, are found."""
    page.goto(origin + "/tests/e2e/pages/layout-canary.html")
    page.evaluate(
        """() => {
        const faint = Object.assign(document.createElement('p'), {textContent: 'Faint words'});
        faint.style.cssText = 'color: #8a8a8a; background: #999999';
        document.getElementById('canary').shadowRoot.append(
            Object.assign(document.createElement('img'), {src: 'data:,'}), faint);
    }"""
    )
    violations = {v["id"]: v["nodes"] for v in axe(page, origin)["violations"]}
    assert [node["target"] for node in violations["image-alt"]] == [[["#canary", "img"]]]
    assert [
        ("Faint words" in node["html"], isinstance(node["target"][0], list))
        for node in violations["color-contrast"]
    ] == [(True, True)]


def test_index_page_in_both_schemes(page: Page, origin: str) -> None:
    page.goto(origin + "/web/demo/index.html")
    check_both_schemes(page, origin, inside_shadow=False)


@pytest.mark.parametrize("name", list(QUIZ_PAGES))
def test_quiz_page_with_feedback_in_both_schemes(page: Page, origin: str, name: str) -> None:
    page.goto(origin + QUIZ_PAGES[name])
    wait_ready(page)
    answer_every_question(page)
    check_both_schemes(page, origin)


def test_cards_mode_with_metadata_in_both_schemes(page: Page, origin: str) -> None:
    page.goto(origin + "/tests/e2e/pages/cards.html")
    wait_ready(page)
    host = page.locator("div.socratiq-quiz").first
    host.get_by_role("button", name="Next").first.click()  # the second card, its heading focused
    expect(host.locator(".sq-qcard:not([hidden]) h3")).to_be_focused()
    check_both_schemes(page, origin)


def test_dashboard_and_a_review_session_in_both_schemes(
    context: BrowserContext, origin: str
) -> None:
    page = context.new_page()
    page.clock.install()  # the page's clock is the engine's (see test_runtime.py)
    page.goto(origin + CHAPTER)
    wait_ready(page)
    graded = answer_every_question(page)
    assert False in graded, "a missed question is what comes back for review"
    page.goto(origin + DASHBOARD)
    wait_ready(page)
    check_both_schemes(page, origin)

    page.clock.fast_forward("01:00:00")  # an hour later the missed questions are due
    page.reload()
    wait_ready(page)
    dashboard = page.locator(".socratiq-dashboard")
    dashboard.get_by_role("button", name="Review now").click()
    review = dashboard.locator("form.sq-question")
    expect(review.first).to_be_visible()
    answer_every_question(page)  # the review's questions, so their feedback shows too
    expect(feedback(review.first)).not_to_be_empty()
    check_both_schemes(page, origin)
