"""Which format a quiz file is in, read from its content when the page does not say.

A book may list native and MLSysBook files side by side (a dashboard's `data-quizzes`), so a
file's format is recognised by its shape: MLSysBook's chapter files hold a `sections` list
whose entries carry `section_id` / `quiz_data`; ours hold `questions`. The shapes are read by
socratiq_local.formats (shared with the command line), never by the importers, so that a page
showing only native quizzes never imports them.
"""

from __future__ import annotations

from typing import Literal

from ..formats import looks_like_mlsysbook

__all__ = ["FORMAT_NAMES", "QuizFormat", "detect_format", "looks_like_mlsysbook"]

QuizFormat = Literal["native", "mlsysbook"]
#: What a page may ask for: a format by name, or "auto" to have it detected.
FORMAT_NAMES = ("auto", "native", "mlsysbook")


def detect_format(text: str) -> QuizFormat:
    """The format of a quiz file's text; anything not MLSysBook's is read as ours, whose
    checks then say precisely what is wrong with it."""
    return "mlsysbook" if looks_like_mlsysbook(text) else "native"
