"""Which format a quiz file is in, read from its content when the page does not say.

A book may list native and MLSysBook files side by side (a dashboard's `data-quizzes`), so a
file's format is recognised by its shape: MLSysBook's chapter files hold a `sections` list
whose entries carry `section_id` / `quiz_data`; ours hold `questions`. Kept apart from the
importers so that a page showing only native quizzes never imports them.
"""

from __future__ import annotations

import json
from typing import Literal

QuizFormat = Literal["native", "mlsysbook"]
#: What a page may ask for: a format by name, or "auto" to have it detected.
FORMAT_NAMES = ("auto", "native", "mlsysbook")


def looks_like_mlsysbook(text: str) -> bool:
    """Whether `text` is shaped like an MLSysBook chapter quiz file (not whether it is valid)."""
    if '"sections"' not in text:  # most native files are told apart without parsing them
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(data, dict) or "questions" in data:
        return False
    sections = data.get("sections")
    return isinstance(sections, list) and any(
        isinstance(section, dict) and ("quiz_data" in section or "section_id" in section)
        for section in sections
    )


def detect_format(text: str) -> QuizFormat:
    """The format of a quiz file's text; anything not MLSysBook's is read as ours, whose
    checks then say precisely what is wrong with it."""
    return "mlsysbook" if looks_like_mlsysbook(text) else "native"
