"""Where a learner's progress lives: a key/value storage, one namespace per book."""

from .backend import Storage, StorageFull
from .book import BookStore, Fold, ImportRejected, ImportReport, Loaded, SaveReport
from .file import FileStorage
from .memory import MemoryStorage

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
