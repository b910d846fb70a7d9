"""Quiz files of either format, told apart by their content: one dashboard over a whole book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socratiq_local.browser.formats import detect_format
from socratiq_local.browser.session import SessionError, read_quiz
from socratiq_local.formats import detect

from .test_browser_session import SERVING_TEXT, send_to_worker

MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook"
INTRODUCTION = (MLSYSBOOK / "vol1_introduction_quizzes.json").read_text(encoding="utf-8")
CONCLUSION = (MLSYSBOOK / "vol2_conclusion_quizzes.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SERVING_TEXT, "native"),
        (INTRODUCTION, "mlsysbook"),  # the older schema, without schema_version
        (CONCLUSION, "mlsysbook"),  # schema_version 2
        ('{"sections": [{"section_id": "#sec-a"}]}', "mlsysbook"),  # no section needs a quiz
        # ours, even with a "sections" word or key in it: it has questions
        (json.dumps({**json.loads(SERVING_TEXT), "sections": []}), "native"),
        ('{"title": "About \\"sections\\"", "questions": []}', "native"),
        ('{"sections": "none"}', "native"),
        ('{"sections": [1, 2]}', "native"),
        ('["sections"]', "native"),
        ('{"sections": [', "native"),  # broken JSON: our checks say where
        ("", "native"),
    ],
)
def test_a_files_format_is_told_by_its_shape(text: str, expected: str) -> None:
    assert detect_format(text) == expected


def test_auto_reads_an_mlsysbook_file_as_its_format_does() -> None:
    detected = read_quiz(INTRODUCTION, "vol1_introduction_quizzes.json")
    named = read_quiz(INTRODUCTION, "vol1_introduction_quizzes.json", "mlsysbook")
    assert detected == named
    assert detected.id == "vol1_introduction" and len(detected.questions) == 45
    assert read_quiz(SERVING_TEXT, "serving.json", "auto").id == "serving"


def test_an_mlsysbook_file_read_as_native_gets_a_message_naming_data_format() -> None:
    with pytest.raises(SessionError) as raised:
        read_quiz(CONCLUSION, "conclusion_quizzes.json", "native")
    message = str(raised.value)
    assert message.startswith("conclusion_quizzes.json is an MLSysBook chapter file")
    assert 'data-format="mlsysbook"' in message


def test_a_broken_native_file_still_gets_its_own_problems_and_an_unknown_format_is_named() -> None:
    bad = json.dumps({"id": "x", "title": "T", "questions": [{"type": "essay"}, {"type": "x"}]})
    with pytest.raises(SessionError) as raised:
        read_quiz(bad, "x.json")
    assert str(raised.value).startswith("This quiz file has a problem: x.json: questions[0]")
    assert "data-format" not in str(raised.value)
    with pytest.raises(SessionError, match="Unknown quiz format “gift”: use one of auto, native"):
        read_quiz(SERVING_TEXT, "serving.json", "gift")


def test_one_dashboard_counts_every_question_of_a_book_mixing_formats() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="mixed", writerId="w0")
    reply = send_to_worker(
        storage,
        op="progress",
        quizzes=[
            {"name": "quizzes/serving.json", "text": SERVING_TEXT},  # no format: detected
            {"name": "intro/introduction_quizzes.json", "text": INTRODUCTION},  # detected
            {"name": "conclusion_quizzes.json", "format": "mlsysbook", "text": CONCLUSION},
        ],
        elements=[{"chapter": "serving"}, {"chapter": "introduction"}, {"chapter": "conclusion"}],
    )
    assert reply["warnings"] == []
    serving, introduction, conclusion = reply["items"]
    assert "0 of 10 answered" in serving
    assert "0 of 45 answered" in introduction
    assert "0 of 24 answered" in conclusion
    dashboard = send_to_worker(storage, op="dashboard", instance="sqd")["html"]
    assert "0 answers" in dashboard and "Overview" in dashboard


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ('[{"question": "Q?", "type": "numeric", "answers": []}]', "q.json", "jupyterquiz"),
        ("# Q?\n\n- [x] a\n- [ ] b\n", "q.md", "quizdown"),
    ],
)
def test_a_foreign_quiz_file_on_a_page_gets_a_message_naming_data_format_and_the_import(
    text: str, name: str, found: str
) -> None:
    with pytest.raises(SessionError) as raised:
        read_quiz(text, name)
    message = str(raised.value)
    assert f"looks like a {found} quiz file" in message and "data-format" in message
    assert f"socratiq-local import --from {found}" in message


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("mlsysbook/vol1_introduction_quizzes.json", "mlsysbook"),
        ("jupyterquiz/documented.json", "jupyterquiz"),
        ("jupyterquiz/wrapped.json", "jupyterquiz"),
        ("quizdown/syntax.md", "quizdown"),
        ("gift/choices.gift", "gift"),
        ("quizzes/warnings.json", "native"),
    ],
)
def test_import_auto_tells_each_real_files_format(path: str, expected: str) -> None:
    text = (DATA / path).read_text(encoding="utf-8")
    assert detect(text, Path(path).name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("::Q1:: 2 + 2 = {=4 ~5}\n", "quiz.txt", "gift"),
        ("Capital? {=Paris ~Rome}\n\nSky blue? {T}\n", "bank", "gift"),
        ("Some notes {with braces}.\n", "notes.txt", None),
        ("Intro.\n\n```quizdown\n# Q?\n- [x] a\n```\n", "page.qmd", "quizdown"),
        ('<div class="quizdown">\n# Q?\n- [x] a\n</div>', "page.html", "quizdown"),
        ("# Title\n\n```quiz\nsrc: ch1.json\n```\n", "page.md", "native"),
        ('{"quizzes": []}', "ch_quizzes.json", "mlsysbook"),
        ('{"quizzes": []}', "other.json", None),
        ('{"type": "string", "question": "Q?", "answers": []}', "one.json", "jupyterquiz"),
        ("# Notes\n\nJust prose.\n", "notes.md", None),
        ("[1, 2]", "x.json", None),
    ],
)
def test_detection_settles_only_what_name_and_content_make_plain(
    text: str, name: str, expected: str | None
) -> None:
    assert detect(text, name) == expected
