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


#: The action of a question its source itself keeps from readers (hidden, not needed).
LEFT_OUT = "left out, as the source asks"
#: How much of a question's source text a report keeps.
ORIGINAL_LIMIT = 500


def shortened(text: str, limit: int = ORIGINAL_LIMIT) -> str:
    """A question's source text for a report: whole if short, else its start and an ellipsis."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def skipped_question(location: str, reason: str, original: str) -> Inexact:
    """The report's entry for a question left out because it could not be read."""
    return Inexact(
        location=location,
        reason=reason,
        action="skipped",
        skipped=True,
        original=shortened(original),
    )


class ImportReport(BaseModel):
    source: str
    quizzes: list[Quiz]
    inexact: list[Inexact] = Field(default_factory=list)

    @property
    def skipped(self) -> list[Inexact]:
        """The questions left out."""
        return [i for i in self.inexact if i.skipped]

    def type_counts(self) -> dict[str, int]:
        counts = Counter(q.type for quiz in self.quizzes for q in quiz.questions)
        return dict(sorted(counts.items()))

    def summary_lines(self) -> list[str]:
        total = sum(self.type_counts().values())
        by_type = ", ".join(f"{n} {kind}" for kind, n in self.type_counts().items())
        lines = [
            f"{self.source}: {total} questions in {len(self.quizzes)} quiz(zes) ({by_type})"
            if total
            else f"{self.source}: no questions"
        ]
        for item in self.inexact:
            where = f"{item.location}: " if item.location else ""
            lines.append(f"{self.source}: {where}{item.reason}; {item.action}")
            if item.skipped and item.original:
                lines.append(f"    was: {_one_line(item.original)}")
        return lines


def _one_line(text: str, limit: int = 160) -> str:
    """Source text on one line of a terminal, its whitespace runs shown as one space."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise ImportFailed(
            source, f"line {error.lineno}, column {error.colno}", error.msg
        ) from None
    except ValueError as error:  # an integer too long to convert, for one
        raise ImportFailed(source, "", f"invalid JSON: {error}") from None
    except RecursionError:
        raise ImportFailed(source, "", "the JSON is nested too deeply") from None
