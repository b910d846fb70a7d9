"""The learner's record for a book (`socratiq:<book>:learner`): the shuffle seed, and when the
book's progress was last wiped.

It lives apart from the progress (book.py) because a page shows its first quiz, in the reader's
own order, before it reads any answers: reading the seed needs none of the progress tracker.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from .backend import Storage, StorageFull
from .envelope import DamagedDocument, seal, unseal
from .keys import BookKeys
from .migrations import FutureVersion, JsonObject


def read_learner(
    storage: Storage, keys: BookKeys, new_seed: Callable[[], str]
) -> tuple[str, int | None]:
    """The learner's shuffle seed (made once if absent), and when the book was last wiped.

    The seed keeps a reload's order; the wipe time tells other open tabs that the reader
    deleted everything, so they drop what they hold instead of writing it back. Two tabs
    opened at the very first visit may each write a seed; the last stays, which only
    changes the order of choices in the other tab after its next reload.
    """
    text = storage.get(keys.learner())
    if text is not None:
        try:
            data = unseal("learner", text)
            seed, wiped = data.get("seed"), data.get("wiped_at")
            if isinstance(seed, str) and 8 <= len(seed) <= 64:
                return seed, wiped if type(wiped) is int else None
        except (DamagedDocument, FutureVersion):
            pass
    seed = new_seed()
    write_learner(storage, keys, seed)
    return seed, None


def write_learner(storage: Storage, keys: BookKeys, seed: str, wiped_at: int | None = None) -> None:
    """Store the seed, and the time of a wipe; if it cannot be kept, the order is still stable
    this visit."""
    data: JsonObject = {"seed": seed} if wiped_at is None else {"seed": seed, "wiped_at": wiped_at}
    with suppress(StorageFull):
        storage.set(keys.learner(), seal("learner", data))
