"""Measure the progress reducer: replay 50,000 events over 1,700 questions, snapshot, resume.

Run: .venv/bin/python bench/progress_replay.py [events] [questions]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.progress.dashboard import dashboard
from socratiq_local.progress.events import Answered
from socratiq_local.progress.review import review_queue
from socratiq_local.progress.state import ProgressState, replay


def book_of(questions: int) -> BookIndex:
    places = {}
    for n in range(questions):
        quiz = f"quiz-{n // 8}"
        places[question_key(quiz, f"q-{n}")] = Place(
            quiz_id=quiz,
            question_id=f"q-{n}",
            chapter=f"ch-{n // 85}",
            section=f"sec-{n // 8}",
            difficulty=("easy", "medium", "hard")[n % 3],
        )
    return BookIndex(questions=places)


def events_for(book: BookIndex, count: int, seed: int = 1) -> list[Answered]:
    """A learner studying about an hour a day for a year: new questions first, then reviews."""
    rng = random.Random(seed)
    places = list(book.questions.values())
    start = datetime(2024, 1, 1, 7, tzinfo=UTC)
    per_day = max(1, count // 365)
    events = []
    for n in range(count):
        day, slot = divmod(n, per_day)
        at = start + timedelta(days=day, seconds=slot * 20)
        place = places[min(n, len(places) - 1)] if n < len(places) else rng.choice(places)
        correct = rng.random() < 0.75
        events.append(
            Answered(
                id=f"e{n:08d}",
                at=at,
                local_date=(at + timedelta(hours=1)).date(),
                utc_offset_minutes=60,
                quiz_id=place.quiz_id,
                question_id=place.question_id,
                chapter=place.chapter,
                section=place.section,
                difficulty=place.difficulty,
                correct=correct,
                score=1.0 if correct else 0.0,
                rating="good" if correct else "again",
                review=n >= len(places),
            )
        )
    return events


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    questions = int(sys.argv[2]) if len(sys.argv) > 2 else 1_700
    book = book_of(questions)
    events = events_for(book, count)
    start = ProgressState.for_book(book)

    t = time.perf_counter()
    state = replay(events, start)
    replay_s = time.perf_counter() - t

    t = time.perf_counter()
    snapshot = state.model_dump_json()
    dump_s = time.perf_counter() - t
    t = time.perf_counter()
    loaded = ProgressState.model_validate_json(snapshot)
    load_s = time.perf_counter() - t

    cut = count - 500
    half = replay(events[:cut], start)
    t = time.perf_counter()
    resumed = replay(events[cut:], ProgressState.model_validate_json(half.model_dump_json()))
    resume_s = time.perf_counter() - t

    now = events[-1].at
    t = time.perf_counter()
    board = dashboard(state, book, lambda: now, UTC)
    dashboard_s = time.perf_counter() - t
    t = time.perf_counter()
    queue = review_queue(state, book, now)
    queue_s = time.perf_counter() - t

    print(f"events {count:,}, questions {questions:,}, days {len(state.day_xp)}")
    print(f"replay             {replay_s:7.3f} s  ({replay_s / count * 1e6:.1f} us/event)")
    print(f"snapshot size      {len(snapshot.encode()) / 1024:7.1f} KiB")
    print(f"snapshot dump      {dump_s * 1000:7.1f} ms")
    print(f"snapshot load      {load_s * 1000:7.1f} ms")
    print(f"load + 500 events  {resume_s * 1000:7.1f} ms")
    print(f"dashboard          {dashboard_s * 1000:7.1f} ms")
    print(f"review queue       {queue_s * 1000:7.1f} ms  ({len(queue)} due)")
    print(f"xp {state.xp:,}, level {board.level.level}, streak {board.streak}, ", end="")
    print(f"badges {len(state.badges)}, mastered {state.mastered_questions}")
    assert loaded == state and resumed == state, "snapshot + rest differs from a full replay"
    assert date(2024, 1, 1) in state.day_xp


if __name__ == "__main__":
    main()
