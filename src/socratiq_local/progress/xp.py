"""How much XP an answer is worth.

A question is worth 10, 20 or 30 XP (easy, medium, hard), times the answer's score, plus half
as much again when the very first answer to it is right. To stop farming, a question pays out
in rounds: a round opens with the first answer of a local day on which the question is new or
due for review, and closes at the end of that day. Within a round an answer earns only what it
adds to the round's best score, so a question pays at most its value per round, and a question
that is not due (a mastered one, typically) pays nothing.

An answer given after the solution was shown pays nothing either, and is not recall: it moves
no mastery and no review card. The solution counts as shown from the answer whose feedback
showed it (`Answered.revealed`: a second miss in a row, a miss with only one option left, every
self-rated short answer, whose model answer comes before the rating) or from "Show answer"
(a `SolutionShown` event), until the end of that local day, the day the round closes. Both are
events, so a reload or another tab sees it; the runtime, not the log, counts the misses in a
row ("Try again" starts the count anew).
"""

from __future__ import annotations

from ..quiz.models import Difficulty

XP_BY_DIFFICULTY: dict[Difficulty, int] = {"easy": 10, "medium": 20, "hard": 30}

#: The first-try bonus, as a share of the question's value.
FIRST_TRY_BONUS = 0.5


def round_xp(difficulty: Difficulty, best_before: float, best_after: float) -> int:
    """XP for raising a round's best score; rounded so a whole round never exceeds the value."""
    value = XP_BY_DIFFICULTY[difficulty]
    return round(value * best_after) - round(value * best_before)


def first_try_bonus(difficulty: Difficulty) -> int:
    return round(XP_BY_DIFFICULTY[difficulty] * FIRST_TRY_BONUS)
