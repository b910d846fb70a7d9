"""The envelope around every stored document: kind, schema version, checksum, data.

    {"socratiq": "<kind>", "v": 1, "sum": "<sha256 of the canonical JSON of data>", "data": {...}}

The checksum tells a damaged or hand-edited value from a good one; the version lets old
documents be migrated forward and documents from a newer release be left alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from .migrations import CURRENT_VERSION, JsonObject, check_readable, migrate


class DamagedDocument(ValueError):
    """A value that is not a sound document of the expected kind (truncated, edited, foreign)."""


def canonical_json(data: Any) -> str:
    """One spelling per value: sorted keys, no spaces, no NaN; what the checksum is taken of."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def checksum(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def seal(kind: str, data: JsonObject) -> str:
    """The stored text of a current-version document."""
    envelope = {"socratiq": kind, "v": CURRENT_VERSION, "sum": checksum(data), "data": data}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


#: No document socratiq_local writes nests deeper than this; a deeper value is refused before
#: it is parsed (Python's parser would recurse until the stack runs out, under Pyodide too).
MAX_DEPTH = 64
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def parse_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads(text)`, refused (ValueError) if its arrays and objects nest deeper than
    `max_depth`: counted first, without recursion."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                raise ValueError(f"nested deeper than {max_depth} levels")
        elif token in "]}":
            depth -= 1
    return json.loads(text)


def unseal(kind: str, text: str) -> JsonObject:
    """The data of a stored document, migrated to the current version.

    Raises DamagedDocument for anything that is not a sound document of `kind`, and
    FutureVersion (not damaged: kept aside) for one written by a newer release.
    """
    try:
        envelope = parse_json(text)
    except (ValueError, RecursionError) as error:
        raise DamagedDocument(f"not JSON ({error})") from error
    if not isinstance(envelope, dict) or envelope.get("socratiq") != kind:
        raise DamagedDocument(f"not a socratiq {kind} document")
    version, data, stored_sum = envelope.get("v"), envelope.get("data"), envelope.get("sum")
    if type(version) is not int or not isinstance(data, dict) or not isinstance(stored_sum, str):
        raise DamagedDocument(f"a {kind} document without a version, checksum or data")
    if version < 1:
        raise DamagedDocument(f"schema version {version} was never released")
    check_readable(version)
    try:
        sound = checksum(data) == stored_sum
    except (ValueError, RecursionError) as error:
        raise DamagedDocument(f"data that cannot be checksummed ({error})") from error
    if not sound:
        raise DamagedDocument("checksum mismatch: the value was damaged or edited")
    try:
        return migrate(kind, version, data)
    except (ValueError, KeyError, TypeError) as error:
        raise DamagedDocument(f"cannot migrate from schema v{version} ({error})") from error
