"""A heavy year of one reader's progress, as the localStorage keys the page would hold.

    .venv/bin/python bench/history.py [--events 50000] [--questions 1700] [-o out.json]

Made with the engine itself: the events of bench/progress_replay.py (a year of about an hour a
day, new questions first, then reviews), over a book of `questions` questions whose first ones
are the demo chapter's real quiz questions (so the page's own quiz has history too), written
through BookStore + MemoryStorage + the session's fold exactly as a tab does: one append per
study day, a compaction (as the elected tab does every minute) at the end of each day, and the
last day's answers left in the tab's log. Output: {key: value} for book `mlsys-demo`, writer
`w0` (the id the first tab claims).
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

from socratiq_local.browser.session import fold
from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.quiz.checks import load_quiz
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


def history(events: int, questions: int, end: datetime) -> dict[str, str]:
    book = book_of(
        questions,
        sorted(p for p in (ROOT / "quizzes").glob("*.json") if p.name != "quiz.schema.json"),
    )
    made = events_for(book, events)
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
        if n < len(days) - 1:
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
