"""The quiz document format, version 1: one pydantic model per question type.

A quiz file is untrusted input (an author's typo, an importer's output, a hostile page), so
every model forbids unknown fields, rejects NaN and infinities, and bounds its strings.
Ids that an author leaves out are derived from content, so reordering a file keeps each
learner's progress attached to the same question.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

#: A blank in fill-in-the-blank text: four or more underscores, as MLSysBook writes it.
BLANK_PATTERN = re.compile(r"_{4,}")

Id = Annotated[
    str,
    Field(
        pattern=r"^([A-Za-z0-9][A-Za-z0-9_.:-]{0,99})?$",
        description="Stable id; derived from the content when left out.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=20_000, description="Markdown.")]
ShortText = Annotated[str, Field(min_length=1, max_length=2_000)]
Difficulty = Literal["easy", "medium", "hard"]
Rating = Literal["again", "hard", "good", "easy"]


def content_id(prefix: str, *parts: str) -> str:
    """A short id that depends only on the given content (normalised for spacing and Unicode)."""
    canonical = "\0".join(" ".join(unicodedata.normalize("NFC", p).split()) for p in parts)
    return prefix + hashlib.sha256(canonical.encode()).hexdigest()[:10]


class Model(BaseModel):
    # defer_build: a part or question type builds its own validator only when validated on its
    # own (importers, a rejected quiz); a quiz file is validated by Quiz's, built at import.
    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, str_strip_whitespace=True, defer_build=True
    )


class Choice(Model):
    """One option of a choice question."""

    id: Id = ""
    text: Text
    correct: bool = False
    feedback: Text | None = Field(None, description="Shown when the learner picks this choice.")

    @model_validator(mode="after")
    def _derive_id(self) -> Choice:
        if not self.id:
            self.id = content_id("c-", self.text)
        return self


class OrderItem(Model):
    """One item of an ordering question; the list order is the correct order."""

    id: Id = ""
    text: Text

    @model_validator(mode="after")
    def _derive_id(self) -> OrderItem:
        if not self.id:
            self.id = content_id("i-", self.text)
        return self


class MatchPair(Model):
    """A left prompt and the right answer it belongs with."""

    id: Id = ""
    left: Text
    right: Text
    feedback: Text | None = None

    @model_validator(mode="after")
    def _derive_id(self) -> MatchPair:
        if not self.id:
            self.id = content_id("p-", self.left, self.right)
        return self


class Distractor(Model):
    """A right-hand option of a matching question that belongs to no left prompt."""

    id: Id = ""
    text: Text

    @model_validator(mode="after")
    def _derive_id(self) -> Distractor:
        if not self.id:
            self.id = content_id("x-", self.text)
        return self


class Blank(Model):
    """The accepted answers of one blank, compared after normalisation."""

    accepted: list[ShortText] = Field(min_length=1, max_length=100)
    case_sensitive: bool = False
    tolerance: float | None = Field(
        None, ge=0, description="Accept numbers within this absolute distance of a numeric answer."
    )


class QuestionBase(Model):
    id: Id = ""
    text: Text = Field(description="The question, in Markdown with $math$.")
    hint: Text | None = None
    explanation: Text | None = Field(None, description="Shown after the learner answers.")
    tags: list[ShortText] = Field(default_factory=list, max_length=50)
    objective: ShortText | None = Field(None, description="The learning objective it checks.")
    difficulty: Difficulty | None = Field(
        None, description="Author metadata; XP counts a question without one as medium."
    )
    section: Id | None = Field(None, description="Section id, overriding the quiz's own.")

    @property
    def worth(self) -> Difficulty:
        """The difficulty XP is weighed by: the author's, or medium."""
        return self.difficulty or "medium"

    def content_key(self) -> tuple[str, ...]:
        """What the derived id depends on."""
        return (self.text,)

    @model_validator(mode="after")
    def _derive_id(self) -> QuestionBase:
        if not self.id:
            self.id = content_id("q-", getattr(self, "type", ""), *self.content_key())
        return self


