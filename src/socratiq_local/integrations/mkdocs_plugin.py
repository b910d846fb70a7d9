"""The MkDocs plugin (`plugins: [socratiq]`): quiz blocks in Markdown become pre-rendered quizzes.

Per page, each ```` ```quiz ```` block becomes the placeholder with its quiz drawn in it (see
prerender.py), each ```` ```quiz-dashboard ```` block the dashboard over every quiz of the
book, each ```` ```quiz-progress ```` block a progress element, and the page gets the script
tag (relative, so a book under a sub-path works), only if it has one of them. Every quiz is
checked while building: a broken one stops the build, naming the page's line and the quiz's
problem. The browser bundle is copied into the site once.

Placeholders are swapped in after Markdown has run (a token paragraph in between), so
Python-Markdown never sees, and never rewrites, the pre-rendered HTML. Dashboards and progress
elements are filled in last, once every page's quizzes are known. With Material's instant
navigation, pages are swapped without loading their <head>, so the tag then goes on every page
(it costs a page without quizzes nothing).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from ..i18n import Texts
from ..packaged_bundle import BundleError, packaged_bundle, read_manifest, write_bundle
from ..quiz.models import Quiz
from ..render.markup import element
from .prerender import PrerenderError, QuizFormat, prerender, read_quiz
from .quiz_blocks import (
    Block,
    BlockError,
    QuizReference,
    find_blocks,
    read_block,
    read_progress,
)

#: In a development checkout (an editable install carries no bundle): `./build.sh bundle`.
CHECKOUT_BUNDLE = Path(__file__).resolve().parents[3] / "web" / "dist"
T = TypeVar("T")
#: Where a dashboard goes until the book's quizzes are all known (a comment: search skips it).
DASHBOARD = "<!-- socratiq-dashboard -->"


class SocratiqConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__
    """The plugin's options in mkdocs.yml."""

    book = config_options.Type(str, default="")
    """`data-book`, the storage namespace (default: the site's name, lower case, dashed)."""
    bundle_dir = config_options.Type(str, default="socratiq")
    """Where in the built site the bundle goes."""
    bundle_source = config_options.Optional(config_options.Dir(exists=True))
    """A bundle folder to copy instead of the installed package's."""
    inline_dir = config_options.Type(str, default="quizzes/inline")
    """Where in the built site quizzes written in a page go (`<quiz id>.json`)."""
    lang = config_options.Optional(config_options.Type(str))
    """The quizzes' language (default: the theme's `language`, else English)."""
    every_page = config_options.Optional(config_options.Type(bool))
    """The script tag on every page (default: only with Material's navigation.instant)."""
    nav_progress = config_options.Type(bool, default=False)
    """Every chapter's progress in the theme's templates, as `socratiq_progress` (a template
    override places it, in the sidebar say); then the script tag is on every page."""


@dataclass(frozen=True)
class BookQuiz:
    """A quiz file of the book: where it is in the built site, and how the page reads it."""

    url: str
    format_name: QuizFormat


@dataclass(frozen=True)
class ProgressBlock:
    """A `quiz-progress` block: where it is written, and the chapters it names (none: all)."""

    page: str
    line: int
    chapters: list[str]


@dataclass
class _Build:
    """What one build has gathered so far."""

    quizzes: dict[str, BookQuiz] = field(default_factory=dict)  # by site url
    inline: dict[str, Quiz] = field(default_factory=dict)  # by quiz id
    blocks: dict[str, str] = field(default_factory=dict)  # token -> the placeholder's HTML
    late: set[str] = field(default_factory=set)  # pages with a dashboard or progress element
    pages: set[str] = field(default_factory=set)  # pages that need the script
    nav: list[str] = field(default_factory=list)  # the pages in the nav's order
    chapters: dict[str, list[str]] = field(default_factory=dict)  # page -> its quizzes' chapters
    used: dict[str, list[BookQuiz]] = field(default_factory=dict)  # page -> its quiz files
    progress: dict[str, ProgressBlock] = field(default_factory=dict)  # by its marker

    def book_chapters(self) -> list[str]:
        """Every chapter of the book's quizzes, in the nav's order (other pages after)."""
        return _in_nav_order(self.nav, self.chapters)

    def book_quizzes(self) -> list[BookQuiz]:
        """Every quiz file of the book, in the nav's order: the dashboard's path."""
        return _in_nav_order(self.nav, self.used)


