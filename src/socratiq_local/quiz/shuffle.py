"""Deterministic shuffling, seeded per learner and question, so a reload shows the same order.

Order comes from sorting by a SHA-256 of (seed, scope, item id), not from `random`, whose
shuffling algorithms may change between Python versions: the same learner sees the same order
on CPython and Pyodide, today and after an upgrade.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

from .models import AnyQuestion, Quiz

T = TypeVar("T")


def seeded_order(items: Sequence[T], seed: str, scope: str, key: Callable[[T], str]) -> list[T]:
    """A permutation of `items` that depends only on the seed, the scope and the item keys."""

    def rank(item: T) -> bytes:
        return hashlib.sha256(f"{seed}\0{scope}\0{key(item)}".encode()).digest()

    return sorted(items, key=rank)


def questions_for(quiz: Quiz, seed: str, section: str | None = None) -> list[AnyQuestion]:
    """The questions one learner sees: the section's, a seeded subset, in seeded or file order."""
    questions: list[AnyQuestion] = [
        q for q in quiz.questions if section is None or quiz.section_of(q) == section
    ]
    if quiz.subset is not None and quiz.subset < len(questions):
        chosen = {
            q.id for q in seeded_order(questions, seed, quiz.id, lambda q: q.id)[: quiz.subset]
        }
        questions = [q for q in questions if q.id in chosen]
    if quiz.shuffle_questions:
        questions = seeded_order(questions, seed, quiz.id, lambda q: q.id)
    return questions
