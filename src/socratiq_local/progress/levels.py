"""The published level curve: level L starts at 50 * L * (L - 1) XP.

So level 2 needs 100 XP, and each level after needs 100 XP more than the one before:
0, 100, 300, 600, 1000, 1500, ... (level 10 at 4,500 XP, level 20 at 19,000).
"""

from __future__ import annotations

from math import isqrt

from pydantic import BaseModel, ConfigDict

XP_STEP = 50


def xp_for_level(level: int) -> int:
    """The total XP at which `level` starts (level 1 starts at 0)."""
    if level < 1:
        raise ValueError("levels start at 1")
    return XP_STEP * level * (level - 1)


def level_for(xp: int) -> int:
    """The level reached with `xp` total XP: the largest L with xp_for_level(L) <= xp."""
    # L * (L - 1) <= xp // 50, solved in integers so it is exact for any XP.
    return (1 + isqrt(1 + 4 * (max(0, xp) // XP_STEP))) // 2


class LevelProgress(BaseModel):
    """Where the learner stands on the curve, ready for a progress bar."""

    model_config = ConfigDict(frozen=True)

    level: int
    xp: int
    level_starts_at: int
    next_level_at: int
    xp_to_next_level: int


def level_progress(xp: int) -> LevelProgress:
    level = level_for(xp)
    next_at = xp_for_level(level + 1)
    return LevelProgress(
        level=level,
        xp=xp,
        level_starts_at=xp_for_level(level),
        next_level_at=next_at,
        xp_to_next_level=next_at - xp,
    )
