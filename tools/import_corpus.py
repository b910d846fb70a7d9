"""Import a corpus of real published quiz files and print, per format, how they fared.

    .venv/bin/python tools/import_corpus.py [FORMAT=FOLDER ...]

Each FOLDER is searched recursively; files with the same content are counted once. Without
arguments it reads every folder of $SOCRATIQ_CORPUS (default /work/corpus-imports) named after a
format (`gift`, `jupyterquiz`, `jupyterquiz-history`, ...). The corpus is not in the repository:
its files come from the search tools' snapshots, which are not committed; where each came from,
and under which licence, is in tests/unit/data/gift/CORPUS.md and the corpus's PROVENANCE.md.

Per format it prints: files, files that produce output, files
rejected (ImportFailed), questions imported exactly, approximated (a note names the question),
skipped (with a reason), left out (MLSysBook's hidden questions, GIFT's descriptions: not
questions to import), and tracebacks, which should be none. The target (issue 12): no file
rejected for one bad question, no traceback, at least 95 % imported exactly or approximated.

A question counts as approximated when a note's location falls inside it: a JSON path
(`[3].answers[1]`, `sections[0].quiz_data.questions[2]`) is cut to its question; a line
location (quizdown, GIFT) counts once per line, so for those formats it is an upper bound.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from socratiq_local.cli import IMPORTERS
from socratiq_local.importers.report import LEFT_OUT, ImportFailed, ImportReport, Inexact

_QUESTION_PATH = re.compile(r"^(?:sections\[\d+\]\.quiz_data\.)?(?:questions)?\[\d+\]")


@dataclass
class Tally:
    files: int = 0
    with_output: int = 0
    rejected: list[str] = field(default_factory=list)
    exact: int = 0
    approximated: int = 0
    skipped: int = 0
    left_out: int = 0
    tracebacks: list[str] = field(default_factory=list)

    def add(self, report: ImportReport) -> None:
        imported = sum(len(quiz.questions) for quiz in report.quizzes)
        self.with_output += bool(report.quizzes)
        self.skipped += sum(1 for i in report.skipped if not _not_a_question(i))
        self.left_out += sum(1 for i in report.inexact if _not_a_question(i))
        noted = {
            _question_of(i.location)
            for i in report.inexact
            if not i.skipped and not _not_a_question(i) and _question_of(i.location)
        }
        approximated = min(len(noted), imported)
        self.approximated += approximated
        self.exact += imported - approximated

    def row(self, name: str) -> str:
        total = self.exact + self.approximated + self.skipped
        share = 100 * (self.exact + self.approximated) / total if total else 100.0
        return (
            f"| {name} | {self.files} | {self.with_output} | {len(self.rejected)} | {self.exact}"
            f" | {self.approximated} | {self.skipped} | {self.left_out} | {len(self.tracebacks)}"
            f" | {share:.1f} % |"
        )


def _not_a_question(item: Inexact) -> bool:
    """A question its source keeps from readers (hidden), or a GIFT description block."""
    return item.action == LEFT_OUT


def _question_of(location: str) -> str:
    """The question a note's location falls in ('' for notes about the whole file)."""
    if location.startswith("line "):
        return location
    match = _QUESTION_PATH.match(location)
    return match.group() if match else ""


def _sources(argv: list[str]) -> dict[str, list[Path]]:
    """The folders of each format, in the order given (a format may have several)."""
    if not argv:
        corpus = Path(os.environ.get("SOCRATIQ_CORPUS", "/work/corpus-imports"))
        found = sorted(p for p in corpus.glob("*") if p.is_dir())
        argv = [
            f"{name}={folder}"
            for folder in found
            if (name := folder.name.partition("-")[0]) in IMPORTERS
        ]
    sources: dict[str, list[Path]] = {}
    for name, _, folder in (arg.partition("=") for arg in argv):
        sources.setdefault(name, []).append(Path(folder))
    return sources


def measure(folders: list[Path], read: Callable[[str, str], ImportReport]) -> Tally:
    tally = Tally()
    seen: set[str] = set()
    files = sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())
    for path in files:
        if path.parent in folders and path.name.upper().startswith(("README", "PROVENANCE")):
            continue  # the corpus folder's own notes
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        tally.files += 1
        try:
            tally.add(read(raw.decode("utf-8", "replace"), str(path)))
        except ImportFailed as failure:
            tally.rejected.append(str(failure))
        except Exception:  # a traceback is what this tool is here to find
            tally.tracebacks.append(f"{path}\n{traceback.format_exc()}")
    return tally


def main(argv: list[str]) -> int:
    print(
        "| format | files | with output | rejected | exact | approximated | skipped"
        " | left out | tracebacks | exact or approximated |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    problems: list[str] = []
    for name, folders in _sources(argv).items():
        if name not in IMPORTERS:
            print(f"unknown format {name!r} (known: {', '.join(IMPORTERS)})", file=sys.stderr)
            return 2
        tally = measure(folders, IMPORTERS[name])
        print(tally.row(name))
        problems += [f"{name}: rejected: {line}" for line in tally.rejected]
        problems += [f"{name}: traceback: {text}" for text in tally.tracebacks]
    for line in problems:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
