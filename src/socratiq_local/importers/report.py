"""What an import brought in, and each question it could not bring in exactly."""

from __future__ import annotations

import json
from collections import Counter

from pydantic import BaseModel, Field

from ..quiz.models import Quiz


class Inexact(BaseModel):
    """A question imported differently from its source (or skipped), and why."""

    location: str = Field(description="Where in the source, e.g. sections[2].questions[1].")
    reason: str
    action: str = Field(description='What was done instead, e.g. "imported as short answer".')
    skipped: bool = Field(default=False, description="True when the question was left out.")
    original: str = Field(default="", description="The source text of the question, shortened.")


class ImportReport(BaseModel):
    source: str
    quizzes: list[Quiz]
    inexact: list[Inexact] = Field(default_factory=list)

    def type_counts(self) -> dict[str, int]:
        counts = Counter(q.type for quiz in self.quizzes for q in quiz.questions)
        return dict(sorted(counts.items()))

    def summary_lines(self) -> list[str]:
        total = sum(self.type_counts().values())
        by_type = ", ".join(f"{n} {kind}" for kind, n in self.type_counts().items())
        lines = [f"{self.source}: {total} questions in {len(self.quizzes)} quiz(zes) ({by_type})"]
        lines += [f"{self.source}: {i.location}: {i.reason}; {i.action}" for i in self.inexact]
        return lines


class ImportFailed(ValueError):
    """The input is not in the format it claims to be; nothing was written."""

    def __init__(self, source: str, location: str, message: str) -> None:
        super().__init__(f"{source}: {location}: {message}" if location else f"{source}: {message}")
        self.source = source
        self.location = location
        self.message = message


def parse_json(text: str, source: str) -> object:
    """The JSON value of an input file, or ImportFailed saying where it is broken."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            source, f"line {error.lineno}, column {error.colno}", error.msg
        ) from None
    except ValueError as error:  # an integer too long to convert, for one
        raise ImportFailed(source, "", f"invalid JSON: {error}") from None
    except RecursionError:
        raise ImportFailed(source, "", "the JSON is nested too deeply") from None
