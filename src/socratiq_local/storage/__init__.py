"""Where a learner's progress lives: a key/value storage, one namespace per book.

`BookStore` and its reports are imported from `book` on first use: `book` brings the whole
progress tracker, which a page showing its first quiz does not need (browser/session.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backend import Storage, StorageFull
from .file import FileStorage
from .memory import MemoryStorage

if TYPE_CHECKING:
    from .book import BookStore, Fold, ImportRejected, ImportReport, Loaded, SaveReport

__all__ = [
    "BookStore",
    "FileStorage",
    "Fold",
    "ImportRejected",
    "ImportReport",
    "Loaded",
    "MemoryStorage",
    "SaveReport",
    "Storage",
    "StorageFull",
]

_IN_BOOK = frozenset(
    {"BookStore", "Fold", "ImportRejected", "ImportReport", "Loaded", "SaveReport"}
)


def __getattr__(name: str) -> Any:
    if name not in _IN_BOOK:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import book  # deferred: see the module's docstring

    return getattr(book, name)
