"""Every importer, given random bytes, a real file cut short, or a real file mutated: it never
raises anything but ImportFailed, says where each problem is, and what it imports passes the
checks a hand-written quiz file passes."""

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.importers.jupyterquiz import read_jupyterquiz
from socratiq_local.importers.mlsysbook import read_mlsysbook
from socratiq_local.importers.native import read_native
from socratiq_local.importers.quizdown import read_quizdown
from socratiq_local.importers.report import ImportFailed, ImportReport
from socratiq_local.quiz.checks import check_quiz_data

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[2]
README = DATA / "quizdown" / "README.md"
Reader = Callable[[str, str], ImportReport]

#: Each importer with the real files its inputs are made from.
IMPORTERS: dict[str, tuple[Reader, list[Path]]] = {
    "jupyterquiz": (read_jupyterquiz, sorted((DATA / "jupyterquiz").glob("*.json"))),
    "quizdown": (read_quizdown, sorted(set((DATA / "quizdown").glob("*.md")) - {README})),
    "mlsysbook": (read_mlsysbook, [DATA / "mlsysbook" / "vol2_conclusion_quizzes.json"]),
    "native": (read_native, [ROOT / "quizzes" / "serving.json"]),
}
TEXTS = {
    name: [p.read_text(encoding="utf-8") for p in paths] for name, (_, paths) in IMPORTERS.items()
}
NAMES = sorted(IMPORTERS)


def holds(name: str, text: str) -> None:
    """The property: ImportFailed with a place or a reason, or a report whose every skipped
    question is located and whose quizzes check clean."""
    read = IMPORTERS[name][0]
    try:
        report = read(text, f"input.{'md' if name == 'quizdown' else 'json'}")
    except ImportFailed as failure:
        assert failure.location or failure.message
        return
    for item in report.inexact:
        assert item.reason and item.action
        assert item.location or not item.skipped
    for quiz in report.quizzes:
        data = quiz.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert [p for p in check_quiz_data(data) if p.severity == "error"] == [], quiz.id


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=400))
def test_random_bytes(name: str, raw: bytes) -> None:
    holds(name, raw.decode("utf-8", "replace"))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_real_files_cut_short(name: str, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(TEXTS[name]))
    holds(name, text[: data.draw(st.integers(0, len(text)))])


@st.composite
def _mutated(draw: st.DrawFn, text: str) -> str:
    """A real file with a few spans deleted, repeated or replaced by syntax of the format."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        piece = draw(
            st.sampled_from(
                [
                    "",
                    text[start:end] * 2,
                    "{",
                    "}",
                    "[",
                    "]",
                    ",",
                    '"',
                    "null",
                    "true",
                    "-1e999",
                    "\n# ",
                    "\n- [x] ",
                    "\n1. ",
                    "\n---\n",
                    "\n```\n",
                    "> ",
                    "\\",
                    "\n:::\n",
                ]
            )
        )
        text = text[:start] + piece + text[end:]
    return text


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_real_files_mutated(name: str, data: st.DataObject) -> None:
    holds(name, data.draw(_mutated(data.draw(st.sampled_from(TEXTS[name])))))


@pytest.mark.parametrize("name", NAMES)
def test_the_real_files_themselves_import_with_nothing_skipped(name: str) -> None:
    read, paths = IMPORTERS[name]
    for path, text in zip(paths, TEXTS[name], strict=True):
        report = read(text, path.name)
        assert report.quizzes and report.skipped == [], path


_PIECES = st.sampled_from(
    [
        "Prose.\n",
        "```quizdown\n",
        "````markdown\n",
        "```\n",
        "````\n",
        ":::{quizdown}\n",
        "::: {.quizdown}\n",
        ":::\n",
        ".. quizdown::\n\n",
        "   # Q?\n",
        '<div class="quizdown">\n',
        "</div>\n",
        "# Q?\n",
        "- [x] a\n",
        "- [ ] b\n",
        "1. [x] a\n",
        "1. b\n",
        "> hint\n",
        "---\n",
        "~~~\n",
        "\n",
        "```quiz\n",
        '{"id": "q", "title": "T", "questions": []}\n',
        "```{quiz} x.json\n",
    ]
)


@pytest.mark.parametrize("name", ["quizdown", "native"])
@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=25))
def test_pages_assembled_from_blocks_and_prose(name: str, pieces: list[str]) -> None:
    holds(name, "".join(pieces))
