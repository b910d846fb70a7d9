import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.progress.events import (
    Answered,
    AnyEvent,
    ProgressImported,
    SettingsChanged,
    SolutionShown,
)
from socratiq_local.storage.codec import decode_events, encode_events
from socratiq_local.storage.envelope import canonical_json

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

ids = st.one_of(
    st.uuids().map(lambda u: u.hex),
    st.from_regex(r"[A-Za-z0-9_~-]{8,64}", fullmatch=True).filter(lambda s: "~" not in s),
)
refs = st.text(min_size=1, max_size=30)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


kept_answers = (
    st.none()
    | st.integers(-1, 30)
    | st.booleans()
    | st.lists(st.integers(-1, 30) | st.text(max_size=10), max_size=5)
)


@st.composite
def events(draw: st.DrawFn) -> AnyEvent:
    at = draw(moments)
    offset = draw(st.integers(-16 * 60, 16 * 60))
    local = (at + timedelta(minutes=offset)).date() + timedelta(days=draw(st.integers(-1, 1)))
    common: dict[str, Any] = {
        "id": draw(ids),
        "at": at,
        "local_date": local,
        "utc_offset_minutes": offset,
    }
    kind = draw(st.sampled_from(["answered"] * 4 + ["settings", "imported", "shown"]))
    if kind == "shown":
        return SolutionShown(**common, quiz_id=draw(refs), question_id=draw(refs))
    if kind == "settings":
        return SettingsChanged(**common, daily_goal_xp=draw(st.none() | st.integers(1, 10_000)))
    if kind == "imported":
        return ProgressImported(**common, source=draw(st.text(max_size=20)))
    return Answered(
        **common,
        quiz_id=draw(refs),
        question_id=draw(refs),
        chapter=draw(st.none() | refs),
        section=draw(st.none() | refs),
        difficulty=draw(st.sampled_from(["easy", "medium", "hard"])),
        correct=draw(st.booleans()),
        score=draw(st.floats(0, 1)),
        rating=draw(st.sampled_from(["again", "hard", "good", "easy"])),
        self_rated=draw(st.booleans()),
        review=draw(st.booleans()),
        revealed=draw(st.booleans()),
        answer=draw(kept_answers),
    )


def answered(n: int, *, start: datetime = START) -> list[AnyEvent]:
    """`n` realistic answers, one every 40 s, to a book of 20 chapters x 8 sections x 5
    questions (MLSysBook-like ids), each question answered again and again over time."""
    out: list[AnyEvent] = []
    for i in range(n):
        at = start + timedelta(seconds=40 * i, microseconds=137 * i)
        question = i * 7 % 800
        chapter = f"ch{question // 40:02d}"
        section = f"#sec-{chapter}-model-training-{question // 5 % 8}"
        out.append(
            Answered(
                id=uuid.uuid4().hex,
                at=at,
                local_date=(at + timedelta(hours=2)).date(),
                utc_offset_minutes=120,
                quiz_id=f"{chapter}-quiz",
                question_id=f"{section}-q{question % 5}",
                chapter=chapter,
                section=section,
                correct=i % 3 != 0,
                score=1.0 if i % 3 else 0.0,
                rating="good" if i % 3 else "again",
                review=i % 5 == 0,
            )
        )
    return out


@given(st.lists(events(), max_size=12))
def test_encoding_round_trips_every_event_exactly(stored: list[AnyEvent]) -> None:
    encoded = encode_events(stored)
    assert decode_events(json.loads(canonical_json(encoded))) == stored


def test_hex_ids_are_stored_in_22_characters_and_others_as_they_are() -> None:
    event = answered(1)[0]
    plain = event.model_copy(update={"id": "my-own-id_1"})
    rows = encode_events([event, plain])["rows"]
    assert rows[0][0] == "~" + rows[0][0][1:] and len(rows[0][0]) == 23
    assert rows[1][0] == "my-own-id_1"
    assert decode_events(encode_events([event, plain])) == [event, plain]


def test_realistic_answers_take_under_70_bytes_each() -> None:
    stored = answered(8000)  # a book of 800 questions, each answered 10 times
    size = len(canonical_json(encode_events(stored)).encode())
    verbose = len(json.dumps([e.model_dump(mode="json") for e in stored]).encode())
    assert size / len(stored) < 70  # 66 measured: ids are 25 of them
    assert verbose / size > 4


@pytest.mark.parametrize(
    "rows",
    [
        [["abcdefgh", 0, 0, 0, [0, 0, -1, -1, -1, 1, 1, 2]]],  # difficulty -1 would wrap around
        [["abcdefgh", 0, 0, 0, [0, 0, -1, -1, 0, 17, 1, 2]]],  # unknown flag bits
        [["abcdefgh", 0, 0, 0, [0, 0, -1, -1, 0, 1, 1, 2, 3, 4]]],  # a field too many
        [["abcdefgh", 0, 0, 0, [5, 0, -1, -1, 0, 1, 1, 2]]],  # string index out of range
        [["abcdefgh", 0.5, 0, 0, [0, 0, -1, -1, 0, 1, 1, 2]]],  # time not an integer
        [["abcdefgh", 10**30, 0, 0, [0, 0, -1, -1, 0, 1, 1, 2]]],  # time out of range
        [["~abc", 0, 0, 0, [0, 0, -1, -1, 0, 1, 1, 2]]],  # truncated compact id
        [["abcdefgh", 0, 0, 0, "answered"]],
        [["abcdefgh", 0, 0, 0]],
        [["abcdefgh", 0, 0, 0, {"kind": "nonsense"}]],
        "rows",
    ],
)
def test_malformed_rows_raise_value_error(rows: Any) -> None:
    with pytest.raises(ValueError):
        decode_events({"strings": ["quiz"], "rows": rows})


def test_local_date_survives_a_date_line_offset() -> None:
    event = answered(1)[0].model_copy(
        update={"utc_offset_minutes": -600, "local_date": date(2025, 2, 28)}
    )
    assert decode_events(encode_events([event]))[0].local_date == date(2025, 2, 28)
