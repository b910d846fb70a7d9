"""The order in which a learner is shown choices, options and items to put in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..quiz.models import Quiz
from ..quiz.shuffle import seeded_order

T = TypeVar("T")


def choice_order(
    items: Sequence[T], *, quiz: Quiz, seed: str, question_id: str, key: Callable[[T], str]
) -> list[T]:
    """Seeded per learner and question when the quiz shuffles choices, else as written."""
    if not quiz.shuffle_choices:
        return list(items)
    return seeded_order(items, seed, question_id, key)


def scrambled_order(
    items: Sequence[T], *, seed: str, question_id: str, key: Callable[[T], str]
) -> list[T]:
    """A seeded order that is never the written (correct) one, so the answer is not given away.

    When the seeded order happens to be the written one, it is rotated by one place, which
    changes it whenever the keys differ.
    """
    order = seeded_order(items, seed, question_id, key)
    if [key(i) for i in order] == [key(i) for i in items]:
        return order[1:] + order[:1]
    return order
