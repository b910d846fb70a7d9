"""The authoring command line: check quiz files, print the quiz schema, import other formats,
write the browser bundle into a book's site, print a placeholder with its quiz pre-rendered for
a plain HTML page, write the Quarto extension into a book (and answer its filter).

`validate` prints one line per problem (`file: location: severity: message`) and a summary,
and exits 1 if any problem is an error, so it can gate a book's build; `validate --from FORMAT`
checks a foreign file by importing it in memory. `import` converts every input before it
writes anything, so a bad input never leaves a partial set of files behind; a question it
cannot import is skipped and reported (exit status 3), unless `--strict` makes that an error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import __version__
from .formats import detect, foreign_format
from .i18n import Texts
from .importers.gift import read_gift
from .importers.jupyterquiz import read_jupyterquiz
from .importers.mlsysbook import read_mlsysbook
from .importers.native import read_native
from .importers.quizdown import read_quizdown
from .importers.report import ImportFailed, ImportReport
from .integrations.locate import problem_line
from .integrations.prerender import PrerenderError, QuizFormat, prerender, read_quiz
from .packaged_bundle import BundleError, packaged_bundle, write_bundle
from .quiz.checks import Problem, check_quiz_bytes, check_quiz_data, cross_file_problems
from .quiz.models import Quiz

#: Each importer turns the text of one input file into native quizzes and a report.
IMPORTERS: dict[str, Callable[[str, str], ImportReport]] = {
    "gift": read_gift,
    "jupyterquiz": read_jupyterquiz,
    "mlsysbook": read_mlsysbook,
    "native": read_native,
    "quizdown": read_quizdown,
}
#: A foreign format's name in a sentence.
_A_FORMAT = {
    "gift": "a Moodle GIFT",
    "jupyterquiz": "a jupyterquiz",
    "mlsysbook": "an MLSysBook chapter",
    "quizdown": "a quizdown",
}
#: The file name endings each format's files have, for `validate --from` on a folder.
_SUFFIXES = {
    "gift": (".gift", ".txt"),
    "jupyterquiz": (".json",),
    "mlsysbook": (".json",),
    "native": (".json", ".md", ".qmd"),
    "quizdown": (".md", ".markdown", ".qmd", ".rmd", ".rst", ".html", ".htm"),
}
#: `import`'s exit status when every input was read but some question was skipped.
EXIT_SKIPPED = 3

#: Far more than a chapter's quizzes need; keeps a stray dump from being read into memory.
MAX_FILE_BYTES = 10_000_000


@dataclass
class FileReport:
    """What validating one file found."""

    source: str
    quiz: Quiz | None = None
    problems: list[Problem] = field(default_factory=list)
    is_file: bool = True
    text: str = ""  # the file's JSON, to give each problem its line

    def describe(self, problem: Problem) -> str:
        """`file:line: location: message`, or `file: …` where the problem has no line."""
        line = problem_line(problem, self.text) if self.text else None
        return problem.describe(self.source if line is None else f"{self.source}:{line}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema":
            _print(schema_text(), end="")
            return 0
        if args.command == "import":
            inputs = [Path(p) for p in args.inputs]
            return import_files(args.format, inputs, Path(args.output), strict=args.strict)
        if args.command == "bundle":
            return bundle(Path(args.output), force=args.force)
        if args.command == "prerender":
            return prerender_file(
                Path(args.quiz),
                src=args.src or Path(args.quiz).as_posix(),
                bundle=args.bundle,
                section=args.section,
                format_name=args.format,
                show_title=not args.no_title,
                show_meta=args.show_meta,
                lang=args.lang,
            )
        if args.command in ("quarto-extension", "quarto-filter"):
            return quarto(args)
        if args.format:
            return validate_foreign(args.format, [Path(p) for p in args.paths])
        return validate([Path(p) for p in args.paths])
    except BrokenPipeError:  # the reader closed the pipe (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


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
            _print(report.describe(problem))
    problems = [p for r in reports for p in r.problems]
    errors = sum(p.severity == "error" for p in problems)
    files = sum(r.is_file for r in reports)
    questions = sum(len(quiz.questions) for _, quiz in loaded)
    _print(
        f"{_count(files, 'file')}, {_count(questions, 'question')}:"
        f" {_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}"
    )
    return 1 if errors else 0


def import_files(
    format_name: str, inputs: Sequence[Path], output: Path, *, strict: bool = False
) -> int:
    """Convert every input, then write one quiz file each; nothing is written if any input
    fails (or, with `strict`, if any question is skipped). 0: all imported; 3: written, but
    some question skipped; 1: nothing written."""
    reports, failures = _import_all(format_name, inputs)
    if strict:
        failures += [
            Problem(
                "error", item.location, f"{item.reason} (--strict: skipped is an error)"
            ).describe(report.source)
            for report in reports
            for item in report.skipped
        ]
    quizzes = [quiz for report in reports for quiz in report.quizzes]
    for quiz in quizzes:  # the importers' output must pass the same checks as a hand-written file
        data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        failures += [
            p.describe(f"{quiz.id}.json") for p in check_quiz_data(data) if p.severity == "error"
        ]
    targets: dict[str, str] = {}
    for report in reports:
        for quiz in report.quizzes:
            if quiz.id in targets:
                message = f"{quiz.id}.json would also be written from {targets[quiz.id]}"
                failures.append(Problem("error", "", message).describe(report.source))
            targets.setdefault(quiz.id, report.source)
    for report in reports:
        for line in report.summary_lines():
            _print(line)
    if failures:
        for line in failures:
            _print(line)
        _print(f"nothing written: {_count(len(failures), 'error')}")
        return 1
    if quizzes:
        output.mkdir(parents=True, exist_ok=True)
    for quiz in quizzes:
        target = output / f"{quiz.id}.json"
        partial = target.with_suffix(".json.partial")
        body = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        partial.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        partial.replace(target)
        _print(f"wrote {target} ({_count(len(quiz.questions), 'question')})")
    skipped = sum(len(report.skipped) for report in reports)
    if not quizzes:
        _print("no quiz to write: the inputs hold no questions")
    if skipped:
        _print(f"{_count(skipped, 'question')} skipped (listed above): exit status {EXIT_SKIPPED}")
        return EXIT_SKIPPED
    return 0


def _import_all(format_name: str, inputs: Sequence[Path]) -> tuple[list[ImportReport], list[str]]:
    """Each input's import report, and a line for each input that could not be imported."""
    reports: list[ImportReport] = []
    failures: list[str] = []
    for path in inputs:
        try:
            text = path.read_text(encoding="utf-8")
            chosen = format_name
            if chosen == "auto":
                found = detect(text, path.name)
                if found is None:
                    message = "cannot tell its format: name it with --from " + "|".join(IMPORTERS)
                    failures.append(Problem("error", "", message).describe(str(path)))
                    continue
                chosen = found
                _print(f"{path}: read as {chosen} (detected; name another with --from)")
            reports.append(IMPORTERS[chosen](text, str(path)))
        except ImportFailed as failure:
            failures.append(Problem("error", failure.location, failure.message).describe(str(path)))
        except (OSError, UnicodeDecodeError) as failure:
            reason = getattr(failure, "strerror", None) or str(failure)
            failures.append(Problem("error", "", f"cannot read: {reason}").describe(str(path)))
    return reports, failures


