"""The learner's record for a book (`socratiq:<book>:learner`): the shuffle seed, and the wipe
epoch (when the book's progress was last wiped).

It lives apart from the progress (book.py) because a page shows its first quiz, in the reader's
own order, before it reads any answers: reading the seed needs none of the progress tracker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .backend import Storage, StorageFull
from .envelope import DamagedDocument, seal, unseal
from .keys import BookKeys
from .migrations import FutureVersion, JsonObject
from .quarantine import set_aside


@dataclass(frozen=True)
class Learner:
    """`epoch`: the time of the last wipe in milliseconds (0: never wiped since v3). Every log
    and snapshot carries the epoch it was written in; one older than the learner's is
    deleted progress, read by no one (book.py)."""

    seed: str
    epoch: int = 0
    warning: str | None = None


def _sound(text: str) -> Learner:
    data = unseal("learner", text)
    seed, epoch = data.get("seed"), data.get("epoch", 0)
    if not isinstance(seed, str) or not 8 <= len(seed) <= 64:
        raise DamagedDocument("a learner record without a seed")
    if type(epoch) is not int or epoch < 0:
        raise DamagedDocument("a learner record with a bad epoch")
    return Learner(seed, epoch)


def read_epoch(storage: Storage, keys: BookKeys) -> int:
    """The wipe epoch stored now; 0 if the record is missing or unreadable (nothing is then
    taken for deleted)."""
    text = storage.get(keys.learner())
    if text is None:
        return 0
    try:
        return _sound(text).epoch
    except (DamagedDocument, FutureVersion):
        return 0


def read_learner(
    storage: Storage,
    keys: BookKeys,
    new_seed: Callable[[], str],
    mover_id: str = "page",
    now: datetime | None = None,
) -> Learner:
    """The learner's record; a new one (a new seed) written if there is none.

    A damaged record, or one of a newer release, is moved aside first (never overwritten in
    place), and `warning` says so. Two tabs opened at the very first visit may each write a
    seed; the last stays, which only changes the order of choices in the other tab after its
    next reload.
    """
    text = storage.get(keys.learner())
    warning = None
    if text is not None:
        try:
            return _sound(text)
        except (DamagedDocument, FutureVersion) as error:
            warning = set_aside(
                storage,
                keys,
                mover_id,
                now or datetime.now().astimezone(),
                keys.learner(),
                str(error),
            )
            if storage.get(keys.learner()) is not None:  # no room to move it aside: keep it
                return Learner(new_seed(), 0, warning)
    learner = Learner(new_seed(), 0, warning)
    write_learner(storage, keys, learner.seed)
    return learner


def write_learner(
    storage: Storage, keys: BookKeys, seed: str, epoch: int = 0, *, strict: bool = False
) -> None:
    """Store the seed and the wipe epoch; if it cannot be kept, the order is still stable this
    visit (`strict`: raise StorageFull instead)."""
    data: JsonObject = {"seed": seed} if not epoch else {"seed": seed, "epoch": epoch}
    try:
        storage.set(keys.learner(), seal("learner", data))
    except StorageFull:
        if strict:
            raise
