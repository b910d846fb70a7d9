"""Hostile quiz content stays text, the page works offline, and axe finds no serious issue."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import feedback, wait_ready, watch

HOSTILE = "/tests/e2e/pages/hostile.html"
DEMO_PAGES = [
    "index.html",
    "quantization.html",
    "data-pipelines.html",
    "serving.html",
    "progress.html",
]


def test_hostile_quiz_content_never_executes_and_shows_as_text(page: Page, origin: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(origin + HOSTILE)
    wait_ready(page)
    quiz = page.locator(".socratiq-quiz")
    expect(quiz.get_by_role("heading", level=2)).to_contain_text(
        '<img src=x onerror="window.__pwned'
    )
    expect(quiz).to_contain_text("<script>window.__pwned")
    first = quiz.locator("form.sq-question").first
    first.get_by_role("radio", name=re.compile("first$")).check()
    first.get_by_role("button", name="Check").click()
    expect(feedback(first)).to_contain_text("Correct.")
    first.locator("details summary").click()  # open the hint
    for link in quiz.locator("a").all():
        href = link.get_attribute("href") or ""
        assert not href.strip().lower().startswith("javascript"), href
    live = page.evaluate(
        """() => {
        const root = document.querySelector('.socratiq-quiz').shadowRoot;
        const all = [...root.querySelectorAll('*')];
        return {
          scripts: all.filter(e => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName))
            .length,
          handlers: all.flatMap(e => [...e.attributes].map(a => a.name))
            .filter(n => n.startsWith('on')),
          external: all.filter(e => (e.getAttribute('src') || '').startsWith('http')).length,
        };
    }"""
    )
    assert live == {"scripts": 0, "handlers": [], "external": 0}
    page.mouse.move(10, 10)
    first.hover()
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []


def test_the_demo_works_offline_once_visited(browser: Browser, origin: str) -> None:
    context = browser.new_context()
    log = watch(context, origin)
    page = context.new_page()
    page.goto(origin + "/web/demo/quantization.html")
    wait_ready(page)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()  # now controlled by the service worker, which caches the page and its quizzes
    wait_ready(page)
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    page.goto(origin + "/web/demo/progress.html")  # a page is kept once it has been opened
    wait_ready(page)
    context.set_offline(True)
    for chapter in ("quantization.html", "progress.html"):
        page.goto(origin + "/web/demo/" + chapter)
        wait_ready(page)
    expect(page.locator(".sq-answers")).to_have_text("0 answers, 0 right")
    page.goto(origin + "/web/demo/quantization.html")
    wait_ready(page)
    form = page.locator("form.sq-question").filter(
        has=page.get_by_role("radio", name="4 times smaller")
    )
    form.get_by_role("radio", name="4 times smaller").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback(form)).to_contain_text("Correct.")
    context.close()
    assert log.foreign() == []


@pytest.mark.parametrize("name", DEMO_PAGES)
def test_axe_finds_no_serious_accessibility_violation(page: Page, origin: str, name: str) -> None:
    page.goto(origin + "/web/demo/" + name)
    if name != "index.html":
        wait_ready(page)
    page.add_script_tag(url=origin + "/node_modules/axe-core/axe.min.js")
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1)