def validate_foreign(format_name: str, paths: Sequence[Path]) -> int:
    """Check foreign files by importing them in memory: the importer's report, each skipped
    question an error, each approximation a warning, the output checked as a quiz file."""
    files = [
        f
        for path in paths
        for f in (_foreign_files_in(path, format_name) if path.is_dir() else [path])
    ]
    reports, failures = _import_all(format_name, files)
    errors = len(failures)
    warnings = 0
    for line in failures:
        _print(line)
    for report in reports:
        for item in report.inexact:
            message = f"{item.reason}; {item.action}"
            problem = Problem("error" if item.skipped else "warning", item.location, message)
            _print(problem.describe(report.source))
            errors += item.skipped
            warnings += not item.skipped
        for quiz in report.quizzes:
            data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
            for problem in check_quiz_data(data):
                _print(problem.describe(report.source))
                errors += problem.severity == "error"
                warnings += problem.severity != "error"
    questions = sum(len(q.questions) for r in reports for q in r.quizzes)
    _print(
        f"{_count(len(files), 'file')}, {_count(questions, 'question')}:"
        f" {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    )
    return 1 if errors else 0


def bundle(target: Path, *, force: bool) -> int:
    """Write the browser bundle the package carries into `target` (a book's site folder)."""
    source = packaged_bundle()
    if source is None:
        _print(
            f"socratiq-local {__version__} carries no browser bundle (a development install):"
            " build one with ./build.sh bundle (it writes web/dist/), or install the wheel"
            " ./build.sh wheel makes",
            file=sys.stderr,
        )
        return 1
    try:
        written = write_bundle(source, target, force=force)
    except BundleError as failure:
        _print(f"nothing written: {failure}", file=sys.stderr)
        return 1
    except OSError as failure:
        _print(f"cannot write {target}: {failure.strerror or failure}", file=sys.stderr)
        return 1
    replaced = f", {_count(written.removed, 'file')} of the earlier bundle removed"
    _print(
        f"wrote {target} ({_count(written.files, 'file')}, {written.size / 1e6:.1f} MB;"
        f" socratiq-local {__version__}{replaced if written.removed else ''})"
    )
    _print(
        f'each page loads it with <script src="{target.name}/socratiq.js" async></script>'
        f" (the path to {target.name}/ from that page; a relative path works under any sub-path)"
    )
    return 0


def prerender_file(
    path: Path,
    *,
    src: str,
    bundle: str,
    section: str | None,
    format_name: QuizFormat,
    show_title: bool,
    show_meta: bool,
    lang: str,
) -> int:
    """Print the placeholder for one quiz file with its quiz pre-rendered; 1 if it cannot be."""
    try:
        quiz = read_quiz(path.read_text(encoding="utf-8-sig"), str(path), format_name)
        html = prerender(
            quiz,
            src=src,
            bundle=bundle,
            section=section,
            format_name=format_name,
            show_title=show_title,
            show_meta=show_meta,
            t=Texts(lang),
        )
    except PrerenderError as failure:
        _print(f"{path}: {failure}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as failure:
        reason = getattr(failure, "strerror", None) or str(failure)
        _print(f"{path}: cannot read: {reason}", file=sys.stderr)
        return 1
    _print(html)
    return 0


def quarto(args: argparse.Namespace) -> int:
    """Write the Quarto extension into a book, or answer its filter for one page: the page's
    blocks on stdin (kind, form, text; NUL-separated), the answer on stdout (see
    integrations/quarto.py)."""
    try:
        from .integrations import quarto as extension  # reads blocks with PyYAML
    except ModuleNotFoundError as missing:
        _print(
            f"the Quarto extension needs {missing.name}: pip install 'socratiq-local[quarto]'",
            file=sys.stderr,
        )
        return 1
    if args.command == "quarto-extension":
        written = extension.write_extension(Path(args.output))
        _print(f"wrote {written}: add `filters: [socratiq]` to _quarto.yml")
        return 0
    fields = sys.stdin.buffer.read().decode("utf-8").split("\0")
    found = [extension.Found(*fields[i : i + 3]) for i in range(0, len(fields) - 2, 3)]
    source, project = Path(args.page), Path(args.project)
    page = extension.Page(
        source,
        project,
        book=args.book,
        bundle=args.bundle,
        texts=Texts(args.lang),
        site=extension.site_of(project, source, args.site, args.output),
        mlsysbook=args.mlsysbook,
        chapter_quiz=args.chapter_quiz,
        bundle_source=Path(args.bundle_source) if args.bundle_source else None,
    )
    sys.stdout.buffer.write(extension.page_reply(page, found).encode("utf-8"))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socratiq-local", description="Author and check socratiq_local quizzes."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="check quiz files",
        description="Check quiz files; folders are searched for *.json (but not *.schema.json).",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="a quiz file or a folder")
    check.add_argument(
        "--from",
        dest="format",
        choices=sorted([*IMPORTERS, "auto"]),
        help="check files of another format by importing them in memory",
    )
    convert = commands.add_parser(
        "import",
        help="convert quizzes from another format",
        description="Convert quiz files from another format into native quiz files, one per"
        " chapter, input file or quiz block of a page, and report each question that could not"
        " be imported exactly. Exit status: 0 all imported, 3 written but some question"
        " skipped, 1 nothing written.",
    )
    convert.add_argument(
        "--from",
        dest="format",
        default="auto",
        choices=sorted([*IMPORTERS, "auto"]),
        help="the inputs' format (default auto: told by each file's name and content)",
    )
    convert.add_argument(
        "--strict",
        action="store_true",
        help="write nothing if any question would be skipped (default: skip it, exit 3)",
    )
    convert.add_argument("inputs", nargs="+", metavar="INPUT")
    convert.add_argument("-o", "--output", required=True, metavar="FOLDER")
    copy = commands.add_parser(
        "bundle",
        help="write the browser bundle into a site folder",
        description="Write the browser bundle (page script, worker, Pyodide, wheels) this"
        " package carries into FOLDER, to be served with the book. An earlier bundle there is"
        " replaced; any other non-empty folder is refused unless --force.",
    )
    copy.add_argument("-o", "--output", required=True, metavar="FOLDER")
    copy.add_argument(
        "--force", action="store_true", help="write into a non-empty folder that is no bundle"
    )
    pre = commands.add_parser(
        "prerender",
        help="print a quiz's placeholder, pre-rendered, for a plain HTML page",
        description="Print the placeholder for a quiz file with the quiz drawn inside it, to"
        " paste into a page: readable before the engine starts, with no script, and by search"
        " engines; the page's script makes it interactive in place.",
    )
    pre.add_argument("quiz", metavar="QUIZ_FILE")
    pre.add_argument(
        "--bundle",
        required=True,
        metavar="URL",
        help="the bundle's folder as the page reaches it, as in its script tag (../socratiq/)",
    )
    pre.add_argument(
        "--src", metavar="URL", help="the quiz file as the page reaches it (default: QUIZ_FILE)"
    )
    pre.add_argument("--section", metavar="ID", help="only this section's questions (sec-…)")
    pre.add_argument("--format", choices=("native", "mlsysbook"), default="native")
    pre.add_argument("--lang", default="en", help="the page's language (en, de, es, fr, ar)")
    pre.add_argument(
        "--no-title",
        action="store_true",
        help="leave out the quiz's title and description (a quiz file's later sections on a page)",
    )
    pre.add_argument("--show-meta", action="store_true", help="show difficulty and tags")
    quarto = commands.add_parser(
        "quarto-extension",
        help="write the Quarto extension into a book",
        description="Write the Quarto extension (a Lua filter: quiz, quiz-dashboard and"
        " quiz-progress blocks, pre-rendered) into DIR/_extensions/socratiq/.",
    )
    quarto.add_argument("-o", "--output", default=".", metavar="DIR", help="the book's folder")
    page = commands.add_parser(
        "quarto-filter",
        help="the Quarto extension's filter calls this for each page with quizzes",
        description="Read a page's blocks on stdin (kind, form, text, NUL-separated) and print"
        " `ok`, the script tag and each block's HTML, or `error` and the problems.",
    )
    page.add_argument("--page", required=True, help="the page's source file")
    page.add_argument("--project", default=".", help="the book's root folder")
    page.add_argument("--book", default="", help="data-book (default: from the title)")
    page.add_argument("--bundle", default="socratiq", help="the bundle's folder in the site")
    page.add_argument("--bundle-source", help="the bundle to copy (default: the package's)")
    page.add_argument("--lang", default="en")
    page.add_argument("--site", help="the built site's folder (Quarto's output directory)")
    page.add_argument("--output", help="pandoc's output file, when --site is not given")
    page.add_argument("--mlsysbook", help="true (the page's quiz: file) or a data-mlsysbook")
    page.add_argument("--chapter-quiz", help="the page's quiz: metadata")
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


def _foreign_files_in(folder: Path, format_name: str) -> list[Path]:
    """A folder's files a format's quizzes are kept in (for auto: those of a format it can
    tell)."""
    suffixes = {
        s for name, kinds in _SUFFIXES.items() if format_name in (name, "auto") for s in kinds
    }
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    if format_name != "auto":
        return found
    return [p for p in found if detect(p.read_text("utf-8", "replace"), p.name) is not None]


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
    if checked.has_errors and (found := foreign_format(raw.decode("utf-8", "replace"), source)):
        hint = (
            f"{_A_FORMAT[found]} file, not a quiz in our format: check it with"
            f" `socratiq-local validate --from {found}`, convert it with"
            f" `socratiq-local import --from {found}`"
        )
        return FileReport(source, None, [Problem("error", "", hint)])
    return FileReport(source, checked.quiz, checked.problems, text=raw.decode("utf-8", "replace"))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print(text: str, end: str = "\n", file: TextIO | None = None) -> None:
    """Print, escaping what the terminal cannot encode (odd file names, say) instead of failing."""
    stream = file or sys.stdout
    encoding = stream.encoding or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + end)
