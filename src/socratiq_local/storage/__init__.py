"""Where a learner's progress lives: a key/value storage, one namespace per book.

`BookStore` and its reports are imported from `book` on first use: `book` brings the whole
progress tracker, which a page showing its first quiz does not need (browser/session.py).
`FileStorage` too, from `file`: only programs on a disk use it, never a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backend import Storage, StorageFull
from .memory import MemoryStorage

if TYPE_CHECKING:
    from .book import BookStore, Fold, ImportRejected, ImportReport, Loaded, SaveReport
    from .file import FileStorage

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
    """The names imported on first use (see the module's docstring)."""
    if name == "FileStorage":
        from .file import FileStorage

        return FileStorage
    if name not in _IN_BOOK:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import book

    return getattr(book, name)
