"""socratiq_local: inline quizzes and a private progress tracker for a book, on Pyodide."""

from .quiz.grading import GradeResult, grade
from .quiz.models import (
    Choice,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from .quiz.shuffle import questions_for

__all__ = [
    "Choice",
    "FillBlank",
    "GradeResult",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Quiz",
    "ShortAnswer",
    "SingleChoice",
    "TrueFalse",
    "grade",
    "questions_for",
]
