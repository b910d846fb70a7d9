"""The Quarto extension: its Lua filter (package data, quarto_extension/) and the Python it runs.

`socratiq-local quarto-extension` writes the filter into a book as `_extensions/socratiq/`.
The filter finds a page's blocks (`::: {.quiz file=…}`, `::: {.quiz-dashboard}`,
`::: {.quiz-progress}` and the MkDocs plugin's fenced ```` ```quiz ```` blocks) and hands them to
`socratiq-local quarto-filter`, once per page, which draws them here with the engine's own
renderer (prerender.py) and reads them with the MkDocs plugin's reader (quiz_blocks.py). Why
Python and not Lua: the quiz is checked and drawn by the very code the reader's browser runs,
and a broken quiz is reported as the other generators report it, naming the page's line.

Each pandoc run sees one page, so what concerns the whole book is found from the sources: a
dashboard lists every quiz file that any page of the book names. The filter's answer goes back
as NUL-separated fields (pandoc 2.17's Lua has no JSON): `ok`, the script tag, then each
block's HTML in order; or `error` and the message that stops the build.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .. import __version__
from ..i18n import Texts
from ..packaged_bundle import BundleError, packaged_bundle, read_manifest, write_bundle
from ..quiz.models import Quiz
from ..render.markup import element
from .prerender import PrerenderError, QuizFormat, prerender, read_quiz
from .quiz_blocks import Block, BlockError, BlockKind, QuizReference, find_blocks, read_block

#: The extension's files, as the wheel carries them.
EXTENSION = Path(__file__).with_name("quarto_extension")
#: In a development checkout (an editable install carries no bundle): `./build.sh bundle`.
CHECKOUT_BUNDLE = Path(__file__).resolve().parents[3] / "web" / "dist"
#: Where quizzes written in a page are published, under the site's root (as MkDocs does).
INLINE_FOLDER = "quizzes/inline"
#: A fenced div's opening line naming one of our classes: `::: {.quiz file="…"}`.
_DIV = re.compile(r"^\s*:{3,}\s*\{(?P<attributes>[^}]*)\}")
_CLASS = re.compile(r"(?:^|\s)\.(quiz|quiz-dashboard|quiz-progress)(?=\s|$)")
_ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_SOURCES = ("*.qmd", "*.md")


class PageError(ValueError):
    """Every broken block of a page, one per line: the build stops with it."""


def write_extension(folder: Path) -> Path:
    """Write the extension into a book's folder; returns `folder/_extensions/socratiq`."""
    target = folder / "_extensions" / "socratiq"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(EXTENSION.iterdir()):
        if source.suffix in (".yml", ".lua"):
            text = source.read_text(encoding="utf-8").replace("{version}", __version__)
            (target / source.name).write_text(text, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Found:
    """A block as the filter found it in pandoc's document: its kind, its form and its text:
    a fenced `div`'s attributes as JSON, a `code` block's text, or (`div-code`) the text of
    the code block in a div without attributes (a quiz written in the page)."""

    kind: str
    form: str
    text: str


@dataclass(frozen=True)
class Written:
    """A block as written in the page's source: what the filter's block is matched with, to
    name the author's line."""

    kind: str
    form: str
    line: int
    text: str


@dataclass
class Page:
    """One page being built, and the book around it."""

    source: Path
    project: Path
    book: str = ""
    bundle: str = "socratiq"
    texts: Texts = field(default_factory=Texts)
    site: Path | None = None
    mlsysbook: str | None = None
    chapter_quiz: str | None = None
    bundle_source: Path | None = None

    @property
    def path(self) -> PurePosixPath:
        """The page's source, relative to the book's root."""
        try:
            relative = self.source.resolve().relative_to(self.project.resolve())
        except ValueError:
            return PurePosixPath(self.source.name)
        return PurePosixPath(relative.as_posix())

    @property
    def offset(self) -> str:
        """The way from the page up to the book's root ("" or "../…/")."""
        return "../" * (len(self.path.parts) - 1)


def page_reply(page: Page, found: Sequence[Found]) -> str:
    """The filter's answer for a page: `ok`, the script tag, each block's HTML; or `error`
    and every problem, one per line (file and line first)."""
    try:
        html = draw_page(page, found)
        script = script_tag(page)
    except PageError as error:
        return f"error\0{error}"
    return "\0".join(["ok", script, *html])


def draw_page(page: Page, found: Sequence[Found]) -> list[str]:
    """Each block's HTML, its quiz checked; the page's quiz files published into the site."""
    written = list(_written_blocks(_read_text(page.source)))
    drawn: list[str] = []
    problems: list[str] = []
    inline: dict[str, Quiz] = {}
    used: list[str] = []
    at = 0
    for block in found:
        line, at = _line_of(block, written, at)
        try:
            drawn.append(_draw(page, block, line, inline, used))
        except BlockError as error:  # the line only where the source shows the block
            where = f"{page.source}:{error.line}" if line and error.line else str(page.source)
            problems.append(f"{where}: {error.problem}")
    if problems:
        raise PageError("\n".join(problems))
    _publish(page, inline, used)
    return drawn


def _draw(
    page: Page,
    found: Found,
    line: int | None,
    inline: dict[str, Quiz],
    used: list[str],
) -> str:
    if found.kind == "quiz-dashboard":
        return element("div", {"class": "socratiq-dashboard", "data-quizzes": _listed(page, found)})
    if found.kind == "quiz-progress":
        options = _div_options(found)
        attributes = {
            "class": "socratiq-progress",
            "data-chapter": options.get("chapter"),
            "data-chapters": options.get("chapters"),
            "data-quizzes": _listed(page, found),
        }
        return element("div", attributes)
    block = _block(found, line)
    read = read_block(block, str(page.source))
    if isinstance(read, QuizReference):
        path, quiz = _quiz_file(page, read, block)
        format_name, section, show_title = read.format_name, read.section, read.show_title
    else:
        earlier = inline.setdefault(read.id, read)
        if earlier != read:
            raise BlockError(str(page.source), block.line, f"another quiz has the id {read.id}")
        path, quiz = f"{INLINE_FOLDER}/{read.id}.json", read
        format_name, section, show_title = "native", None, True
    used.append(path)
    try:
        return prerender(
            quiz,
            src=_from_page(page, path),
            bundle=page.offset + page.bundle.strip("/") + "/",
            section=section,
            format_name=format_name,
            show_title=show_title,
            t=page.texts,
        )
    except PrerenderError as error:
        raise BlockError(str(page.source), block.line, str(error)) from None


def _block(found: Found, line: int | None) -> Block:
    """The block as the MkDocs plugin's reader takes it: a div's attributes become the fenced
    block's keys (`file` is `src`; `title="false"` a boolean)."""
    kind: BlockKind = "quiz"
    start = (line or 1) - 1
    if found.form != "div":
        return Block(kind, start, start, "", found.text)
    options: dict[str, object] = dict(_div_options(found))
    if "file" in options:
        options.setdefault("src", options.pop("file"))
    if "title" in options:
        options["title"] = {"true": True, "false": False}.get(str(options["title"]), "?")
    if "src" not in options:
        raise BlockError("", line or 0, 'a quiz div names its quiz file: {.quiz file="…"}')
    return Block(kind, start, start, "", json.dumps(options))


def _div_options(found: Found) -> dict[str, str]:
    if found.form != "div":
        return {}
    options: dict[str, str] = json.loads(found.text)
    return options


def _quiz_file(page: Page, ref: QuizReference, block: Block) -> tuple[str, Quiz]:
    """The quiz file a block names (relative to the page, or to the book's root with a
    leading `/`): its path from the book's root, and its quiz, checked."""
    path = _book_path(page.path, ref.src)
    if path.startswith("../"):
        raise BlockError(str(page.source), block.line, f"{ref.src} is outside the book")
    try:
        text = (page.project / path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise BlockError(
            str(page.source), block.line, f"{ref.src}: cannot read: {reason}"
        ) from None
    try:
        return path, read_quiz(text, ref.src, ref.format_name)
    except PrerenderError as error:
        raise BlockError(str(page.source), block.line, str(error)) from None


def _book_path(page: PurePosixPath, src: str) -> str:
    """A path written in a page, from the book's root."""
    here = "" if src.startswith("/") else page.parent.as_posix()
    return posixpath.normpath(posixpath.join(here, src.lstrip("/")))


def _from_page(page: Page, path: str) -> str:
    """A path from the book's root, as the page reaches it."""
    return posixpath.relpath(path, page.path.parent.as_posix() or ".")


def _listed(page: Page, found: Found) -> str:
    """A dashboard's or progress element's `data-quizzes`: as the div says (`quizzes=`), else
    every quiz file of the book, as the page reaches them."""
    options = _div_options(found)
    if "quizzes" in options:
        return options["quizzes"]
    entries = book_quizzes(page.project, mlsysbook=page.mlsysbook == "true")
    return " ".join(
        ("mlsysbook:" if format_name == "mlsysbook" else "") + _from_page(page, path)
        for path, format_name in entries
    )


def book_quizzes(project: Path, *, mlsysbook: bool = False) -> list[tuple[str, QuizFormat]]:
    """Every quiz file the book's pages name (`.qmd` and `.md`, but not in folders Quarto
    skips, starting with `_` or `.`), from the book's root, by page file name; with
    `mlsysbook`, each chapter's `quiz:` file too. Broken blocks are skipped: their own page's
    build reports them."""
    found: dict[str, QuizFormat] = {}
    pages = sorted(p for pattern in _SOURCES for p in project.rglob(pattern))
    for source in pages:
        relative = PurePosixPath(source.relative_to(project).as_posix())
        if any(part.startswith(("_", ".")) for part in relative.parts):
            continue
        text = _read_text(source)
        if mlsysbook:
            chapter = _front_matter(text).get("quiz")
            if isinstance(chapter, list) and chapter:
                chapter = chapter[0]
            if isinstance(chapter, str):
                found.setdefault(_book_path(relative, chapter), "mlsysbook")
        for block in _written_blocks(text):
            if block.kind != "quiz":
                continue
            try:
                read = read_block(_block(Found("quiz", block.form, block.text), block.line), "")
            except BlockError:
                continue
            if isinstance(read, QuizReference):
                found.setdefault(_book_path(relative, read.src), read.format_name)
            else:
                found.setdefault(f"{INLINE_FOLDER}/{read.id}.json", "native")
    return list(found.items())


def _written_blocks(text: str) -> Iterator[Written]:
    """The page's blocks as written, in order: fenced ```` ```quiz ```` blocks (found as the
    MkDocs plugin finds them) and fenced divs with one of our classes (outside code)."""
    fences = {block.start: block for block in find_blocks(text)}
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        if index in fences:
            block = fences[index]
            yield Written(block.kind, "code", block.line, block.body)
        code = _CODE_FENCE.match(line)
        if code is not None:  # code opens, or closes with a bare fence at least as long
            marker = code.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence) and not line.strip(fence[0] + " \t"):
                fence = None
            continue
        div = _DIV.match(line) if fence is None else None
        kind = _CLASS.search(div["attributes"]) if div is not None else None
        if div is not None and kind is not None:
            attributes = {
                m[1]: m[2] or m[3] or m[4] for m in _ATTRIBUTE.finditer(div["attributes"])
            }
            yield Written(kind[1], "div", index + 1, json.dumps(attributes))


def _line_of(found: Found, written: Sequence[Written], start: int) -> tuple[int | None, int]:
    """The source line of a block the filter found (None if the source has no such block, as
    for one that an include brought in), and where to look for the next."""
    for index in range(start, len(written)):
        candidate = written[index]
        if candidate.kind != found.kind or candidate.form != found.form.removesuffix("-code"):
            continue
        if found.form == "code" and candidate.text.strip() != found.text.strip():
            continue
        if found.form == "div" and json.loads(candidate.text) != json.loads(found.text):
            continue
        return candidate.line, index + 1
    return None, start


def _front_matter(text: str) -> dict[str, object]:
    """A page's YAML front matter (empty if it has none, or none that reads)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    try:
        data = yaml.safe_load(text[3:end]) if end > 0 else None
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # pandoc reads from stdin, say: the blocks then have no line


def script_tag(page: Page) -> str:
    """The page script, relative to the page, with the book and the MLSysBook chapter file."""
    attributes = {
        "src": page.offset + page.bundle.strip("/") + "/socratiq.js",
        "data-book": _slug(page.book),
        "data-mlsysbook": _mlsysbook_file(page),
        "async": "",
    }
    return element("script", attributes)


def _mlsysbook_file(page: Page) -> str | None:
    """`data-mlsysbook`: a pattern as configured, or (`mlsysbook: true`) the chapter's own
    `quiz:` file, checked."""
    if page.mlsysbook in (None, "false"):
        return None
    if page.mlsysbook != "true":
        return page.mlsysbook
    if page.chapter_quiz is None:
        return None
    path = _book_path(page.path, page.chapter_quiz)
    try:
        read_quiz((page.project / path).read_text(encoding="utf-8-sig"), path, "mlsysbook")
    except (OSError, UnicodeDecodeError, PrerenderError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PageError(f"{page.source}: quiz: {page.chapter_quiz}: {reason}") from None
    _publish(page, {}, [path])
    return _from_page(page, path)


def _slug(name: str) -> str:
    """The storage namespace from a book's title: lower case, dashed."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "default"


def _publish(page: Page, inline: dict[str, Quiz], paths: Sequence[str]) -> None:
    """Into the site (when its folder is known): the quiz files the page uses, the quizzes
    written in it, and the bundle, copied once."""
    if page.site is None:
        if inline:
            raise PageError(f"{page.source}: a quiz written in the page needs an output file (-o)")
        return
    for path in paths:
        source, target = page.project / path, page.site / path
        if source.resolve() != target.resolve() and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for quiz_id, quiz in inline.items():
        target = page.site / INLINE_FOLDER / f"{quiz_id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(quiz.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    bundle = page.bundle_source or packaged_bundle() or CHECKOUT_BUNDLE
    target = page.site / page.bundle.strip("/")
    if read_manifest(bundle) is None:
        raise PageError(
            f"no socratiq bundle in {bundle}: install the socratiq-local wheel that carries"
            " it, run ./build.sh bundle in a checkout, or set socratiq: bundle-source:"
        )
    if read_manifest(target) != read_manifest(bundle):
        try:
            write_bundle(bundle, target)
        except BundleError as error:
            raise PageError(f"socratiq: {error}") from None


def site_of(project: Path, source: Path, site: str | None, output: str | None) -> Path | None:
    """The built site's root: Quarto's output folder, else found from pandoc's output file
    (the page written where its source is, under the site), else unknown (stdout)."""
    if site:
        return Path(site)
    if not output or output == "-":
        return None
    depth = len(Page(source, project).path.parts) - 1
    root = Path(output).parent
    for _ in range(depth):
        root = root.parent
    return root
