"""A reader's typical session, for the bundle build: which modules does a quiz page import?

tools/hot_modules.mjs runs `modules_imported(root)` inside Pyodide (in Node) with the bundle's
wheels installed; tools/build_bundle.py precompiles exactly the modules it returns and ships
every other module as source, which is smaller on the wire and compiled only if a page ever
imports it. The session goes through the worker's JSON boundary as the page (web/src/) does:
every sample quiz (every question type, math included) rendered, each question answered right
and wrong, a short answer as the page sends it (its form's fields: the text, then the rating),
"Show answer" and "Try again", the dashboard, a review, a new daily goal, progress rings,
export and import, an MLSysBook file, another tab's write, a compaction and a wipe.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

NOW_MS = 1_790_000_000_000  # a fixed moment: the session is the same at every build


def modules_imported(root: str) -> list[str]:
    repo = Path(root)
    sys.path.insert(0, str(repo / "tests" / "unit"))  # keys.py: a question's own key
    from keys import right_answer, wrong_answer

    from socratiq_local.browser import worker
    from socratiq_local.browser.protocol import PROTOCOL
    from socratiq_local.quiz.checks import load_quiz

    def send(op: str, **fields: Any) -> dict[str, Any]:
        message = {"protocol": PROTOCOL, "op": op, "now": NOW_MS, "tzOffsetMinutes": 60, **fields}
        reply = json.loads(worker.handle(json.dumps(message)))
        if "error" in reply:
            raise RuntimeError(f"{op}: {reply['error']}")
        result: dict[str, Any] = reply["result"]
        return result

    send("init", book="typical-session", writerId="w0")
    for path in sorted((repo / "quizzes").glob("*.json")):
        if path.name == "quiz.schema.json":
            continue
        text = path.read_text(encoding="utf-8")
        quiz_id = send("quiz", source=text, sourceName=path.name)["quizId"]
        for question in load_quiz(text, path.name).questions:
            ids = {"quizId": quiz_id, "questionId": question.id}
            for answer in (wrong_answer(question), right_answer(question)):
                send("check", **ids, answer=answer)
            if question.type == "short_answer":  # a model answer to compare with, then a rating
                for fields in ([["text", "…"]], [["text", "…"], ["rating", "good"]]):
                    send("check", **ids, fields=fields)
        send("show_answer", **ids)
        send("question", **ids)
    mlsysbook = repo / "tests" / "unit" / "data" / "mlsysbook" / "vol1_introduction_quizzes.json"
    send("quiz", source=mlsysbook.read_text(encoding="utf-8"), sourceName=mlsysbook.name,
         format="mlsysbook")  # fmt: skip
    send("dashboard")
    send("review")
    send("set_goal", xp=20)
    send("progress", elements=[{"chapter": "quantization"}, {"chapters": "quantization serving"}])
    exported = send("export")["text"]
    send("import", text=exported)
    send("storage_changed", storage={})
    send("compact")
    send("wipe")
    return sorted(sys.modules)