class SocratiqPlugin(BasePlugin[SocratiqConfig]):  # type: ignore[no-untyped-call]
    """Quizzes and dashboards written in a book's Markdown, for MkDocs."""

    def __init__(self) -> None:
        self.build = _Build()
        self.bundle = CHECKOUT_BUNDLE
        self.texts = Texts()
        self.every_page = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.build = _Build()
        self.bundle = _bundle_source(self.config.bundle_source)
        theme_language = config.theme.get("language")
        self.texts = Texts(self.config.lang or theme_language or "en")
        instant = "navigation.instant" in (config.theme.get("features") or [])
        self.every_page = instant if self.config.every_page is None else self.config.every_page
        self.every_page = self.every_page or self.config.nav_progress
        if not self.config.book:
            self.config.book = "-".join(config.site_name.lower().split()) or "default"
        return config

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.build.nav = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        lines = markdown.split("\n")
        replaced: list[tuple[Block, str]] = []
        # In the page's order, as the dashboard lists the quizzes.
        for block in find_blocks(markdown, _front_matter_lines(page, markdown)):
            token = f"SOCRATIQBLOCK{len(self.build.blocks)}X"
            try:
                self._replace(block, token, page, files)
            except BlockError as error:
                raise PluginError(f"socratiq: {error}") from None
            replaced.append((block, token))
            self.build.pages.add(page.file.src_uri)
        for block, token in reversed(replaced):
            lines[block.start : block.end + 1] = ["", block.indent + token, ""]
        return "\n".join(lines)

    def _replace(self, block: Block, token: str, page: Page, files: Files) -> None:
        """Record the HTML that takes the block's place."""
        if block.kind == "quiz-dashboard":  # filled in once every page's quizzes are known
            self.build.late.add(page.file.src_uri)
            self.build.blocks[token] = DASHBOARD
            return
        if block.kind == "quiz-progress":  # likewise
            marker = f"<!-- socratiq-progress {len(self.build.progress)} -->"
            chapters = read_progress(block, page.file.src_uri)
            self.build.progress[marker] = ProgressBlock(page.file.src_uri, block.line, chapters)
            self.build.late.add(page.file.src_uri)
            self.build.blocks[token] = marker
            return
        read = read_block(block, page.file.src_uri)
        if isinstance(read, QuizReference):
            url, quiz = self._quiz_file(read, block, page, files)
            format_name, section, show_title = read.format_name, read.section, read.show_title
        else:
            quiz, format_name, section, show_title = read, "native", None, True
            url = self._inline(read, block, page)
        book_quiz = self.build.quizzes.setdefault(url, BookQuiz(url, format_name))
        self.build.used.setdefault(page.file.src_uri, []).append(book_quiz)
        if quiz.chapter is not None:
            self.build.chapters.setdefault(page.file.src_uri, []).append(quiz.chapter)
        try:
            self.build.blocks[token] = prerender(
                quiz,
                src=get_relative_url(url, page.url),
                bundle=get_relative_url(self.config.bundle_dir + "/", page.url),
                section=section,
                format_name=format_name,
                show_title=show_title,
                t=self.texts,
            )
        except PrerenderError as error:
            raise BlockError(page.file.src_uri, block.line, str(error)) from None

    def _quiz_file(
        self, ref: QuizReference, block: Block, page: Page, files: Files
    ) -> tuple[str, Quiz]:
        """The site url of the quiz file a block names, and its quiz, checked."""
        here = "" if ref.src.startswith("/") else posixpath.dirname(page.file.src_uri)
        path = posixpath.normpath(posixpath.join(here, ref.src.lstrip("/")))
        found = files.get_file_from_path(path)
        if found is None:
            raise BlockError(page.file.src_uri, block.line, f"no quiz file {path} in the docs")
        try:
            return found.url, read_quiz(found.content_string, found.src_uri, ref.format_name)
        except PrerenderError as error:
            raise BlockError(page.file.src_uri, block.line, str(error)) from None

    def _inline(self, quiz: Quiz, block: Block, page: Page) -> str:
        """The site url an inline quiz is written to; its id must be the book's only one."""
        earlier = self.build.inline.get(quiz.id)
        if earlier is not None and earlier != quiz:
            raise BlockError(page.file.src_uri, block.line, f"another quiz has the id {quiz.id}")
        self.build.inline[quiz.id] = quiz
        return posixpath.join(self.config.inline_dir.strip("/"), f"{quiz.id}.json")

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        for token, placeholder in self.build.blocks.items():
            if token in html:
                html = html.replace(f"<p>{token}</p>", placeholder).replace(token, placeholder)
        return html

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Every page is read: a progress block naming a chapter no quiz has fails the build."""
        known = self.build.book_chapters()
        if self.config.nav_progress and not known:
            problem = "nav_progress: no quiz of the book names its chapter (`chapter` in the quiz)"
            raise PluginError(f"socratiq: {problem}")
        for block in self.build.progress.values():
            missing = [c for c in block.chapters if c not in known]
            if not known or missing:
                problem = (
                    f"no quiz of the book is in chapter {', '.join(missing)} "
                    f"(the book's chapters: {', '.join(known)})"
                    if known
                    else "no quiz of the book names its chapter (`chapter` in the quiz)"
                )
                raise PluginError(f"socratiq: {block.page}:{block.line}: {problem}")
        return env

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.config.nav_progress:
            html = self._progress(ProgressBlock(page.file.src_uri, 0, []), page)  # every chapter
            context["socratiq_progress"] = html  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.build.late:
            output = output.replace(DASHBOARD, self._dashboard(page))
            for marker, block in self.build.progress.items():
                output = output.replace(marker, self._progress(block, page))
        if page.file.src_uri not in self.build.pages and not self.every_page:
            return output
        src = get_relative_url(self.config.bundle_dir + "/socratiq.js", page.url)
        tag = element("script", {"src": src, "data-book": self.config.book, "async": ""})
        head = output.find("</head>")
        return output[:head] + tag + "\n" + output[head:] if head >= 0 else tag + output

    def _book_files(self, page: Page) -> str:
        """Every quiz file of the book, relative to the page: what dashboards and progress
        elements count."""
        return " ".join(
            ("mlsysbook:" if q.format_name == "mlsysbook" else "")
            + get_relative_url(q.url, page.url)
            for q in self.build.book_quizzes()
        )

    def _dashboard(self, page: Page) -> str:
        return element(
            "div", {"class": "socratiq-dashboard", "data-quizzes": self._book_files(page)}
        )

    def _progress(self, block: ProgressBlock, page: Page) -> str:
        chapters = block.chapters or self.build.book_chapters()
        one = len(block.chapters) == 1
        attributes = {
            "class": "socratiq-progress",
            "data-chapter": chapters[0] if one else None,
            "data-chapters": None if one else " ".join(chapters),
            "data-quizzes": self._book_files(page),
        }
        return element("div", attributes)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        for quiz_id, quiz in self.build.inline.items():
            target = site / self.config.inline_dir.strip("/") / f"{quiz_id}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                quiz.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8"
            )
        target = site / self.config.bundle_dir
        if read_manifest(target) != read_manifest(self.bundle):  # `mkdocs serve`: copy once
            try:
                write_bundle(self.bundle, target)
            except BundleError as error:
                raise PluginError(f"socratiq: {error}") from None


def _in_nav_order(nav: list[str], pages: dict[str, list[T]]) -> list[T]:
    """What `pages` lists, page by page in the nav's order (pages not in it after), once each."""
    order = [*nav, *sorted(set(pages) - set(nav))]
    return list(dict.fromkeys(item for page in order for item in pages.get(page, [])))


def _bundle_source(configured: str | None) -> Path:
    """The bundle to copy: the configured folder, the installed package's, or the checkout's."""
    folder = Path(configured) if configured else packaged_bundle() or CHECKOUT_BUNDLE
    if read_manifest(folder) is None:
        raise PluginError(
            f"socratiq: no browser bundle in {folder} (no manifest.json): install the "
            "socratiq-local wheel that carries it, run ./build.sh bundle in a checkout, or "
            "set bundle_source"
        )
    return folder


def _front_matter_lines(page: Page, markdown: str) -> int:
    """The lines MkDocs took off the top of the page's file (its YAML front matter), so an
    error names the line in the author's file."""
    source, content = page.file.content_string, markdown.strip()
    at = source.find(content) if content else -1
    if at < 0:
        return 0
    return source.count("\n", 0, at) - markdown.count("\n", 0, markdown.find(content))
