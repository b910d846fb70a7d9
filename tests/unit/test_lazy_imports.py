"""The page's first quiz imports only what showing it needs (see browser/session.py).

The progress tracker, the storage of answers, feedback, the dashboard, the importers and
latex2mathml are imported on first need, or ahead of it by the "warm" message. What a module
import brings shows only in a fresh interpreter, so those tests run one per module.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from socratiq_local.browser import worker
from socratiq_local.browser.protocol import PROTOCOL
from socratiq_local.browser.session import FIRST_ANSWER_MODULES
from socratiq_local.quiz.checks import load_quiz

from .keys import right_answer

SERVING = json.loads((Path(__file__).parents[2] / "quizzes" / "serving.json").read_text())
PLAIN = {
    **SERVING,
    "id": "plain",
    "questions": [q for q in SERVING["questions"] if "$" not in json.dumps(q)],
}
MATH = {
    **PLAIN,
    "id": "math",
    "questions": [{**PLAIN["questions"][0], "text": "What is $x^2$ for $x = 3$?"}],
}
MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook" / "vol1_introduction_quizzes.json"

#: Not imported by the worker module, "init" and a quiz without math.
NOT_FOR_THE_FIRST_QUIZ = [
    "fsrs",
    "latex2mathml",
    "socratiq_local.importers",
    "socratiq_local.progress",
    "socratiq_local.render.dashboard",
    "socratiq_local.render.feedback",
    "socratiq_local.storage.book",
    "socratiq_local.storage.file",
]

#: Imported by "warm": what the first answer, the dashboard and a review need.
WARMED = [
    "fsrs",
    "socratiq_local.progress.cards",
    "socratiq_local.progress.dashboard",
    "socratiq_local.progress.record",
    "socratiq_local.progress.review",
    "socratiq_local.progress.state",
    "socratiq_local.render.celebrations",
    "socratiq_local.render.dashboard",
    "socratiq_local.render.feedback",
    "socratiq_local.render.review",
    "socratiq_local.storage.book",
]

#: The only validators of ours that the worker module, "init" and the first quiz build (the
#: two requests' own models among them): the question types' own, the grading's, the form's,
#: the other requests' and the rejected quiz's wait (defer_build).
BUILT_FOR_THE_FIRST_QUIZ = [
    "socratiq_local.browser.protocol.Init",
    "socratiq_local.browser.protocol.QuizRequest",
    "socratiq_local.i18n.LanguageInfo",
    "socratiq_local.i18n.Table",
    "socratiq_local.quiz.models.Quiz",
]

#: TypeAdapters on the way to the first quiz whose validators wait for first use or "warm".
DEFERRED_ADAPTERS = [
    "socratiq_local.quiz.checks._QUESTION_ADAPTER",
    "socratiq_local.quiz.grading._BOOL",
    "socratiq_local.quiz.grading._RATING",
    "socratiq_local.quiz.grading._STR",
    "socratiq_local.quiz.grading._STR_LIST",
    "socratiq_local.quiz.grading._STR_MAP",
]

# Drives the worker as the page does and prints the modules loaded, and the validators of
# ours built (models by name, TypeAdapters of DEFERRED_ADAPTERS), after each step.
PAGE = r"""
import json, sys
from pydantic import BaseModel
from socratiq_local.browser import worker
from socratiq_local.browser.protocol import PROTOCOL

def models(cls=BaseModel):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)

def built():
    names = {f"{c.__module__}.{c.__qualname__}" for c in models() if c.__pydantic_complete__}
    for name in given["adapters"]:
        module, attribute = name.rsplit(".", 1)
        if getattr(sys.modules[module], attribute).pydantic_complete:
            names.add(name)
    return sorted(n for n in names if n.startswith("socratiq_local."))

def send(**message):
    sent = {"protocol": PROTOCOL, "now": 1.79e12, "tzOffsetMinutes": 60, **message}
    reply = json.loads(worker.handle(json.dumps(sent)))
    if "result" not in reply:
        raise SystemExit(reply["error"])
    return reply["result"]

