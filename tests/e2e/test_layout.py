"""What a reader sees, measured: on every demo page, the page of every question type, an RTL
page and the dashboard with data, at phone to desktop widths in light and dark, once the
quizzes are drawn and again once answered right and wrong, nothing reaches past the viewport
and no two lines of text overlap. Screenshots of each page x width x scheme go to
build/screenshots/layout/ for a person to look at (JPEG: three times quicker to write than
PNG for a page 14000 px tall).

One page per demo page: it boots the engine once (about 3 s), then is resized through the
widths and switched between colour schemes (re-measured after each change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page

from .conftest import QUIZ_PAGES, ROOT, answer_every_question, wait_ready, watch

WIDTHS = (320, 390, 768, 1280)
HEIGHT = 800
SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
TOLERANCE_PX = 1
PROBE = (Path(__file__).parent / "layout_probe.js").read_text()
SCREENSHOTS = ROOT / "build" / "screenshots" / "layout"

PLAIN_PAGES = {"index": "/web/demo/index.html"}
DASHBOARD = "/web/demo/progress.html"


def where(item: dict[str, Any]) -> str:
    r = item["rect"]
    span = f"x {r['left']}..{r['right']} y {r['top']} ({r['width']}x{r['height']})"
    return f"{item['text']!r} in {item['path']} at {span}"


@dataclass
class Findings:
    """Every check that failed on one page, as report lines by (state, scheme, width)."""

    failures: dict[str, list[str]] = field(default_factory=dict)

    def measure(self, page: Page, state: str, scheme: str, width: int) -> None:
        found = page.evaluate(PROBE, TOLERANCE_PX)
        lines: list[str] = []
        if found["scrollWidth"] > found["viewport"]:
            lines.append(f"scrolls sideways: {found['scrollWidth']} > {found['viewport']} px")
        if found["beyond"]:
            lines.append(f"beyond the viewport ({len(found['beyond'])}):")
            lines += [f"  {item['kind']}: {where(item)}" for item in found["beyond"][:10]]
        if found["beyondHost"]:
            lines.append(f"beyond its quiz or dashboard ({len(found['beyondHost'])}):")
            lines += [f"  {item['kind']}: {where(item)}" for item in found["beyondHost"][:10]]
        if found["overlaps"]:
            lines.append(f"overlapping text ({len(found['overlaps'])} pairs):")
            for pair in found["overlaps"][:10]:
                lines += [f"  {where(pair['a'])}", f"    x {where(pair['b'])}"]
        if not lines:
            return
        light = self.failures.get(f"{state} / light / {width} px")
        if scheme != "light" and light == lines:
            lines = ["the same as light"]
        self.failures[f"{state} / {scheme} / {width} px"] = lines

    def report(self) -> str:
        return "\n".join(
            "\n".join([heading, *("  " + line for line in lines)])
            for heading, lines in self.failures.items()
        )


def settle(page: Page) -> None:
    """Two frames, so layout (and anything a resize observer does) has caught up."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def sweep(page: Page, findings: Findings, name: str, state: str, shoot: bool) -> None:
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            settle(page)
            findings.measure(page, state, scheme, width)
            if shoot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                shot = SCREENSHOTS / f"{name}-{width}-{scheme}.jpg"
                page.screenshot(path=shot, full_page=True, type="jpeg", quality=80)


def open_page(browser: Browser, origin: str) -> tuple[Page, Any]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    return context.new_page(), watch(context, origin)


@pytest.mark.parametrize("name", list(QUIZ_PAGES))
def test_quiz_page_fits_every_width_without_overlapping_text(
    browser: Browser, origin: str, name: str
) -> None:
    page, log = open_page(browser, origin)
    page.goto(origin + QUIZ_PAGES[name])
    wait_ready(page)
    findings = Findings()
    sweep(page, findings, name, "drawn", shoot=False)
    graded = answer_every_question(page)
    assert True in graded and False in graded, "the page should show right and wrong feedback"
    sweep(page, findings, name, "answered", shoot=True)
    page.context.close()
    assert log.foreign() == []
    assert not findings.failures, "\n" + findings.report()


@pytest.mark.parametrize("name", list(PLAIN_PAGES))
def test_plain_page_fits_every_width(browser: Browser, origin: str, name: str) -> None:
    page, log = open_page(browser, origin)
    page.goto(origin + PLAIN_PAGES[name])
    findings = Findings()
    sweep(page, findings, name, "loaded", shoot=True)
    page.context.close()
    assert log.foreign() == []
    assert not findings.failures, "\n" + findings.report()


def test_dashboard_with_data_fits_every_width_without_overlapping_text(
    browser: Browser, origin: str
) -> None:
    page, log = open_page(browser, origin)
    page.goto(origin + QUIZ_PAGES["quantization"])
    wait_ready(page)
    answer_every_question(page)
    page.goto(origin + DASHBOARD)
    wait_ready(page)
    answers = page.locator(".socratiq-dashboard").get_by_text("answers,")
    assert not answers.inner_text().startswith("0 "), "the dashboard should have data"
    findings = Findings()
    sweep(page, findings, "progress", "with data", shoot=True)
    page.context.close()
    assert log.foreign() == []
    assert not findings.failures, "\n" + findings.report()


def test_the_probe_finds_known_faults_and_only_those(page: Page, origin: str) -> None:
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    page.goto(origin + "/tests/e2e/pages/layout-canary.html")
    found = page.evaluate(PROBE, TOLERANCE_PX)
    assert found["scrollWidth"] > found["viewport"] == 320
    assert [(item["kind"], item["text"][:16]) for item in found["beyond"]] == [
        ("text", "An-unbreakable-l")
    ]
    assert [(item["kind"], item["text"]) for item in found["beyondHost"]] == [
        ("text", "An-unbreakable-line-that-runs-past-the-right-edge-of-any-phone-screen"),
        ("box", "A bar wider than its card"),
    ]
    assert sorted(sorted([pair["a"]["text"], pair["b"]["text"]]) for pair in found["overlaps"]) == [
        ["0 / 5", "sec_quantization_basics"],
        ["Stacked on top", "Underneath line"],
    ]
