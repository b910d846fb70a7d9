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


#: The deepest nesting any document of ours has is about 10; parsing a far deeper one (3,000
#: brackets in 6 KB) overflows the WebAssembly stack under Pyodide and kills the engine, a
#: crash no `except` catches, so depth is checked before parsing.
MAX_DEPTH = 64
#: Longer than anything localStorage holds (about 5 million characters per site), room for an
#: export file of years of answers.
MAX_CHARS = 32_000_000

#: Deletes every ASCII character that is neither a bracket, a quote nor a backslash.
_SKELETON = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in '[]{}"\\'))
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def check_bounds(text: str) -> None:
    """Raise DamagedDocument if `text` is too long or nests deeper than MAX_DEPTH.

    No recursion: the brackets outside strings are kept, and each pass removes the innermost
    pairs, so they are gone after as many passes as the nesting is deep.
    """
    if len(text) > MAX_CHARS:
        raise DamagedDocument(f"longer than {MAX_CHARS:,} characters")
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text.translate(_SKELETON)))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return
        brackets = brackets.replace("[]", "").replace("{}", "")
    if brackets:
        raise DamagedDocument(f"nested deeper than {MAX_DEPTH} levels")


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


def parse_json(text: str) -> Any:
    """`json.loads(text)` once `check_bounds` passed (raises DamagedDocument, a ValueError)."""
    check_bounds(text)
    return json.loads(text)


def unseal(kind: str, text: str) -> JsonObject:
    """The data of a stored document, migrated to the current version.

    Raises DamagedDocument for anything that is not a sound document of `kind`, and
    FutureVersion (not damaged: kept aside) for one written by a newer release.
    """
    check_bounds(text)
    try:
        envelope = json.loads(text)
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
