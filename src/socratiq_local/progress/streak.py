"""Streaks and streak freezes, derived from the sorted list of days on which the goal was met.

A streak is a run of local days on which the daily goal was met. Every 7th day of a streak
earns a freeze (at most 2 held). When the goal is met again after missed days, freezes are
spent automatically, one per missed day, if there are enough to cover the whole gap: the
streak then carries on (frozen days keep it alive but do not add to it). If there are not
enough, the streak starts again at 1 and the freezes are kept.

Because all of this is a fold over the goal days in calendar order, freeze spending needs no
event of its own: it comes out the same on every replay, whatever order the days arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

FREEZE_EVERY_DAYS = 7
MAX_FREEZES = 2


class Streak(BaseModel):
    """The streak as of its last goal day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    length: int = 0
    best: int = 0
    last_day: date | None = None
    freezes: int = 0
    freezes_used: int = 0
    freezes_earned: int = 0

    def extend(self, day: date) -> Streak:
        """The streak after the goal is met on `day`, a day later than `last_day`."""
        if self.last_day is not None and day <= self.last_day:
            raise ValueError("goal days must be added in calendar order")
        missed = 0 if self.last_day is None else (day - self.last_day).days - 1
        freezes, used = self.freezes, self.freezes_used
        if self.last_day is None or missed > freezes:
            length = 1
        else:
            length = self.length + 1
            freezes -= missed
            used += missed
        earned = self.freezes_earned
        if length % FREEZE_EVERY_DAYS == 0 and freezes < MAX_FREEZES:
            freezes += 1
            earned += 1
        return Streak(
            length=length,
            best=max(self.best, length),
            last_day=day,
            freezes=freezes,
            freezes_used=used,
            freezes_earned=earned,
        )

    def missed_before(self, today: date) -> int:
        """Days missed between the last goal day and `today` (today itself is still open)."""
        if self.last_day is None:
            return 0
        return max(0, (today - self.last_day).days - 1)

    def current(self, today: date) -> int:
        """The streak as shown on `today`: alive while the held freezes can cover the gap."""
        return self.length if self.missed_before(today) <= self.freezes else 0


def streak_over(goal_days: Iterable[date]) -> Streak:
    """The streak after the given goal days, in calendar order."""
    streak = Streak()
    for day in goal_days:
        streak = streak.extend(day)
    return streak
