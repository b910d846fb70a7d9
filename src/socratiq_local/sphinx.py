"""The Sphinx extension: `quiz`, `quiz-dashboard` and `quiz-progress` directives, in
reStructuredText and in MyST Markdown (```` ```{quiz} ````), quizzes drawn at build time as
pre-rendered placeholders.

`extensions = ["socratiq_local.sphinx"]` in conf.py is all a book needs. A quiz is a file
(`.. quiz:: quizzes/ch1.json` with `:section:`) or written in the page (YAML or JSON as the
directive's content). Every quiz is checked while the page is read: a broken one stops the
build naming the page, the directive's line, the quiz file and the problem. Pages with a quiz
get the script tag (relative, with `data-book`); the others stay untouched. The bundle is
copied into the site once, at the end of a build that drew a quiz.

Why work in `doctree-resolved`: a placeholder's relative paths (quiz file, bundle) depend on
where the builder writes the page, and the dashboard lists every quiz of the book, known only
once all pages are read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NoReturn

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from . import __version__
from .i18n import Texts
from .integrations.locate import problem_line
from .integrations.prerender import (
    NEUTRAL_SEED,
    PrerenderError,
    QuizFormat,
    prerender,
    read_quiz,
)
from .packaged_bundle import BundleError, packaged_bundle, write_bundle
from .quiz.checks import check_quiz_document
from .quiz.models import Quiz
from .quiz.shuffle import questions_for
from .render.markup import element

logger = logging.getLogger(__name__)

#: The bundle a development checkout builds (`./build.sh bundle`), used when no wheel carries one.
CHECKOUT_BUNDLE = Path(__file__).resolve().parents[2] / "web" / "dist"
#: Where the bundle is copied, under the site's root: with the theme's files, where Sphinx
#: resolves a page's scripts (`add_js_file`).
BUNDLE_FOLDER = "_static/socratiq"
#: Where quizzes written in a page are published, under the site's root.
INLINE_FOLDER = "_quizzes"


class QuizBuildError(SphinxError):
    """Why the bundle cannot be copied into the site."""

    category = "socratiq bundle error"


class BrokenQuiz(Exception):
    """A quiz that fails the build, said in one line (without the page's place); `line`: the
    page's line it is on, when that is not the directive's."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.line = line


class quiz_placeholder(nodes.General, nodes.Element):
    """A quiz, drawn once the page's place in the site is known. Attributes: `path` (the quiz
    file, relative to the site's root), `section`, `format`, `show_title`, and for a quiz
    written in the page, `inline` (its JSON)."""


class dashboard_placeholder(nodes.General, nodes.Element):
    """The book's dashboard, listing every quiz file once all pages are read."""


class progress_placeholder(nodes.General, nodes.Element):
    """A progress element: `chapters` as written (none: every chapter of the book)."""


def _pages(env: BuildEnvironment) -> dict[str, list[str]]:
    """Each page that needs the script, with the quiz files (site-root relative) it shows."""
    pages: dict[str, list[str]] = env.domaindata.setdefault("socratiq", {}).setdefault("pages", {})
    return pages


def _chapters(env: BuildEnvironment) -> dict[str, list[str]]:
    """Each page's quizzes' chapters (`chapter` in the quiz), in the page's order."""
    chapters: dict[str, list[str]] = env.domaindata.setdefault("socratiq", {}).setdefault(
        "chapters", {}
    )
    return chapters


def _progress(env: BuildEnvironment) -> dict[str, list[tuple[str, list[str]]]]:
    """Each page's progress elements: where each is written, and the chapters it names."""
    asked: dict[str, list[tuple[str, list[str]]]] = env.domaindata.setdefault(
        "socratiq", {}
    ).setdefault("progress", {})
    return asked


def _reading_order(env: BuildEnvironment, pages: dict[str, list[str]]) -> list[str]:
    """What `pages` lists, page by page in the book's reading order (the toctree from the root;
    pages outside it after), each item once."""
    order: list[str] = []
    pending = [env.config.root_doc]
    while pending:
        docname = pending.pop(0)
        if docname not in order:
            order.append(docname)
            pending[:0] = env.toctree_includes.get(docname, [])
    order += sorted(set(pages) - set(order))
    return list(dict.fromkeys(item for docname in order for item in pages.get(docname, [])))


def _book_chapters(env: BuildEnvironment) -> list[str]:
    """Every chapter of the book's quizzes, in reading order."""
    return _reading_order(env, _chapters(env))


def _broken(env: BuildEnvironment) -> dict[str, list[str]]:
    """Each page's broken quizzes, kept until the page is read again, so that a rebuild which
    does not re-read the page still fails."""
    broken: dict[str, list[str]] = env.domaindata.setdefault("socratiq", {}).setdefault(
        "broken", {}
    )
    return broken


class QuizDirective(SphinxDirective):
    """`.. quiz:: quizzes/ch1.json` (`:section:`, `:format:`, `:no-title:`), or the quiz itself
    (YAML or JSON) as the content."""

    optional_arguments = 1
    final_argument_whitespace = False
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "section": directives.unchanged,
        "format": lambda value: directives.choice(value, ("native", "mlsysbook")),
        "no-title": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        try:
            return [self._placeholder()]
        except BrokenQuiz as broken:
            where = self.get_location()
            if broken.line is not None:
                where = f"{self.env.doc2path(self.env.docname)}:{broken.line}"
            logger.error(str(broken), location=where)
            _broken(self.env).setdefault(self.env.docname, []).append(f"{where}: {broken}")
            return []

    def _placeholder(self) -> quiz_placeholder:
        format_name: QuizFormat = self.options.get("format", "native")
        if self.arguments:
            path, quiz = self._quiz_file(self.arguments[0], format_name)
            inline = None
        else:
            quiz, inline = self._quiz_in_page()
            path = f"{INLINE_FOLDER}/{quiz.id}.json"
        section = self.options.get("section")
        if section and not questions_for(quiz, NEUTRAL_SEED, section.lstrip("#")):
            self._fail(f"{path}: no question is in section {section!r}")
        _pages(self.env).setdefault(self.env.docname, []).append(path)
        if quiz.chapter is not None:
            _chapters(self.env).setdefault(self.env.docname, []).append(quiz.chapter)
        node = quiz_placeholder(
            path=path,
            section=section,
            format=format_name,
            show_title="no-title" not in self.options,
            inline=inline,
        )
        self.set_source_info(node)
        return node

    def _quiz_file(self, argument: str, format_name: QuizFormat) -> tuple[str, Quiz]:
        """The file's site-root path (it is published where it is in the sources) and quiz."""
        relative, absolute = self.env.relfn2path(argument, self.env.docname)
        self.env.note_dependency(relative)
        try:
            text = Path(absolute).read_text(encoding="utf-8")
        except OSError as failure:
            self._fail(f"{argument}: cannot read: {failure.strerror}")
        try:
            return PurePosixPath(relative).as_posix(), read_quiz(text, relative, format_name)
        except PrerenderError as broken:
            self._fail(str(broken))

    def _quiz_in_page(self) -> tuple[Quiz, str]:
        """The quiz written as the directive's content (JSON, or YAML: JSON's superset), and
        the JSON file it is published as."""
        import yaml  # myst-parser's dependency; only pages with an inline quiz need it

        text = "\n".join(self.content)
        first = self._content_line()
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as bad:
            mark = getattr(bad, "problem_mark", None)
            line = first + mark.line if mark else None
            self._fail(f"invalid YAML: {getattr(bad, 'problem', bad)}", line)
        checked = check_quiz_document(data)
        if checked.quiz is None or checked.has_errors:
            errors = [p for p in checked.problems if p.severity == "error"]
            lines = [problem_line(p, text, yaml_text=True) for p in errors]
            described = [
                p.describe(f"line {first + line - 1}" if line else "the quiz")
                for p, line in zip(errors, lines, strict=True)
            ]
            self._fail("\n  ".join(described), first + lines[0] - 1 if lines[0] else None)
        return checked.quiz, json.dumps(data, ensure_ascii=False, indent=1)

    def _content_line(self) -> int:
        """The page's line of the content's first line: docutils counts from the file's top
        (from 0), MyST (its mock state) from the line after the directive's own."""
        if type(self.state).__module__.startswith("myst_parser."):
            return self.lineno + 1 + self.content_offset
        return self.content_offset + 1

    def _fail(self, problem: str, line: int | None = None) -> NoReturn:
        raise BrokenQuiz(problem, line)


class DashboardDirective(SphinxDirective):
    """`.. quiz-dashboard::`: the reader's progress over every quiz of the book."""

    def run(self) -> list[nodes.Node]:
        _pages(self.env).setdefault(self.env.docname, [])
        node = dashboard_placeholder()
        self.set_source_info(node)
        return [node]


class ProgressDirective(SphinxDirective):
    """`.. quiz-progress:: ch1` (one chapter's ring and words), `.. quiz-progress:: ch1 ch2`
    (a list), or with no chapter, every chapter of the book's quizzes."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        chapters = self.arguments[0].split() if self.arguments else []
        _pages(self.env).setdefault(self.env.docname, [])
        _progress(self.env).setdefault(self.env.docname, []).append((self.get_location(), chapters))
        node = progress_placeholder(chapters=chapters)
        self.set_source_info(node)
        return [node]


def _unknown_chapters(env: BuildEnvironment) -> list[str]:
    """Progress elements naming a chapter no quiz of the book has (they would show nothing),
    each with its page and line: known only once every page is read, and checked at every
    build's end, as a rebuild that reads no page must fail too."""
    known = _book_chapters(env)
    unknown = []
    for docname in sorted(_progress(env)):
        for where, chapters in _progress(env)[docname]:
            if not known:
                problem = "no quiz of the book names its chapter (`chapter` in the quiz)"
            elif missing := [c for c in chapters if c not in known]:
                problem = (
                    f"no quiz of the book is in chapter {', '.join(missing)} "
                    f"(the book's chapters: {', '.join(known)})"
                )
            else:
                continue
            unknown.append(f"{where}: {problem}")
    return unknown


def _book_files(env: BuildEnvironment, page: str) -> str:
    """Every quiz file of the book, relative to `page`, in reading order (the dashboard's path
    through the book): what dashboards and progress elements count."""
    return " ".join(relative_uri(page, path) for path in _reading_order(env, _pages(env)))


def _draw(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholders of a page being written by their HTML, paths relative to it."""
    page = app.builder.get_target_uri(docname)
    bundle = relative_uri(page, BUNDLE_FOLDER + "/")
    t = Texts(app.config.language)
    for node in list(doctree.findall(quiz_placeholder)):
        path: str = node["path"]
        src = relative_uri(page, path)
        if node["inline"] is not None:
            target = Path(app.outdir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(node["inline"], encoding="utf-8")
        quiz = read_quiz(
            node["inline"] or (Path(app.srcdir) / path).read_text(encoding="utf-8"),
            path,
            node["format"],
        )
        html = prerender(
            quiz,
            src=src,
            bundle=bundle,
            section=node["section"],
            format_name=node["format"],
            show_title=node["show_title"],
            t=t,
        )
        node.replace_self(nodes.raw("", html, format="html"))
    for board in list(doctree.findall(dashboard_placeholder)):
        listed = _book_files(app.env, page)
        html = element("div", {"class": "socratiq-dashboard", "data-quizzes": listed}, "")
        board.replace_self(nodes.raw("", html, format="html"))
    for progress in list(doctree.findall(progress_placeholder)):
        chapters: list[str] = progress["chapters"] or _book_chapters(app.env)
        attributes = {
            "class": "socratiq-progress",
            "data-chapter": chapters[0] if len(progress["chapters"]) == 1 else None,
            "data-chapters": None if len(progress["chapters"]) == 1 else " ".join(chapters),
            "data-quizzes": _book_files(app.env, page),
        }
        progress.replace_self(nodes.raw("", element("div", attributes, ""), format="html"))


def _script_tag(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The page script, on the pages that show a quiz or a dashboard only."""
    if pagename in _pages(app.env):
        attributes: dict[str, Any] = {"data-book": _book(app)}
        app.add_js_file("socratiq/socratiq.js", loading_method="async", **attributes)  # _static/


def _book(app: Sphinx) -> str:
    """The storage namespace: `socratiq_book`, else the project's name as a slug."""
    configured: str = app.config.socratiq_book
    name = configured or app.config.project or "default"
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "default"


def bundle_source(configured: str | None) -> Path:
    """The bundle to copy: the configured folder, the wheel's, else a checkout's web/dist."""
    if configured:
        return Path(configured)
    packaged = packaged_bundle()
    if packaged is not None:
        return packaged
    if (CHECKOUT_BUNDLE / "manifest.json").is_file():
        return CHECKOUT_BUNDLE
    raise QuizBuildError(
        "no socratiq bundle to copy: install the socratiq-local wheel (it carries one), "
        "run ./build.sh bundle in a checkout, or set socratiq_bundle_source in conf.py"
    )


def _publish(app: Sphinx, exception: Exception | None) -> None:
    """At the end of a good HTML build that shows quizzes: the quiz files and the bundle."""
    if exception is not None:
        return
    broken = [line for lines in _broken(app.env).values() for line in lines]
    broken += _unknown_chapters(app.env)
    if broken:  # said again at the end: a rebuild that did not re-read the page said nothing
        logger.error(
            "broken quizzes or progress elements, the site is not finished:\n  %s",
            "\n  ".join(broken),
        )
        app.statuscode = 1
        return
    pages = _pages(app.env)
    if app.builder.format != "html" or not pages:
        return
    for path in sorted({p for paths in pages.values() for p in paths}):
        source = Path(app.srcdir) / path
        if not path.startswith(INLINE_FOLDER + "/"):
            (Path(app.outdir) / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, Path(app.outdir) / path)
    target = Path(app.outdir) / BUNDLE_FOLDER
    try:
        write_bundle(bundle_source(app.config.socratiq_bundle_source), target)
    except BundleError as failure:
        raise QuizBuildError(str(failure)) from None


def _per_page(env: BuildEnvironment) -> list[dict[str, Any]]:
    return [_pages(env), _broken(env), _chapters(env), _progress(env)]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for kept in _per_page(env):
        kept.pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for ours, theirs in zip(_per_page(env), _per_page(other), strict=True):
        ours.update({name: theirs[name] for name in docnames if name in theirs})


def _check_bundle(app: Sphinx) -> None:
    """Say at the start, not after a long build, that there is no bundle to copy."""
    if app.builder.format == "html":
        bundle_source(app.config.socratiq_bundle_source)


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx's entry point."""
    app.add_config_value("socratiq_book", "", "html", str)
    app.add_config_value("socratiq_bundle_source", None, "env", (str, type(None)))
    app.add_node(quiz_placeholder)
    app.add_node(dashboard_placeholder)
    app.add_node(progress_placeholder)
    app.add_directive("quiz", QuizDirective)
    app.add_directive("quiz-dashboard", DashboardDirective)
    app.add_directive("quiz-progress", ProgressDirective)
    app.connect("builder-inited", _check_bundle)
    app.connect("doctree-resolved", _draw)
    app.connect("html-page-context", _script_tag)
    app.connect("build-finished", _publish)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
