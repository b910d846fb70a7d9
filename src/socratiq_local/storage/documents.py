"""The documents stored under a book's keys, as validated models (the envelope is separate).

A log is one tab's events in append order; each event has a position (`start` + its index)
that never changes, so a snapshot can say exactly which events it has folded: for each writer,
every position below `covers[writer]`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..progress.events import Event
from .codec import unpack_json
from .keys import check_writer_id
from .migrations import JsonObject


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class StoredLog(_Document):
    """`socratiq:<book>:log:<writer>:<n>`: one chunk of the events a writer has appended (or,
    from schema v2, `log:<writer>`: all of them not yet trimmed)."""

    writer: str
    epoch: int = Field(ge=0, description="The wipe epoch it was written in (learner.py).")
    start: int = Field(ge=0, description="Position of the first event in `events`.")
    written_at: int = Field(description="Seconds since 1970 of the last write, to spot dead tabs.")
    events: JsonObject = Field(description="The compact encoding of `codec`.")

    def check_writer(self, writer_id: str) -> None:
        check_writer_id(self.writer)
        if self.writer != writer_id:
            raise ValueError(f"log of writer {self.writer!r} stored under {writer_id!r}")


class StoredSnapshot(_Document):
    """`socratiq:<book>:snapshot:<slot>`: every event below `covers` and in `inboxes`, folded.

    It keeps the events themselves (`history`), so another device's can be merged in by union;
    `payload` is always their fold in log order (onto `base`), so it is the same on every
    device that holds the same events.
    """

    generation: int = Field(ge=1, description="Counts compactions; the slot is generation % 2.")
    epoch: int = Field(ge=0, description="The wipe epoch it was written in (learner.py).")
    covers: dict[str, int] = Field(description="Per writer, the first position not folded.")
    inboxes: list[str] = Field([], description="The imported files (inbox keys) folded in.")
    folded: int = Field(ge=0, description="How many events the payload has folded.")
    made_at: int = Field(description="Seconds since 1970.")
    base: str | None = Field(
        None,
        description="A fold of events no longer known (a schema v2 snapshot), `codec.pack_json`.",
    )
    legacy: int = Field(0, ge=0, description="How many of `folded` only `base` holds.")
    history: list[str] = Field(
        [],
        description="Every event folded, as `codec.pack_history` chunks (one per compaction "
        "until they are joined).",
    )
    last: tuple[int, str] | None = Field(
        None, description="The `sort_key` of the history's last event, as microseconds and id."
    )
    payload: str = Field(description="The fold's output (opaque to storage), `codec.pack_json`.")

    def covered(self, writer_id: str) -> int:
        return self.covers.get(writer_id, 0)

    def progress(self) -> JsonObject:
        """The fold's output: everything folded (raises ValueError if it is not an object)."""
        return _unpacked_object(self.payload)

    def base_progress(self) -> JsonObject | None:
        """The fold of the events only a schema v2 snapshot knew, if any."""
        return None if self.base is None else _unpacked_object(self.base)


@lru_cache(maxsize=4)
def _unpacked_object(text: str) -> JsonObject:
    """A packed fold, read once per text: every scan of the book checks the stored ones, and
    the tab then reads the newest (never changed in place: folds only copy what they read)."""
    value = unpack_json(text)
    if not isinstance(value, dict):
        raise ValueError("a snapshot's fold must be an object")
    return value


class StoredInbox(_Document):
    """`socratiq:<book>:inbox:<writer>:<stamp>`: an imported file's new events, written once by
    the importing tab and folded (then removed) by the compactor, so any tab can import."""

    epoch: int = Field(ge=0, description="The wipe epoch it was written in (learner.py).")
    history: str = Field(description="`codec.pack_history` of the events.")


class ExportedProgress(_Document):
    """The data of an export file: all progress of one book, every event it is made of.

    `legacy_folded` counts answers a schema v2 device folded into a summary: they cannot be
    merged, so they stay on that device (and an import says so).
    """

    book: str
    exported_at: AwareDatetime
    legacy_folded: int = Field(0, ge=0)
    history: str = Field("", description="The events, `codec.pack_history`.")
    events: list[Event] = Field([], description="More events, readable (schema v2 files).")