class SingleChoice(QuestionBase):
    type: Literal["single_choice"] = "single_choice"
    choices: list[Choice] = Field(min_length=2, max_length=26)


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"] = "multiple_choice"
    choices: list[Choice] = Field(min_length=2, max_length=26)


class TrueFalse(QuestionBase):
    type: Literal["true_false"] = "true_false"
    answer: bool
    feedback_true: Text | None = Field(None, description="Shown when the learner says true.")
    feedback_false: Text | None = Field(None, description="Shown when the learner says false.")


class FillBlank(QuestionBase):
    type: Literal["fill_blank"] = "fill_blank"
    blanks: list[Blank] = Field(min_length=1, max_length=50)

    @property
    def blank_count_in_text(self) -> int:
        return len(BLANK_PATTERN.findall(self.text))


class ShortAnswer(QuestionBase):
    type: Literal["short_answer"] = "short_answer"
    model_answer: Text = Field(description="Shown for the learner to compare with and self-rate.")
    key_points: list[ShortText] = Field(default_factory=list, max_length=20)


class Ordering(QuestionBase):
    type: Literal["ordering"] = "ordering"
    items: list[OrderItem] = Field(min_length=2, max_length=30)

    @field_validator("items", mode="before")
    @classmethod
    def _accept_plain_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value


class Matching(QuestionBase):
    type: Literal["matching"] = "matching"
    pairs: list[MatchPair] = Field(min_length=2, max_length=30)
    distractors: list[Distractor] = Field(default_factory=list, max_length=30)

    @field_validator("distractors", mode="before")
    @classmethod
    def _accept_plain_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value

    def right_options(self) -> list[tuple[str, str]]:
        """Every right-hand option as (id, text): each pair's right side, then distractors."""
        return [(p.id, p.right) for p in self.pairs] + [(d.id, d.text) for d in self.distractors]


class Numeric(QuestionBase):
    """A number, right within an absolute or relative tolerance of `value`, or in [min, max]."""

    type: Literal["numeric"] = "numeric"
    value: float | None = None
    tolerance: float = Field(0.0, ge=0)
    relative_tolerance: float = Field(0.0, ge=0, description="As a fraction: 0.05 is 5%.")
    min: float | None = None
    max: float | None = None
    unit: ShortText | None = None

    @model_validator(mode="after")
    def _value_or_range(self) -> Numeric:
        has_range = self.min is not None or self.max is not None
        if (self.value is None) == (not has_range):
            raise ValueError("give either value (with an optional tolerance) or min and max")
        if has_range and (self.min is None or self.max is None):
            raise ValueError("a range needs both min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


#: The question types: the one list of them. The schema, the checks' messages, grading, the
#: form readers, kept answers and rendering are derived from it or checked against it
#: (mypy checks the renderer's `match`; tests/unit/test_question_types.py the tables).
AnyQuestion = (
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | FillBlank
    | ShortAnswer
    | Ordering
    | Matching
    | Numeric
)

#: Each type's model by its `type` name, in the order above.
QUESTION_MODELS: dict[str, type[QuestionBase]] = {
    model.model_fields["type"].default: model for model in get_args(AnyQuestion)
}
QUESTION_TYPES: tuple[str, ...] = tuple(QUESTION_MODELS)

Question = Annotated[AnyQuestion, Field(discriminator="type")]


class Quiz(Model):
    """A quiz: questions an author places in a book, optionally at a chapter and section."""

    model_config = ConfigDict(title="socratiq_local quiz", populate_by_name=True, defer_build=False)

    json_schema_ref: str | None = Field(None, alias="$schema", description="For editors.")
    version: Literal[1] = Field(1, description="Quiz format version.")
    id: Id = Field(min_length=1)
    title: ShortText
    description: Text | None = None
    chapter: Id | None = None
    section: Id | None = None
    section_titles: dict[Id, ShortText] = Field(
        default_factory=dict,
        max_length=1_000,
        description="Section headings by section id, so progress names sections as the book does.",
    )
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    subset: int | None = Field(
        None, ge=1, description="Show this many questions, chosen per learner."
    )
    questions: list[Question] = Field(min_length=1, max_length=5_000)

    def section_of(self, question: AnyQuestion) -> str | None:
        return question.section or self.section
