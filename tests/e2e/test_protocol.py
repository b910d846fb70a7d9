"""The worker protocol at its edge: messages posted straight to the real module worker, as a
broken or foreign page script might post them, each get one error reply (never a hang), and the
engine goes on answering well-formed requests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from socratiq_local.browser.protocol import PROTOCOL

from .conftest import READY_TIMEOUT_MS

# Posts `messages` (JSON, except the BigInt and undefined ones made here) to a new worker and
# resolves with its replies, in order, once there is one per message, or with what came by
# the deadline: a missing reply shows as a shorter list, never as a test that hangs.
POST = """async ([messages, deadline]) => {
  const worker = new Worker(new URL("/web/dist/worker.js", location.href), { type: "module" });
  const replies = [];
  const sent = [...messages, undefined, { ...messages[0], id: 90, op: "warm", now: 10n }];
  const done = new Promise((resolve) => {
    worker.onmessage = (event) => {
      if (event.data && event.data.op) return; // start-up stages, not replies
      replies.push(event.data);
      if (replies.length === sent.length) resolve();
    };
    worker.onerror = () => resolve();
    setTimeout(resolve, deadline);
  });
  for (const message of sent) worker.postMessage(message);
  await done;
  worker.terminate();
  return replies.map(({ ms, ...reply }) => reply);
}"""


def test_malformed_unknown_and_other_version_messages_get_error_replies(
    page: Page, origin: str
) -> None:
    page.goto(origin + "/tests/e2e/pages/no-quiz.html")
    request = {"protocol": PROTOCOL}
    messages: list[Any] = [
        {**request, "id": 1, "op": "warm"},
        {**request, "id": 2, "op": "init", "book": "probe", "writerId": "w0", "lang": "de"},
        {**request, "id": 3, "op": "launch"},
        {"protocol": PROTOCOL - 1, "id": 4, "op": "warm"},
        {"id": 5, "op": "warm"},
        {**request, "id": 6, "op": "quiz_progress"},
        {**request, "id": 7, "op": "check", "quizId": 5, "questionId": "q", "colour": "red"},
        {**request, "id": "eight", "op": "warm"},
        None,
        "warm",
        [1, 2],
        {**request, "id": 12, "op": "warm"},
    ]
    replies = page.evaluate(POST, [messages, READY_TIMEOUT_MS])
    assert len(replies) == len(messages) + 2, replies
    errors = {reply["id"]: reply.get("error") for reply in replies}
    assert replies[0] == {"id": 1, "ok": False, "error": "The quiz engine was not started."}
    assert replies[1]["id"] == 2 and replies[1]["ok"] is True
    assert errors[3] == "Die Quiz-Engine kennt die Anfrage „launch“ nicht."
    other_version = (
        "socratiq.js dieser Seite und ihre Quiz-Engine stammen aus verschiedenen Versionen"
        " (Protokoll {sent}, die Engine spricht {expected}). Lade die Seite neu."
    )
    assert errors[4] == other_version.format(sent=PROTOCOL - 1, expected=PROTOCOL)
    assert errors[5] == other_version.format(sent="null", expected=PROTOCOL)
    assert errors[6] == (
        "Die Quiz-Engine kann diese Anfrage „quiz_progress“ nicht verwenden: quizId fehlt."
    )
    assert errors[7] == (
        "Die Quiz-Engine kann diese Anfrage „check“ nicht verwenden: quizId hat einen falschen"
        " Typ oder Wert; colour ist kein Feld dieser Anfrage."
    )
    refused = (
        "Die Quiz-Engine hat eine Nachricht erhalten, die keine Anfrage (kein JSON-Objekt) ist."
    )
    without_id = replies[7:11]
    assert [(reply["id"], reply["ok"]) for reply in without_id] == [(None, False)] * 4
    assert without_id[0]["error"] == (
        "Die Quiz-Engine kann diese Anfrage „warm“ nicht verwenden: id hat einen falschen Typ"
        " oder Wert."
    )
    assert [reply["error"] for reply in without_id[1:]] == [refused] * 3  # null, text, list
    assert replies[11] == {"id": 12, "ok": True, "result": {"writes": []}}  # it still answers
    assert replies[12] == {"id": None, "ok": False, "error": refused}  # undefined
    assert replies[13]["id"] == 90 and "BigInt" in replies[13]["error"]  # no JSON for it
