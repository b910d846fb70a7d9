"""The layout of one book's keys: everything under `socratiq:<book id>:`, so books never mix.

    socratiq:<book>:snapshot:0|1       two snapshot slots, written only by the elected writer
    socratiq:<book>:log:<writer>:<n>   one tab's events at positions n*CHUNK_EVENTS and on, up to
                                       CHUNK_EVENTS of them, written only by that tab (an answer
                                       rewrites one small chunk, never the whole log)
    socratiq:<book>:log:<writer>       schema v2's whole log of a tab, read until it is folded
    socratiq:<book>:inbox:<writer>:<n> an imported file's events, written once by the importing
                                       tab, folded and removed by the elected writer
    socratiq:<book>:quarantine:<...>   values moved aside, kept for a human to look at
    socratiq:<book>:learner            the learner's shuffle seed, written once when absent

No key is written by two tabs at once: localStorage is not coherent across tabs (NOTES.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PREFIX = "socratiq"
SNAPSHOT_SLOTS = (0, 1)
#: Events per log chunk: what one answer rewrites (about 1 KB), and what a chunk costs in keys.
CHUNK_EVENTS = 16

_BOOK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_WRITER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CHUNK = re.compile(r"^(0|[1-9][0-9]{0,8})$")

_INBOX = re.compile(r"^[A-Za-z0-9_-]{1,64}:[0-9]{1,20}$")

KeyKind = Literal["snapshot", "log", "inbox", "quarantine", "learner", "foreign"]


@dataclass(frozen=True)
class ParsedKey:
    """What a key under a book's namespace is for; `name` is the slot or the writer id, `chunk`
    a log chunk's number (None for a v2 whole log)."""

    kind: KeyKind
    name: str
    chunk: int | None = None


def check_book_id(book_id: str) -> str:
    if not _BOOK_ID.match(book_id):
        raise ValueError(f"book id {book_id!r}: use letters, digits, '.', '_', '-' (max 100)")
    return book_id


def check_writer_id(writer_id: str) -> str:
    if not _WRITER_ID.match(writer_id):
        raise ValueError(f"writer id {writer_id!r}: use letters, digits, '_', '-' (max 64)")
    return writer_id


@dataclass(frozen=True)
class BookKeys:
    """The key names of one book."""

    book_id: str

    def __post_init__(self) -> None:
        check_book_id(self.book_id)

    @property
    def namespace(self) -> str:
        return f"{PREFIX}:{self.book_id}:"

    def snapshot(self, slot: int) -> str:
        return f"{self.namespace}snapshot:{slot}"

    def log(self, writer_id: str, chunk: int | None = None) -> str:
        """A chunk of a writer's log; without `chunk`, schema v2's whole log."""
        whole = f"{self.namespace}log:{check_writer_id(writer_id)}"
        return whole if chunk is None else f"{whole}:{chunk}"

    def inbox(self, name: str) -> str:
        if not _INBOX.match(name):
            raise ValueError(f"inbox name {name!r}: use <writer id>:<number>")
        return f"{self.namespace}inbox:{name}"

    def quarantine(self, mover_id: str, stamp: str, key: str) -> str:
        """Where `mover_id` puts a bad value; the mover's id keeps the key its own."""
        return f"{self.namespace}quarantine:{mover_id}:{stamp}:{key.removeprefix(self.namespace)}"

    def learner(self) -> str:
        return f"{self.namespace}learner"

    def owns(self, key: str) -> bool:
        return key.startswith(self.namespace)

    def parse(self, key: str) -> ParsedKey:
        """Classify a key of this book; anything not in the layout is `foreign`."""
        rest = key.removeprefix(self.namespace)
        kind, _, name = rest.partition(":")
        if kind == "snapshot" and name in {str(slot) for slot in SNAPSHOT_SLOTS}:
            return ParsedKey("snapshot", name)
        writer, _, chunk = name.partition(":")
        if kind == "log" and _WRITER_ID.match(writer):
            if ":" not in name:
                return ParsedKey("log", writer)
            if _CHUNK.match(chunk):
                return ParsedKey("log", writer, int(chunk))
        if kind == "inbox" and _INBOX.match(name):
            return ParsedKey("inbox", name)
        if kind == "quarantine" and name:
            return ParsedKey("quarantine", name)
        if rest == "learner":
            return ParsedKey("learner", "")
        return ParsedKey("foreign", rest)
