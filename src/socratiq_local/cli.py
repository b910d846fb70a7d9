"""The authoring command line: check quiz files before they ship, and print the quiz schema.

`validate` prints one line per problem (`file: location: severity: message`) and a summary,
and exits 1 if any problem is an error, so it can gate a book's build.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .quiz.checks import Problem, check_quiz_bytes, cross_file_problems
from .quiz.models import Quiz

#: Far more than a chapter's quizzes need; keeps a stray dump from being read into memory.
MAX_FILE_BYTES = 10_000_000


@dataclass
class FileReport:
    """What validating one file found."""

    source: str
    quiz: Quiz | None = None
    problems: list[Problem] = field(default_factory=list)
    is_file: bool = True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        _print(schema_text(), end="")
        return 0
    return validate([Path(p) for p in args.paths])


def schema_text() -> str:
    """The JSON Schema of a quiz file, formatted as it is committed (quizzes/quiz.schema.json)."""
    return json.dumps(Quiz.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def validate(paths: Sequence[Path]) -> int:
    """Check quiz files and folders, print every problem and a summary; 1 if any error."""
    reports = _reports_for(paths)
    loaded = [(r.source, r.quiz) for r in reports if r.quiz is not None]
    by_source = {r.source: r for r in reports}
    for source, problem in cross_file_problems(loaded):
        by_source[source].problems.append(problem)
    for report in reports:
        for problem in report.problems:
            _print(problem.describe(report.source))
    problems = [p for r in reports for p in r.problems]
    errors = sum(p.severity == "error" for p in problems)
    files = sum(r.is_file for r in reports)
    questions = sum(len(quiz.questions) for _, quiz in loaded)
    _print(
        f"{_count(files, 'file')}, {_count(questions, 'question')}:"
        f" {_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}"
    )
    return 1 if errors else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socratiq-local", description="Author and check socratiq_local quizzes."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="check quiz files",
        description="Check quiz files; folders are searched for *.json (but not *.schema.json).",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="a quiz file or a folder")
    commands.add_parser(
        "schema",
        help="print the quiz JSON Schema",
        description="Print the JSON Schema of a quiz file, for editors and other tools.",
    )
    return parser


def _reports_for(paths: Sequence[Path]) -> list[FileReport]:
    """One report per file named or found in a folder (each file once), in the given order."""
    reports: list[FileReport] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            files = _quiz_files_in(path)
            if not files:
                message = "no quiz files (*.json) in this folder"
                reports.append(
                    FileReport(str(path), None, [Problem("warning", "", message)], is_file=False)
                )
        else:
            files = [path]
        for file in files:
            real_path = os.path.realpath(file)
            if real_path not in seen:
                seen.add(real_path)
                reports.append(_check_file(file))
    return reports


def _quiz_files_in(folder: Path) -> list[Path]:
    found = folder.rglob("*.json")
    return sorted(p for p in found if p.is_file() and not p.name.endswith(".schema.json"))


def _check_file(path: Path) -> FileReport:
    source = str(path)
    try:
        if not path.exists():
            return FileReport(source, None, [Problem("error", "", "no such file or folder")])
        if not path.is_file():
            return FileReport(source, None, [Problem("error", "", "not a regular file")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"the file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})"
            return FileReport(source, None, [Problem("error", "", message)])
        raw = path.read_bytes()
    except OSError as failure:
        reason = failure.strerror or type(failure).__name__
        return FileReport(source, None, [Problem("error", "", f"cannot read: {reason}")])
    checked = check_quiz_bytes(raw)
    return FileReport(source, checked.quiz, checked.problems)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print(text: str, end: str = "\n") -> None:
    """Print, escaping what the terminal cannot encode (odd file names, say) instead of failing."""
    encoding = sys.stdout.encoding or "utf-8"
    sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding) + end)
