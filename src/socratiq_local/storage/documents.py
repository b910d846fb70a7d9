"""The documents stored under a book's keys, as validated models (the envelope is separate).

A log is one tab's events in append order; each event has a position (`start` + its index)
that never changes, so a snapshot can say exactly which events it has folded: for each writer,
every position below `covers[writer]`.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..progress.events import Event
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
    """`socratiq:<book>:snapshot:<slot>`: the fold of every event below `covers`."""

    generation: int = Field(ge=1, description="Counts compactions; the slot is generation % 2.")
    epoch: int = Field(ge=0, description="The wipe epoch it was written in (learner.py).")
    covers: dict[str, int] = Field(description="Per writer, the first position not folded.")
    folded: int = Field(ge=0, description="How many events the payload has folded.")
    made_at: int = Field(description="Seconds since 1970.")
    payload: JsonObject = Field(description="The fold's output; opaque to storage.")

    def covered(self, writer_id: str) -> int:
        return self.covers.get(writer_id, 0)


class ExportedSnapshot(_Document):
    """A snapshot leaving the device: its positions mean nothing elsewhere, so only the fold."""

    folded: int = Field(ge=0)
    payload: dict[str, Any]


class ExportedProgress(_Document):
    """The data of an export file: all progress of one book."""

    book: str
    exported_at: AwareDatetime
    snapshot: ExportedSnapshot | None
    events: list[Event]
