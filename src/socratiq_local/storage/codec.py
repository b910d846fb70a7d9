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
import json
import re
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

from pydantic import TypeAdapter

from ..progress.events import KEY_ID_CHARS, Answered, AnyEvent, Event
from ..quiz.models import Difficulty, Rating
from .envelope import parse_json
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


_EPOCH_DAY = _EPOCH.date().toordinal()
_DAY_MICROS = 86_400_000_000


def _day_at(micros: int, offset_minutes: int) -> date:
    """The calendar date at `micros` since 1970 in a zone `offset_minutes` ahead of UTC (by
    integer arithmetic: it runs for every event read)."""
    return date.fromordinal(_EPOCH_DAY + (micros + offset_minutes * 60_000_000) // _DAY_MICROS)


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


# -- a whole history, packed -----------------------------------------------------------------
#
# A snapshot keeps every event it folded, so two devices' histories merge by union (see
# `book.py`). At a year of answers that is 50,000 events, so the history is packed harder than a
# log: columns instead of rows, each id cut to the part that identifies it (`sort_key`), the
# answer kept only where progress reads it (each question's latest), zlib, and the bytes written
# 15 bits to a character (localStorage counts UTF-16 code units, not bytes; JSON's 6 bits per
# character of base64 would take 2.5 times the room).

#: The first of the 32,768 code points a packed character uses: U+3400-U+B3FF, all below the
#: surrogates, none of them escaped by JSON.
_BASE = 0x3400
_GROUP_BYTES, _GROUP_CHARS = 15, 8
#: A packed history never inflates beyond this (a forged file cannot exhaust memory).
MAX_HISTORY_BYTES = 64 * 1024 * 1024
_ANSWER_FIELDS = 8


def _to_text(data: bytes) -> str:
    pad = -len(data) % _GROUP_BYTES
    data += bytes(pad)
    chars = [chr(_BASE + pad)]
    for at in range(0, len(data), _GROUP_BYTES):
        n = int.from_bytes(data[at : at + _GROUP_BYTES], "big")
        chars += [chr(_BASE + (n >> shift & 0x7FFF)) for shift in range(105, -1, -15)]
    return "".join(chars)


def _from_text(text: str) -> bytes:
    if not text or (len(text) - 1) % _GROUP_CHARS:
        raise ValueError("a packed history of the wrong length")
    codes = [ord(c) - _BASE for c in text]
    if not all(0 <= code < 0x8000 for code in codes) or codes[0] >= _GROUP_BYTES:
        raise ValueError("a packed history with a foreign character")
    out = bytearray()
    for at in range(1, len(codes), _GROUP_CHARS):
        n = 0
        for code in codes[at : at + _GROUP_CHARS]:
            n = n << 15 | code
        out += n.to_bytes(_GROUP_BYTES, "big")
    return bytes(out[: len(out) - codes[0]])


def pack_json(value: Any) -> str:
    """Any JSON value, packed as a history is (zlib, 15 bits a character): a snapshot's fold,
    a third of its JSON's size or less."""
    raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _to_text(zlib.compress(raw.encode()))


def unpack_json(text: str) -> Any:
    """The value `pack_json` packed; raises ValueError on anything else."""
    try:
        return parse_json(_inflate(_from_text(text)).decode())
    except (zlib.error, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"malformed packed value: {error}") from error


def pack_history(events: Sequence[AnyEvent]) -> str:
    """`events` (merged: one per key, in log order) as one compact string; "" for none.

    Each id keeps its first `KEY_ID_CHARS` characters; an answer is kept only on the latest
    answer to its question, the one progress shows again.
    """
    if not events:
        return ""
    latest: dict[tuple[str, str], int] = {}
    for n, event in enumerate(events):
        if isinstance(event, Answered):
            latest[event.quiz_id, event.question_id] = n
    places: dict[tuple[Any, ...], int] = {}
    ids, deltas, where, flags = [], [], [], []
    scores, zones, answers, others = [], [], [], []
    previous, offset = 0, 0
    for n, event in enumerate(events):
        micros = _micros(event.at)
        delta = micros - previous
        if delta < 0:
            raise ValueError("a history must be in log order")
        deltas.append(delta // 1000 * 2 if delta % 1000 == 0 else delta * 2 + 1)
        previous = micros
        ids.append(event.id[:KEY_ID_CHARS].ljust(KEY_ID_CHARS, " "))
        shift = (event.local_date - _day_at(micros, event.utc_offset_minutes)).days
        if shift or event.utc_offset_minutes != offset:
            zones.append([n, event.utc_offset_minutes, shift])
            offset = event.utc_offset_minutes
        if not isinstance(event, Answered):
            where.append(-1)
            flags.append(0)
            others.append([n, event.model_dump(mode="json", exclude=_TIME_FIELDS)])
            continue
        place = (event.quiz_id, event.question_id, event.chapter, event.section, event.difficulty)
        where.append(places.setdefault(place, len(places)))
        flags.append(
            int(event.correct)
            | int(event.self_rated) << 1
            | int(event.review) << 2
            | int(event.revealed) << 3
            | _RATINGS.index(event.rating) << 4
        )
        if event.score != float(event.correct):
            scores.append([n, event.score])
        if event.answer is not None and latest[event.quiz_id, event.question_id] == n:
            answers.append([n, event.answer])
    columns = {
        "places": [list(place) for place in places],
        "ids": "".join(ids),
        "at": deltas,
        "where": where,
        "flags": flags,
        "scores": scores,
        "zones": zones,
        "answers": answers,
        "others": others,
    }
    raw = json.dumps(columns, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _to_text(zlib.compress(raw.encode()))


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    raw = inflater.decompress(data, MAX_HISTORY_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("a packed history too large or cut short")
    return raw


def _sparse(column: Any, size: int) -> dict[int, Any]:
    if not isinstance(column, list):
        raise ValueError("a sparse column must be an array")
    out: dict[int, Any] = {}
    for entry in column:
        index, *rest = entry
        out[_code(index, size)] = rest
    return out


def unpack_history(text: str) -> list[AnyEvent]:
    """The events `pack_history` packed; raises ValueError on anything else."""
    if text == "":
        return []
    try:
        columns = parse_json(_inflate(_from_text(text)).decode())
        ids, deltas, where, flags = (columns[k] for k in ("ids", "at", "where", "flags"))
        places = columns["places"]
        size = len(deltas)
        if not isinstance(ids, str) or len(ids) != size * KEY_ID_CHARS:
            raise ValueError("ids do not match the events")
        if not all(isinstance(c, list) for c in (deltas, where, flags, places)):
            raise ValueError("a column must be an array")
        if not len(where) == len(flags) == size:
            raise ValueError("columns of different lengths")
        scores = _sparse(columns["scores"], size)
        zones = _sparse(columns["zones"], size)
        answers = _sparse(columns["answers"], size)
        others = _sparse(columns["others"], size)
        fields: list[JsonObject] = []
        micros, offset, shift = 0, 0, 0
        for n in range(size):
            code = deltas[n]
            if type(code) is not int or code < 0:
                raise ValueError("time deltas must be integers >= 0")
            micros += code // 2 * 1000 if code % 2 == 0 else code // 2
            offset, shift = zones.get(n, (offset, 0))
            if type(offset) is not int or type(shift) is not int:
                raise ValueError("time zone fields must be integers")
            common = {
                "id": ids[n * KEY_ID_CHARS : (n + 1) * KEY_ID_CHARS].rstrip(" "),
                "at": _EPOCH + timedelta(microseconds=micros),
                "local_date": _day_at(micros, offset) + timedelta(days=shift),
                "utc_offset_minutes": offset,
            }
            if where[n] == -1:
                (tail,) = others[n]
                if not isinstance(tail, dict):
                    raise ValueError("an event's fields must be an object")
                fields.append(tail | common)
                continue
            quiz, question, chapter, section, difficulty = places[_code(where[n], len(places))]
            flag = _code(flags[n], 64)
            correct = bool(flag & 1)
            fields.append(
                common
                | {
                    "kind": "answered",
                    "quiz_id": quiz,
                    "question_id": question,
                    "chapter": chapter,
                    "section": section,
                    "difficulty": difficulty,
                    "correct": correct,
                    "self_rated": bool(flag & 2),
                    "review": bool(flag & 4),
                    "revealed": bool(flag & 8),
                    "rating": _RATINGS[flag >> 4],
                    "score": scores[n][0] if n in scores else float(correct),
                    "answer": answers[n][0] if n in answers else None,
                }
            )
    except (TypeError, IndexError, OverflowError, AttributeError, KeyError, zlib.error) as error:
        raise ValueError(f"malformed history: {error}") from error
    return list(_EVENTS.validate_python(fields))
