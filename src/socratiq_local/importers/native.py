"""Native quizzes to import: a quiz file, or the whole quizzes written in a page's blocks.

A Markdown, MyST or Quarto page may carry quizzes in ```` ```quiz ```` / ```` ```{quiz} ````
blocks (the MkDocs plugin's and the Sphinx extension's syntax), as JSON or YAML; `import
--from native` writes each out as a quiz file, checked as a hand-written one is. A block that
only names a quiz file (`src: …`) has nothing to import and is noted.
"""

from __future__ import annotations

import json
from typing import Any

from ..quiz.checks import QuizFileError, load_quiz
from ..quiz.models import Quiz
from .pages import blocks_in_page
from .report import ImportFailed, ImportReport, Inexact, skipped_question


def _problem(error: QuizFileError) -> tuple[str, str]:
    errors = [p for p in error.problems if p.severity == "error"] or error.problems
    first = errors[0] if errors else None
    return (first.location, first.message) if first else ("", str(error))


def _parsed(body: str) -> Any:
    """A block's JSON, or its YAML where PyYAML is installed (every site generator has it)."""
    try:
        return json.loads(body)
    except ValueError:
        pass
    try:
        import yaml  # only pages written in YAML need it
    except ImportError:
        raise ValueError("not JSON (YAML needs PyYAML: pip install pyyaml)") from None
    try:
        return yaml.safe_load(body)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML or JSON: {getattr(error, 'problem', error)}") from None


def read_native(text: str, source: str) -> ImportReport:
    """A quiz file, or each whole quiz in a page's quiz blocks; ImportFailed if neither."""
    text = text.removeprefix("\ufeff")
    if text.lstrip()[:1] == "{":
        try:
            return ImportReport(source=source, quizzes=[load_quiz(text, source)])
        except QuizFileError as error:
            raise ImportFailed(source, *_problem(error)) from None
    blocks = blocks_in_page(text, "quiz")
    if not blocks:
        raise ImportFailed(source, "", "neither a quiz file (JSON) nor a page with ```quiz blocks")
    quizzes: list[Quiz] = []
    inexact: list[Inexact] = []
    for block in blocks:
        where = f"line {block.line}"
        if block.argument:
            inexact.append(
                Inexact(location=where, reason="names a quiz file", action="nothing to import")
            )
            continue
        try:
            data = _parsed(block.body)
        except (ValueError, RecursionError) as error:
            inexact.append(skipped_question(where, str(error), block.body))
            continue
        if isinstance(data, dict) and "src" in data and "questions" not in data:
            inexact.append(
                Inexact(location=where, reason="names a quiz file", action="nothing to import")
            )
            continue
        try:
            quizzes.append(load_quiz(json.dumps(data, default=str), f"{source}:{block.line}"))
        except QuizFileError as error:
            location, message = _problem(error)
            reason = f"{location}: {message}" if location else message
            inexact.append(skipped_question(where, reason, block.body))
    return ImportReport(source=source, quizzes=quizzes, inexact=inexact)
