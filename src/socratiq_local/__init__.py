"""socratiq_local: inline quizzes and a private progress tracker for a book, on Pyodide.

The Python API, all importable from here: load and check a quiz file (`load_quiz`,
`check_quiz_text`), pick and grade its questions (`questions_for`, `grade`), render a quiz to
HTML (`render_quiz`), and the progress reducer (`replay` events into a `ProgressState`, `apply`
one, `fold` a stored snapshot). The submodules `progress`, `render` and `storage` are public
too. The progress tracker is imported on first use of its names: a reader's page imports this
package to show its first quiz, which needs none of it (browser/session.py).
"""

from typing import TYPE_CHECKING, Any

from .quiz.checks import CheckedQuiz, Problem, QuizFileError, check_quiz_text, load_quiz
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
from .render.question import render_quiz

if TYPE_CHECKING:
    from .progress import ProgressState, apply, fold, replay

#: The one version number (pyproject reads it from here; the bundle's page script carries it).
__version__ = "0.1.0"

__all__ = [
    "CheckedQuiz",
    "Choice",
    "FillBlank",
    "GradeResult",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Problem",
    "ProgressState",
    "Quiz",
    "QuizFileError",
    "ShortAnswer",
    "SingleChoice",
    "TrueFalse",
    "__version__",
    "apply",
    "check_quiz_text",
    "fold",
    "grade",
    "load_quiz",
    "questions_for",
    "render_quiz",
    "replay",
]

_IN_PROGRESS = frozenset({"ProgressState", "apply", "fold", "replay"})


def __getattr__(name: str) -> Any:
    if name not in _IN_PROGRESS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import progress  # deferred: see the module's docstring

    return getattr(progress, name)
