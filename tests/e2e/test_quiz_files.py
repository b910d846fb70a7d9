"""Hostile quiz files cannot hold up the host page: the worker fetches and checks them, with a
size limit before parsing, and the reader is told what is wrong, by file. Duplicate question
ids are refused on the page with the id named. The browser is asked to keep the storage once
the reader has earned something, and the dashboard says what it answered."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from socratiq_local.i18n import ENGLISH

from .conftest import ALL_DRAWN, ROOT, answer_int8, wait_ready

GENERATED = ROOT / "tests" / "e2e" / "pages" / "generated"
HOSTILE = ["big.json", "bomb.json", "deep.json", "emphasis.json", "twice.json"]
#: Watch the main thread's long tasks from now on, then add the hostile placeholders (mounted
#: by the page's MutationObserver and drawn at once, the engine being ready): the tasks seen
#: are those the files cause, not the engine's start-up.
ADD_HOSTILE = """(files) => { window.__sqLongTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__sqLongTasks.push(entry.duration);
    }).observe({type: 'longtask'});
    for (const name of files) {
        const quiz = document.createElement('div');
        quiz.className = 'socratiq-quiz';
        quiz.dataset.src = name;
        document.body.append(quiz);
    }
    const dashboard = document.createElement('div');
    dashboard.className = 'socratiq-dashboard';
    dashboard.dataset.quizzes = 'big.json emphasis.json';
    document.body.append(dashboard); }"""


def question(index: int, text: str = "Is it?") -> dict[str, object]:
    return {"type": "true_false", "id": f"q{index}", "text": text, "answer": True}


def quiz(quiz_id: str, *questions: dict[str, object]) -> str:
    return json.dumps({"id": quiz_id, "title": quiz_id.title(), "questions": list(questions)})


@pytest.fixture(scope="module")
def hostile_files() -> Iterator[Path]:
    """Four quiz files no host page should suffer, and one page showing them all."""
    GENERATED.mkdir(exist_ok=True)
    noise = random.Random(14)
    words = base64.b64encode(noise.randbytes(15 * 1024 * 1024)).decode()
    files = {
        # 20 MB that gzip cannot shrink: refused by its Content-Length
        "big.json": quiz("big", question(0, words[: 20 * 1024 * 1024 - 200])),
        # 20 MB that gzip shrinks to almost nothing: refused while it streams in
        "bomb.json": quiz("bomb", question(0, "x" * (20 * 1024 * 1024))),
        "deep.json": '{"id": "deep", "title": "Deep", "questions": '
        + "[" * 3000
        + "]" * 3000
        + "}",
        "emphasis.json": quiz(
            "emphasis",
            question(0, "*a _b " * 1600 + "deep" + " b_ a*" * 1600),  # 3,200 deep
            question(1, "Plain?"),
        ),
        "twice.json": quiz("twice", question(0), question(1), question(1, "Again?")),
    }
    files["plain.json"] = quiz("plain", question(0, "Plain?"))
    for name, text in files.items():
        (GENERATED / name).write_text(text, encoding="utf-8")
    (GENERATED / "hostile-files.html").write_text(
        """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile quiz files</title>
<script src="../../../../web/dist/socratiq.js" data-book="e2e-hostile-files" async></script>
</head><body>
<div class="socratiq-quiz" data-src="plain.json"></div>
</body></html>""",
        encoding="utf-8",
    )
    yield GENERATED
    for name in [*files, "hostile-files.html"]:
        (GENERATED / name).unlink()


def show_hostile_files(page: Page, origin: str) -> None:
    page.goto(origin + "/tests/e2e/pages/generated/hostile-files.html")
    wait_ready(page)
    page.evaluate(ADD_HOSTILE, HOSTILE)
    page.wait_for_function(ALL_DRAWN)


def test_huge_and_deep_quiz_files_never_hold_up_the_page(
    page: Page, origin: str, hostile_files: Path
) -> None:
    show_hostile_files(page, origin)
    quizzes = page.locator(".socratiq-quiz")  # plain.json first, then HOSTILE
    too_large = (
        "The quiz file {} is larger than 1 MB, the most a quiz file may be, so it was not read."
    )
    expect(quizzes.nth(1).get_by_role("alert")).to_contain_text(too_large.format("big.json"))
    expect(quizzes.nth(2).get_by_role("alert")).to_contain_text(too_large.format("bomb.json"))
    expect(quizzes.nth(3).get_by_role("alert")).to_contain_text(
        "This quiz file has a problem: deep.json: error: the document nests more than 64 levels"
    )
    emphasis = quizzes.nth(4)
    expect(emphasis.locator("form.sq-question")).to_have_count(2)
    depth = emphasis.evaluate(
        """host => { let deepest = 0;
        for (const node of host.shadowRoot.querySelectorAll('.sq-question :is(em, strong)')) {
            let depth = 0;
            for (let up = node; up && up.matches('em, strong'); up = up.parentElement) depth++;
            deepest = Math.max(deepest, depth);
        } return deepest; }"""
    )
    assert depth == 20
    dashboard = page.locator(".socratiq-dashboard")
    expect(dashboard.get_by_role("status").first).to_contain_text(too_large.format("big.json"))
    page.wait_for_timeout(500)  # the last tasks settle and are reported
    long_tasks = page.evaluate("() => window.__sqLongTasks")
    assert max(long_tasks, default=0) < 200, long_tasks


def test_two_questions_with_one_id_are_refused_on_the_page_naming_it(
    page: Page, origin: str, hostile_files: Path
) -> None:
    show_hostile_files(page, origin)
    expect(page.locator(".socratiq-quiz").nth(5).get_by_role("alert")).to_contain_text(
        "This quiz file has a problem: twice.json: questions[2].id: error: duplicate question id"
        ' "q1" (also questions[1])'
    )


def grant_persistent_storage(browser: Browser, page: Page, origin: str) -> None:
    """The browser's own grant (what it gives a bookmarked or installed site), over CDP."""
    target = page.context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"]
    browser.new_browser_cdp_session().send(
        "Browser.grantPermissions",
        {
            "permissions": ["durableStorage"],
            "origin": origin,
            "browserContextId": target["browserContextId"],
        },
    )


@pytest.mark.parametrize("granted", [False, True], ids=["headless-default", "granted"])
def test_storage_is_asked_to_stay_after_the_first_earned_answer(
    browser: Browser, page: Page, origin: str, granted: bool
) -> None:
    page.add_init_script(
        """{ window.__sqPersistAsked = 0;
        const persist = navigator.storage.persist.bind(navigator.storage);
        navigator.storage.persist = () => { window.__sqPersistAsked++; return persist(); }; }"""
    )
    page.goto(origin + "/web/demo/quantization.html")
    if granted:
        grant_persistent_storage(browser, page, origin)
    wait_ready(page)
    assert page.evaluate("() => window.__sqPersistAsked") == 0  # nothing earned yet
    answer_int8(page)
    if granted:  # kept already: nothing to ask
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__sqPersistAsked") == 0
    else:
        page.wait_for_function("() => window.__sqPersistAsked === 1")
    page.goto(origin + "/web/demo/progress.html")
    wait_ready(page)
    kept = page.evaluate("() => navigator.storage.persisted()")
    assert kept is granted  # headless Chromium says no to a site it has no reason to trust
    line = page.locator(".socratiq-dashboard .sq-data-kept")
    expect(line).to_have_text(ENGLISH("page.storage_kept" if kept else "page.storage_not_kept"))
    expect(line).to_have_attribute("data-persisted", "true" if kept else "false")
