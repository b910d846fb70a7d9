"""The worker protocol at its edges. Messages posted straight to the real module worker, as a
broken or foreign page script might post them, each get one error reply (never a hang), and the
engine goes on answering well-formed requests; another tab's writes reach the worker as the
keys they changed, never as the whole copy; the host page's API resolves with what README
documents, nothing internal."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import BrowserContext, Page

from socratiq_local.browser.protocol import PROTOCOL

from .conftest import READY_TIMEOUT_MS, answer_every_question, answer_int8, wait_ready

CHAPTER = "/web/demo/quantization.html"
PROGRESS = "/web/demo/progress.html"
#: What rpc.js's call() puts in every request.
ENVELOPE = {"protocol", "id", "op", "now", "tzOffsetMinutes"}

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


# Every request the page posts to its worker, kept (as sent) in window.__sqSent.
RECORD_REQUESTS = """(() => {
  const post = Worker.prototype.postMessage;
  window.__sqSent = [];
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && typeof message.op === "string" && message.op !== "wasm") {
      window.__sqSent.push(JSON.parse(JSON.stringify(message)));
    }
    return post.call(this, message, ...rest);
  };
})()"""

# True once the storage_changed requests posted since `from` hold exactly the keys of this book
# that differ from `before`, each with its value now (null: removed).
FORWARDED_ALL = """([before, from]) => {
  const now = Object.fromEntries(Object.keys(localStorage)
    .filter((key) => key.startsWith("socratiq:mlsys-demo:"))
    .map((key) => [key, localStorage.getItem(key)]));
  const changed = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (before[key] !== now[key]) changed[key] = now[key] ?? null;
  }
  const forwarded = {};
  for (const message of window.__sqSent.slice(from)) {
    if (message.op === "storage_changed") Object.assign(forwarded, message.changes);
  }
  const sorted = (o) => JSON.stringify(Object.entries(o).sort());
  return Object.keys(changed).length > 0 && sorted(forwarded) === sorted(changed);
}"""


def test_another_tabs_answers_forward_only_the_keys_they_changed(
    context: BrowserContext, origin: str
) -> None:
    chapter = context.new_page()
    chapter.goto(origin + CHAPTER)
    wait_ready(chapter)
    answer_every_question(chapter)  # a log worth not sending again
    dashboard = context.new_page()
    dashboard.add_init_script(RECORD_REQUESTS)
    dashboard.goto(origin + PROGRESS)
    wait_ready(dashboard)
    stored = dashboard.evaluate("() => ({...localStorage})")
    before = {k: v for k, v in stored.items() if k.startswith("socratiq:mlsys-demo:")}
    sent_before = dashboard.evaluate("() => window.__sqSent.length")
    serving = context.new_page()  # a third tab: the first stays the compactor
    serving.goto(origin + "/web/demo/serving.html")
    wait_ready(serving)
    answer_every_question(serving)
    dashboard.wait_for_function(FORWARDED_ALL, arg=[before, sent_before])
    sent = dashboard.evaluate("(n) => window.__sqSent.slice(n)", sent_before)
    forwarded = [message for message in sent if message["op"] == "storage_changed"]
    assert forwarded and all(set(message) - ENVELOPE == {"changes"} for message in forwarded)
    assert not set(before) <= {key for m in forwarded for key in m["changes"]}  # not the whole copy


def test_the_host_apis_results_carry_only_what_readme_documents(page: Page, origin: str) -> None:
    page.goto(origin + CHAPTER)
    wait_ready(page)
    answer_int8(page)
    exported = page.evaluate("() => window.socratiq.exportProgress()")
    assert isinstance(exported, str) and json.loads(exported)["socratiq"] == "export"
    assert page.evaluate("() => window.socratiq.wipe()") == {}
    imported = page.evaluate("(text) => window.socratiq.importProgress(text)", exported)
    assert imported == {"message": "Imported 1 answer or setting."}
