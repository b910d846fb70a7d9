"""The progress tracker: events in, everything the learner sees derived from them."""

from .book import BookIndex, question_key
from .dashboard import Dashboard, dashboard
from .events import (
    Answered,
    AnyEvent,
    Event,
    ProgressImported,
    SettingsChanged,
    SolutionShown,
    sort_key,
)
from .record import Notice, notices, record_answer, record_daily_goal, record_solution_shown
from .review import review_queue
from .state import RULES_VERSION, ProgressState, apply, fold, replay, with_sizes

__all__ = [
    "RULES_VERSION",
    "Answered",
    "AnyEvent",
    "BookIndex",
    "Dashboard",
    "Event",
    "Notice",
    "ProgressImported",
    "ProgressState",
    "SettingsChanged",
    "SolutionShown",
    "apply",
    "dashboard",
    "fold",
    "notices",
    "question_key",
    "record_answer",
    "record_daily_goal",
    "record_solution_shown",
    "replay",
    "review_queue",
    "sort_key",
    "with_sizes",
]
