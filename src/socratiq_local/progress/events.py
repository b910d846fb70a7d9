"""The append-only event log: the only thing about a learner that is ever stored.

Everything shown (XP, level, streak, badges, mastery, review schedule) is derived from these
events by pure functions. Each event records when it happened in UTC *and* the learner's local
date and UTC offset at that moment, so streaks stay right across midnight, daylight-saving
changes and travel, without a time-zone database at derive time.

Streak freezes are not events: which missed days they cover is derived from the days on which
the daily goal was met (see `streak.py`), so spending is the same on every replay and every
replica, and two tabs can never both spend the same freeze.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    field_validator,
)

from ..quiz.models import Difficulty, Rating

#: Returns the current time as an aware datetime; injected so tests can set the date.
Clock = Callable[[], datetime]

EventId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
RefId = Annotated[str, Field(min_length=1, max_length=200)]


def system_clock() -> datetime:
    return datetime.now(UTC)


class EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: EventId
    at: AwareDatetime = Field(description="When it happened, in UTC.")
    local_date: date = Field(description="The learner's calendar date at that moment.")
    utc_offset_minutes: int = Field(ge=-16 * 60, le=16 * 60)

    @field_validator("at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class Answered(EventBase):
    """A graded answer to a quiz question (a review session's answers have `review=True`)."""

    kind: Literal["answered"] = "answered"
    quiz_id: RefId
    question_id: RefId
    chapter: RefId | None = None
    section: RefId | None = None
    difficulty: Difficulty = "medium"
    correct: bool
    score: float = Field(ge=0, le=1)
    rating: Rating
    self_rated: bool = Field(False, description="A short answer the learner rated themselves.")
    review: bool = False
    answer: JsonValue = Field(None, description="The answer as `quiz.kept` keeps it, if kept.")
    revealed: bool = Field(
        False, description="Its feedback showed the solution (see `xp.py` for what that stops)."
    )


class SolutionShown(EventBase):
    """The learner asked to see a question's solution (the "Show answer" button)."""

    kind: Literal["solution_shown"] = "solution_shown"
    quiz_id: RefId
    question_id: RefId


class SettingsChanged(EventBase):
    """The learner changed a setting; fields left at None keep their value."""

    kind: Literal["settings_changed"] = "settings_changed"
    daily_goal_xp: int | None = Field(None, ge=1, le=10_000)


class ProgressImported(EventBase):
    """A marker that another copy's events were merged in; it changes no derived figure."""

    kind: Literal["progress_imported"] = "progress_imported"
    source: str = Field("", max_length=200)
    events_added: int = Field(0, ge=0)


Event = Annotated[
    Answered | SolutionShown | SettingsChanged | ProgressImported,
    Discriminator("kind"),
]
AnyEvent = Answered | SolutionShown | SettingsChanged | ProgressImported


def new_event_fields(clock: Clock, tz: tzinfo) -> dict[str, Any]:
    """The id and the three time fields of an event happening now, in the learner's zone."""
    now = clock().astimezone(UTC)
    local = now.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    return {
        "id": uuid.uuid4().hex,
        "at": now,
        "local_date": local.date(),
        "utc_offset_minutes": int(offset.total_seconds() // 60),
    }


#: How much of an event's id, with its time, tells it from every other event: what a merged
#: history keeps of an id (storage.codec), so the key stays the same after a round trip.
KEY_ID_CHARS = 8


def sort_key(event: AnyEvent) -> tuple[datetime, str]:
    """Log order and identity: by time, then by the id's first characters, so every replica
    replays in the same order and an event counts once however many copies of it merge (two
    events of one microsecond sharing their id's first 8 characters are only ever copies)."""
    return (event.at, event.id[:KEY_ID_CHARS])
