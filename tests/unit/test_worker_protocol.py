"""The worker protocol's validation (browser/protocol.py): every message gets one reply, an
error for anything malformed, unknown or of another version, never an exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.browser import protocol, worker

INIT = {"protocol": protocol.PROTOCOL, "op": "init", "book": "b", "writerId": "w0"}


def handle(text: str) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(worker.handle(text))
    assert set(reply) in ({"id", "ok", "result"}, {"id", "ok", "error"}), reply
    assert reply["ok"] is ("result" in reply)
    return reply


def send(**message: Any) -> dict[str, Any]:
    return handle(json.dumps({"protocol": protocol.PROTOCOL, **message}))


@pytest.fixture(autouse=True)
def no_session() -> None:
    worker._session = None


@pytest.mark.parametrize("text", ["not json", "[]", "null", "3", '"init"', ""])
def test_a_message_that_is_not_an_object_is_refused(text: str) -> None:
    assert handle(text) == {
        "id": None,
        "ok": False,
        "error": "The quiz engine got a message that is not a request (a JSON object).",
    }


@pytest.mark.parametrize("sent", [None, 1, "2", 3, True])
def test_another_version_is_refused_on_every_message_with_its_id(sent: object) -> None:
    assert send(**INIT)["ok"] is True
    for op in ("init", "warm", "check"):
        reply = handle(json.dumps({**INIT, "protocol": sent, "op": op, "id": 41}))
        assert reply["id"] == 41 and reply["ok"] is False
        assert reply["error"] == (
            "This page's socratiq.js and its quiz engine are from different versions (protocol"
            f" {json.dumps(sent) if not isinstance(sent, str) else sent}, the engine speaks"
            f" {protocol.PROTOCOL}). Reload the page."
        )


def test_a_message_without_a_version_is_refused() -> None:
    reply = handle(json.dumps({"op": "init", "id": 1, "book": "b", "writerId": "w0"}))
    assert reply["ok"] is False and "different versions" in reply["error"]


@pytest.mark.parametrize("op", ["launch", 3, None, "", "__class__", "x" * 100])
def test_an_unknown_op_is_named_in_the_error(op: object) -> None:
    send(**INIT)
    reply = send(op=op, id=5)
    shown = op if isinstance(op, str) else json.dumps(op)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    assert reply == {
        "id": 5,
        "ok": False,
        "error": f"The quiz engine does not know the request “{shown}”.",
    }


def test_missing_mistyped_and_unknown_fields_are_each_named() -> None:
    send(**INIT)
    reply = send(op="check", id=9, quizId=3, fields=[["choice", 1]], colour="red")
    assert reply["id"] == 9
    assert reply["error"] == (
        "The quiz engine cannot use this “check” request: quizId has the wrong type or value;"
        " questionId is missing; fields[0][1] has the wrong type or value; colour is not one of"
        " its fields."
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("now", "NaN"), ("now", "Infinity"), ("now", '"soon"'), ("tzOffsetMinutes", "1.5")],
)
def test_the_clock_fields_are_checked_too(field: str, value: str) -> None:
    send(**INIT)
    text = f'{{"protocol": {protocol.PROTOCOL}, "op": "warm", "id": 2, "{field}": {value}}}'
    reply = handle(text)
    assert reply["id"] == 2
    assert reply["error"] == (
        f"The quiz engine cannot use this “warm” request: {field} has the wrong type or value."
    )


def test_a_bool_or_text_is_no_id() -> None:
    for given_id in (True, "7", 1.5, [1]):
        reply = send(op="launch", id=given_id)
        assert reply["id"] is None and reply["ok"] is False


def test_a_request_before_init_is_told_the_engine_has_not_started() -> None:
    reply = send(op="warm", id=3)
    assert reply == {"id": 3, "ok": False, "error": "The quiz engine was not started."}


def test_errors_are_in_the_readers_language() -> None:
    refused = send(**{**INIT, "lang": "de", "writerId": 7})
    assert refused["error"] == (
        "Die Quiz-Engine kann diese Anfrage „init“ nicht verwenden: writerId hat einen falschen"
        " Typ oder Wert."
    )
    assert send(**{**INIT, "lang": "fr"})["ok"] is True
    assert send(op="launch")["error"] == "Le moteur de quiz ne connaît pas la requête « launch »."


def test_a_valid_request_gets_its_result_and_id_back() -> None:
    started = send(**INIT, id=1)
    assert (started["id"], started["ok"], started["result"]["warnings"]) == (1, True, [])
    assert [key for key, _ in started["result"]["writes"]] == ["socratiq:b:learner"]
    assert send(op="warm", id=2) == {"id": 2, "ok": True, "result": {"writes": []}}


def test_every_op_has_its_handler_and_its_model_its_name() -> None:
    assert set(protocol.OPS) == {"init", *worker.HANDLERS}
    for op, model in protocol.OPS.items():
        assert model.model_fields["op"].default == op


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    op=st.sampled_from([*protocol.OPS, "nope"]),
    fields=st.dictionaries(
        st.sampled_from(["quizId", "questionId", "text", "fields", "changes", "storage", "xp"]),
        JSON_VALUES,
    ),
    request_id=st.integers(min_value=0, max_value=2**31) | st.none(),
)
def test_any_message_gets_one_reply_with_its_id(
    op: str, fields: dict[str, Any], request_id: int | None
) -> None:
    worker._session = None
    send(**INIT)
    reply = send(op=op, id=request_id, **fields)
    assert reply["id"] == request_id
    if not reply["ok"]:
        assert not reply["error"].startswith("The quiz engine failed"), reply
