"""Import every GIFT file of a corpus and tabulate what came through.

    .venv/bin/python tools/corpus_gift.py [FOLDER_OR_FILE ...] [--details]

Default: the committed corpus, tests/unit/data/gift/corpus. Per file: whether any quiz came
out, questions imported exactly, approximated (imported, with a note in the report), skipped
(with the reason), descriptions (text blocks, which are not questions) and tracebacks. The
last line sums them up; "kept" is exact + approximated over exact + approximated + skipped.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from socratiq_local.importers.gift import DESCRIPTION, read_gift
from socratiq_local.importers.report import ImportFailed

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "unit" / "data" / "gift" / "corpus"


@dataclass
class Row:
    name: str
    output: bool = False
    exact: int = 0
    approximated: int = 0
    skipped: int = 0
    descriptions: int = 0
    tracebacks: int = 0
    failure: str = ""
    reasons: Counter[str] = field(default_factory=Counter)


def measure(path: Path) -> Row:
    """One file's row; a traceback is counted, never raised."""
    row = Row(path.name)
    try:
        report = read_gift(path.read_bytes().decode("utf-8", errors="replace"), path.name)
    except ImportFailed as failure:
        row.failure = failure.message
        return row
    except Exception:  # counting them is the point
        row.tracebacks = 1
        row.failure = traceback.format_exc(limit=-3)
        return row
    imported = sum(len(quiz.questions) for quiz in report.quizzes)
    row.output = imported > 0
    notes = {i.location for i in report.inexact if not i.skipped}
    for item in report.inexact:
        if item.skipped and item.reason == DESCRIPTION:
            row.descriptions += 1
        elif item.skipped:
            row.skipped += 1
            row.reasons[item.reason.split(":")[0][:70]] += 1
    row.approximated = len(notes)
    row.exact = imported - row.approximated
    return row


def files(arguments: list[str]) -> list[Path]:
    roots = [Path(a) for a in arguments] or [CORPUS]
    found = [p for r in roots for p in ([r] if r.is_file() else sorted(r.glob("*.gift")))]
    return sorted(found, key=lambda p: p.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--details", action="store_true", help="list each skip reason")
    arguments = parser.parse_args()
    rows = [measure(p) for p in files(arguments.paths)]
    print(f"{'file':60} out exact approx skip descr tb")
    for r in rows:
        print(
            f"{r.name[:60]:60} {'yes' if r.output else 'no ':3} {r.exact:5} {r.approximated:6}"
            f" {r.skipped:4} {r.descriptions:5} {r.tracebacks:2} {r.failure[:200]}"
        )
        if arguments.details:
            for reason, n in r.reasons.most_common():
                print(f"    {n:3} x {reason}")
    exact, approx, skipped = (
        sum(getattr(r, k) for r in rows) for k in ("exact", "approximated", "skipped")
    )
    total = exact + approx + skipped
    print(
        f"TOTAL {len(rows)} files, {sum(r.output for r in rows)} with output,"
        f" {sum(bool(r.failure) and not r.tracebacks for r in rows)} rejected;"
        f" questions: {exact} exact, {approx} approximated, {skipped} skipped"
        f" ({sum(r.descriptions for r in rows)} descriptions);"
        f" {sum(r.tracebacks for r in rows)} tracebacks;"
        f" kept {100 * (exact + approx) / total if total else 100:.1f}%"
    )
    return 1 if any(r.tracebacks for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
