"""Pre-rendered quizzes: the placeholder an author's page carries, with the quiz already in it.

A site generator (or an author pasting `socratiq-local prerender`'s output) writes this HTML
where today's empty `<div class="socratiq-quiz">` goes. The quiz is drawn by the renderer the
engine uses, in a neutral order (as written; no learner's shuffle) with its controls disabled,
so it reads at first paint with no script and is in the page's source for search engines.
Each question has a "Reveal answer" that works with no Python. The page's script later swaps in
the engine's drawing (the learner's shuffle and answers) in place, at the same height.

Why a declarative shadow root (`<template shadowrootmode="open">`): the quiz then sits in the
same shadow root, under the same stylesheet and `.sq-root`, as the engine's drawing, so the
first paint already looks like the interactive quiz and the swap does not move the page. Every
current engine parses it (Chromium 111, Safari 16.4, Firefox 123); where a browser (or a
single-page site inserting pages with `innerHTML`) leaves the template unparsed, the page's
script attaches it itself. Only a browser both without declarative shadow DOM and without
script shows nothing, as it would without pre-rendering.
"""

from __future__ import annotations

from typing import Literal

from ..i18n import ENGLISH, Texts
from ..quiz.checks import QuizFileError, load_quiz
from ..quiz.models import Quiz
from ..quiz.shuffle import questions_for
from ..render.markup import element, escape, open_tag
from ..render.question import render_quiz
from ..render.rings import Unanswered, ring_svg
from .locate import describe_errors

#: The formats a placeholder's `data-format` names, as the page reads them.
QuizFormat = Literal["native", "mlsysbook"]
#: The seed of the neutral order: it picks a quiz's `subset` and scrambles ordering items,
#: the same on every build.
NEUTRAL_SEED = "prerender"
#: The element id prefix of the static drawing (the engine's are sq1, sq2, ...).
INSTANCE = "sq0"


class PrerenderError(ValueError):
    """A quiz that cannot be pre-rendered, said in one sentence."""


def read_quiz(text: str, source: str, format_name: QuizFormat = "native") -> Quiz:
    """The quiz in a file's text, read as the page's engine reads it (`data-format`); a
    PrerenderError naming the file's line of each problem otherwise."""
    if format_name == "mlsysbook":
        from ..importers.mlsysbook import read_mlsysbook
        from ..importers.report import ImportFailed

        try:
            report = read_mlsysbook(text, source)
        except ImportFailed as error:
            raise PrerenderError(str(error)) from None
        if not report.quizzes:
            raise PrerenderError(f"{source} has no questions to show.")
        return report.quizzes[0]
    try:
        return load_quiz(text, source)
    except QuizFileError as error:  # each problem at its line of the file
        raise PrerenderError(describe_errors(error, text)) from None


def stylesheet_url(bundle: str) -> str:
    """The bundle's stylesheet, for a bundle folder given with or without its final slash."""
    if not bundle:
        return "styles.css"
    return bundle + ("styles.css" if bundle.endswith("/") else "/styles.css")


def _loading_line(total: int, t: Texts) -> str:
    """The quiz's progress line, saying it is loading: where the engine puts the reader's
    progress ("0 of 3 answered"), so the hint takes no room of its own. The page writes its
    notice here if the engine cannot start."""
    words = element(
        "span",
        {"class": "sq-progress-words", "data-sq-static-status": "", "aria-live": "polite"},
        escape(t("prerender.loading")),
    )
    return element("p", {"class": "sq-progress-line"}, ring_svg(Unanswered(total), size=24) + words)


def prerender(
    quiz: Quiz,
    *,
    src: str,
    bundle: str,
    section: str | None = None,
    format_name: QuizFormat = "native",
    show_title: bool = True,
    show_meta: bool = False,
    t: Texts = ENGLISH,
) -> str:
    """The placeholder for `quiz` (read from `src`, relative to the page) with the quiz drawn
    inside it, for a page whose bundle folder is `bundle` (relative, like the script tag's).

    `section`: only that section's questions (`sec-…`, with or without `#`). `show_title`: the
    quiz's title and description, as the engine draws them on the first placeholder of a quiz
    file on a page (the page keeps whichever the HTML has). `t`: the language, which should be
    the page's (`data-lang` or `<html lang>`)."""
    section = (section or "").lstrip("#") or None
    neutral = quiz.model_copy(update={"shuffle_questions": False, "shuffle_choices": False})
    questions = questions_for(neutral, NEUTRAL_SEED, section)
    if not questions:
        raise PrerenderError(
            t("session.no_questions_in_section", title=quiz.title, section=section or "")
        )
    drawing = render_quiz(
        neutral,
        seed=NEUTRAL_SEED,
        section=section,
        instance=INSTANCE,
        t=t,
        show_title=show_title,
        show_meta=show_meta,
        progress=_loading_line(len(questions), t),
        static=True,
    )
    root = element(
        "div", {"class": "sq-root", "part": "root", "lang": t.code, "dir": t.dir}, drawing
    )
    stylesheet = open_tag("link", {"rel": "stylesheet", "href": stylesheet_url(bundle)})
    shadow = element("template", {"shadowrootmode": "open"}, stylesheet + root)
    attributes = {
        "class": "socratiq-quiz",
        "data-src": src,
        "data-section": section,
        "data-format": None if format_name == "native" else format_name,
        "data-show-meta": "" if show_meta else None,
    }
    return element("div", attributes, shadow)
