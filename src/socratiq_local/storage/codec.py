"""A compact encoding of events for storage, because all progress must fit in localStorage.

An event becomes one JSON array instead of an object with long field names:

    [id, at, date_shift, offset, tail]

- `id`: a 32-digit hex id (what `new_event_fields` makes) is stored as "~" and 22 base64url
  characters; any other id as itself ("~" cannot occur in an id).
- `at`: microseconds since the previous row's `at` (the first row: since 1970), exact.
- `date_shift`: days from the date `at` falls on at `utc_offset_minutes` to `local_date`
  (0 unless an event was made by hand).
- `offset`: `utc_offset_minutes` minus the previous row's (the first row: minus 0).
- `tail` of an Answered event: [quiz, question, chapter, section, difficulty, flags, score,
  rating, answer], strings as indices into the document's `strings` (-1 for None), difficulty
  and rating as indices of their literals, flags = correct | self_rated << 1 | review << 2 |
  revealed << 3, answer as the event holds it (already compact, see `quiz.kept`) and left out
  when there is none (as in every row schema version 1 wrote).
  Any other (rare) event keeps its remaining fields as an object, `kind` included.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

from pydantic import TypeAdapter

from ..progress.events import Answered, AnyEvent, Event
from ..quiz.models import Difficulty, Rating
from .migrations import JsonObject

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
_DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
_RATINGS: tuple[str, ...] = get_args(Rating)
_TIME_FIELDS = {"id", "at", "local_date", "utc_offset_minutes"}
_EVENTS = TypeAdapter(list[Event])


def _encode_id(event_id: str) -> str:
    if _HEX_ID.match(event_id):
        return "~" + base64.urlsafe_b64encode(bytes.fromhex(event_id)).decode().rstrip("=")
    return event_id


def _decode_id(stored: Any) -> Any:
    if isinstance(stored, str) and stored.startswith("~"):
        if len(stored) != 23:
            raise ValueError(f"bad compact id {stored!r}")
        return base64.urlsafe_b64decode(stored[1:] + "==").hex()
    return stored


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _day_at(micros: int, offset_minutes: int) -> date:
    return (_EPOCH + timedelta(microseconds=micros, minutes=offset_minutes)).date()


class _StringTable:
    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def index(self, value: str | None) -> int:
        if value is None:
            return -1
        if value not in self._index:
            self._index[value] = len(self.strings)
            self.strings.append(value)
        return self._index[value]


def encode_events(events: Sequence[AnyEvent]) -> JsonObject:
    """`{"strings": [...], "rows": [...]}` for `events`, in the order given."""
    table = _StringTable()
    rows: list[list[Any]] = []
    previous, previous_offset = 0, 0
    for event in events:
        micros = _micros(event.at)
        shift = (event.local_date - _day_at(micros, event.utc_offset_minutes)).days
        tail: list[Any] | JsonObject
        if isinstance(event, Answered):
            flags = (
                int(event.correct)
                | int(event.self_rated) << 1
                | int(event.review) << 2
                | int(event.revealed) << 3
            )
            score: float | int = int(event.score) if event.score.is_integer() else event.score
            tail = [
                table.index(event.quiz_id),
                table.index(event.question_id),
                table.index(event.chapter),
                table.index(event.section),
                _DIFFICULTIES.index(event.difficulty),
                flags,
                score,
                _RATINGS.index(event.rating),
            ]
            if event.answer is not None:
                tail.append(event.answer)
        else:
            tail = event.model_dump(mode="json", exclude=_TIME_FIELDS)
        offset = event.utc_offset_minutes
        rows.append(
            [_encode_id(event.id), micros - previous, shift, offset - previous_offset, tail]
        )
        previous, previous_offset = micros, offset
    return {"strings": table.strings, "rows": rows}


def _code(index: Any, size: int) -> int:
    """`index` if it is an int in range(size); a negative index would wrap around."""
    if type(index) is not int or not 0 <= index < size:
        raise ValueError(f"bad code {index!r}")
    return index


def _string(strings: list[Any], index: Any) -> Any:
    return None if index == -1 else strings[_code(index, len(strings))]


def decode_events(data: JsonObject) -> list[AnyEvent]:
    """The events `encode_events` stored; raises ValueError on anything else."""
    strings, rows = data.get("strings"), data.get("rows")
    if not isinstance(strings, list) or not isinstance(rows, list):
        raise ValueError("an event list needs `strings` and `rows` arrays")
    fields: list[JsonObject] = []
    micros, offset = 0, 0
    try:
        for row in rows:
            stored_id, delta, shift, offset_change, tail = row
            if not all(type(n) is int for n in (delta, shift, offset_change)):
                raise ValueError("time fields must be integers")
            micros += delta
            offset += offset_change
            common = {
                "id": _decode_id(stored_id),
                "at": _EPOCH + timedelta(microseconds=micros),
                "local_date": _day_at(micros, offset) + timedelta(days=shift),
                "utc_offset_minutes": offset,
            }
            if isinstance(tail, list):
                if len(tail) not in (8, 9):
                    raise ValueError(f"an answer's row has 8 or 9 fields, not {len(tail)}")
                quiz, question, chapter, section, difficulty, flags, score, rating = tail[:8]
                answer = tail[8] if len(tail) == 9 else None
                flags = _code(flags, 16)
                fields.append(
                    common
                    | {
                        "kind": "answered",
                        "quiz_id": _string(strings, quiz),
                        "question_id": _string(strings, question),
                        "chapter": _string(strings, chapter),
                        "section": _string(strings, section),
                        "difficulty": _DIFFICULTIES[_code(difficulty, len(_DIFFICULTIES))],
                        "correct": bool(flags & 1),
                        "self_rated": bool(flags & 2),
                        "review": bool(flags & 4),
                        "revealed": bool(flags & 8),
                        "answer": answer,
                        "score": score,
                        "rating": _RATINGS[_code(rating, len(_RATINGS))],
                    }
                )
            elif isinstance(tail, dict):
                fields.append(tail | common)
            else:
                raise ValueError("an event's tail must be an array or an object")
    except (TypeError, IndexError, OverflowError, AttributeError) as error:
        raise ValueError(f"malformed event row: {error}") from error
    return list(_EVENTS.validate_python(fields))
