"""A heavy year of one reader's progress, as the localStorage keys the page would hold.

    .venv/bin/python bench/history.py [--events 50000] [--questions 1700] [-o out.json]

Made with the engine itself: the events of bench/progress_replay.py (a year of about an hour a
day, new questions first, then reviews), over a book of `questions` questions whose first ones
are the demo chapter's real quiz questions (so the page's own quiz has history too), written
through BookStore + MemoryStorage + the session's fold exactly as a tab does: one append per
study day, a compaction (as the elected tab does every minute) at the end of each week and of
the days before the last, and the last day's answers left in the tab's log. (What is stored
hardly depends on how often it was compacted: a compaction each day gives the same keys, the
same sizes within 0.5 %, four times slower: 100 s of the bench's time on a fresh clone.) Each
answer carries the last answer progress keeps (`quiz.kept`): the real questions' own, and for
the made-up ones answers shaped as MLSysBook's mix of question types makes them (a short
answer's text as long as a learner writes, 150 characters, cut where `quiz.kept` cuts it).
Output: {key: value} for book `mlsys-demo`, writer `w0` (the id the first tab claims).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from progress_replay import events_for

from socratiq_local.progress import fold
from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.progress.events import Answered
from socratiq_local.quiz.checks import load_quiz
from socratiq_local.quiz.kept import MAX_TEXT, keep
from socratiq_local.quiz.models import AnyQuestion
from socratiq_local.storage.book import BookStore
from socratiq_local.storage.memory import MemoryStorage

ROOT = Path(__file__).resolve().parents[1]
BOOK = "mlsys-demo"
WRITER = "w0"


def book_of(questions: int, quiz_files: Sequence[Path]) -> BookIndex:
    """The demo book's real questions first, then made-up chapters up to `questions`."""
    real = BookIndex.from_quizzes(load_quiz(p.read_text(), p.name) for p in quiz_files)
    places = dict(list(real.questions.items())[:questions])
    n = 0
    while len(places) < questions:
        quiz = f"quiz-{n // 8}"
        places[question_key(quiz, f"q-{n}")] = Place(
            quiz_id=quiz,
            question_id=f"q-{n}",
            chapter=f"ch-{n // 85}",
            section=f"sec-{n // 8}",
            difficulty=("easy", "medium", "hard")[n % 3],
        )
        n += 1
    return BookIndex(questions=places)


#: MLSysBook's two sample chapters: 27 short answers, 25 single choice, 10 true/false, 4 fill
#: in the blank, 3 ordering, out of 69; a kept answer of each, as `quiz.kept` stores it.
TYPE_MIX: list[tuple[int, object]] = [
    (
        27,
        [
            2,
            ("The model is retrained on fresh data because the inputs drift over time. " * 3)[
                : MAX_TEXT["short_answer"]
            ],
        ],
    ),
    (25, 2),
    (10, True),
    (4, ["feature store"]),
    (3, [2, 0, 1, 3]),
]


def kept_answer(n: int, real: dict[str, AnyQuestion], event: Answered) -> object:
    """The answer `quiz.kept` keeps for event `n`: a real question's own, else by the mix."""
    question = real.get(question_key(event.quiz_id, event.question_id))
    if question is not None:
        return keep(question, right_answer(question) if event.correct else None)
    slot = hash_of(event.question_id) % sum(weight for weight, _ in TYPE_MIX)
    for weight, kept in TYPE_MIX:
        if slot < weight:
            return kept
        slot -= weight
    raise AssertionError("unreachable")


def hash_of(text: str) -> int:
    return int.from_bytes(text.encode()[-4:], "big") * 2654435761 % 2**32


def right_answer(question: AnyQuestion) -> object:
    match question.type:
        case "single_choice":
            return next((c.id for c in question.choices if c.correct), question.choices[0].id)
        case "multiple_choice":
            return [c.id for c in question.choices if c.correct]
        case "true_false":
            return question.answer
        case "fill_blank":
            return [b.accepted[0] for b in question.blanks]
        case "short_answer":
            return {"rating": "good", "text": "An answer as long as a learner writes. " * 4}
        case "ordering":
            return [i.id for i in question.items]
        case "matching":
            return {p.id: p.id for p in question.pairs}
        case "numeric":
            return question.value if question.value is not None else question.min


def history(events: int, questions: int, end: datetime) -> dict[str, str]:
    quiz_files = sorted(
        p for p in (ROOT / "quizzes").glob("*.json") if p.name != "quiz.schema.json"
    )
    book = book_of(questions, quiz_files)
    real = {
        question_key(quiz.id, q.id): q
        for quiz in (load_quiz(p.read_text(), p.name) for p in quiz_files)
        for q in quiz.questions
    }
    made = [
        e.model_copy(update={"answer": kept_answer(n, real, e)})
        for n, e in enumerate(events_for(book, events))
    ]
    shift = end - made[-1].at - timedelta(hours=1)  # the last answer an hour before `end`
    made = [
        e.model_copy(update={"at": e.at + shift, "local_date": (e.at + shift).date()}) for e in made
    ]
    storage = MemoryStorage()
    now = [made[0].at]
    store = BookStore(storage, BOOK, WRITER, fold, clock=lambda: now[0])
    days = [list(day) for _, day in groupby(made, key=lambda e: e.local_date)]
    for n, day in enumerate(days):
        now[0] = day[-1].at
        store.append(day, holds_lock=True)
        if n < len(days) - 1 and (
            n % 7 == 6 or n >= len(days) - 3
        ):  # the last two remove what they cover
            store.compact()
    return {key: storage.get(key) or "" for key in sorted(storage.keys())}


def utf16_bytes(values: dict[str, str]) -> int:
    """What localStorage's quota counts: keys and values as UTF-16 code units, 2 bytes each."""
    return sum(len((k + v).encode("utf-16-le")) for k, v in values.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--questions", type=int, default=1_700)
    parser.add_argument("-o", "--out", type=Path)
    args = parser.parse_args(argv)
    t = time.perf_counter()
    values = history(args.events, args.questions, datetime.now(UTC))
    seconds = time.perf_counter() - t
    text = json.dumps(values, ensure_ascii=False)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    for key, value in values.items():
        print(f"{len(value):>10,} chars  {key}", file=sys.stderr)
    print(
        f"history: {args.events:,} events, {args.questions:,} questions, {len(values)} keys, "
        f"{utf16_bytes(values) / 1e6:.3f} MB as UTF-16, made in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