given = json.load(sys.stdin)
seen = {}
send(op="init", book="b", writerId="w0")
seen["quiz_html"] = send(op="quiz", source=given["plain"], sourceName="plain.json")["html"]
seen["after_quiz"] = sorted(sys.modules)
seen["built_after_quiz"] = built()
seen["warm"] = send(op="warm")
seen["after_warm"] = sorted(sys.modules)
seen["built_after_warm"] = built()
seen["check"] = send(op="check", **given["check"])
send(op="dashboard")
send(op="review")
seen["after_answer"] = sorted(sys.modules)
seen["built_after_answer"] = built()
seen["math_html"] = send(op="quiz", source=given["math"], sourceName="math.json")["html"]
seen["after_math"] = sorted(sys.modules)
send(op="quiz", source=given["mlsysbook"], sourceName="m.json", format="mlsysbook")
seen["after_mlsysbook"] = sorted(sys.modules)
print(json.dumps(seen))
"""


def under(names: list[str], packages: list[str]) -> list[str]:
    """The names that are one of `packages` or inside one."""
    return [n for n in names if any(n == p or n.startswith(p + ".") for p in packages)]


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    if sys.platform == "emscripten":
        pytest.skip("no subprocesses under Pyodide, and these need a fresh interpreter")
    question = load_quiz(json.dumps(PLAIN), "plain.json").questions[0]
    given = {
        "plain": json.dumps(PLAIN),
        "math": json.dumps(MATH),
        "mlsysbook": MLSYSBOOK.read_text(encoding="utf-8"),
        "check": {"quizId": "plain", "questionId": question.id, "answer": right_answer(question)},
        "adapters": DEFERRED_ADAPTERS,
    }
    done = subprocess.run(
        [sys.executable, "-c", PAGE],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


def test_the_first_quiz_without_math_imports_no_progress_importer_or_math(
    page: dict[str, Any],
) -> None:
    assert 'class="sq-question"' in page["quiz_html"]
    assert under(page["after_quiz"], NOT_FOR_THE_FIRST_QUIZ) == []


def test_the_first_quiz_builds_only_the_quiz_and_language_validators(
    page: dict[str, Any],
) -> None:
    assert page["built_after_quiz"] == BUILT_FOR_THE_FIRST_QUIZ


def test_warm_builds_what_the_first_answer_needs(page: dict[str, Any]) -> None:
    warmed = set(page["built_after_warm"])
    assert {*DEFERRED_ADAPTERS, "socratiq_local.quiz.grading.GradeResult"} - warmed == {
        "socratiq_local.quiz.checks._QUESTION_ADAPTER"  # only for a quiz that is rejected
    }
    assert set(page["built_after_answer"]) - warmed == set()


def test_warm_imports_everything_the_first_answer_dashboard_and_review_need(
    page: dict[str, Any],
) -> None:
    assert page["warm"] == {"writes": []}
    assert set(WARMED) <= set(page["after_warm"])
    assert page["check"]["correct"] is True
    more = sorted(set(page["after_answer"]) - set(page["after_warm"]))
    assert under(more, ["socratiq_local", "fsrs", "pydantic"]) == []


def test_math_imports_latex2mathml_on_first_need_and_still_renders_mathml(
    page: dict[str, Any],
) -> None:
    assert "latex2mathml" not in page["after_answer"]
    assert '<math display="inline"' in page["math_html"] and "<msup>" in page["math_html"]
    assert "latex2mathml" in page["after_math"]


def test_the_mlsysbook_importer_is_imported_for_its_files_only(page: dict[str, Any]) -> None:
    assert under(page["after_math"], ["socratiq_local.importers"]) == []
    assert "socratiq_local.importers.mlsysbook" in page["after_mlsysbook"]


def test_warm_names_only_real_modules_and_replies_with_its_writes() -> None:
    init = {"protocol": PROTOCOL, "op": "init", "book": "b", "writerId": "w0"}
    assert json.loads(worker.handle(json.dumps(init)))["ok"] is True
    warmed = json.loads(worker.handle(json.dumps({"protocol": PROTOCOL, "op": "warm", "id": 7})))
    assert warmed == {"id": 7, "ok": True, "result": {"writes": []}}
    loaded = [name.replace("..", "socratiq_local.", 1) for name in FIRST_ANSWER_MODULES]
    assert set(loaded) <= set(sys.modules)
