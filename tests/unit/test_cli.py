"""The authoring command line, run in-process: validate's lines, summary and exit code; schema."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local import cli
from socratiq_local.quiz.models import Quiz

DATA = Path(__file__).parent / "data" / "quizzes"
SAMPLES = Path(__file__).parents[2] / "quizzes"
EXPECTED_TYPES = (
    "single_choice, multiple_choice, true_false, fill_blank, short_answer, ordering, matching,"
    " numeric"
)


def run(capsys: pytest.CaptureFixture[str], *paths: str | Path) -> tuple[int, list[str]]:
    """Run `validate` on the paths: the exit status and the printed lines."""
    status = cli.main(["validate", *(str(p) for p in paths)])
    return status, capsys.readouterr().out.splitlines()


def write_quiz(path: Path, quiz_id: str, *question_ids: str) -> Path:
    questions = [
        {"id": q, "type": "true_false", "text": f"Is {q} true?", "answer": True}
        for q in question_ids
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"id": quiz_id, "title": quiz_id, "questions": questions}))
    return path


def test_a_broken_file_gets_one_line_per_problem_and_exit_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = DATA / "broken.json"
    status, lines = run(capsys, source)
    assert status == 1
    assert lines == [
        f"{source}: questions[0].choices: error:"
        " List should have at least 2 items after validation, not 1",
        f"{source}: questions[1].choices[0].text: error: String should have at least 1 character",
        f'{source}: questions[2].type: error: unknown question type "essay";'
        f" expected one of: {EXPECTED_TYPES}",
        f'{source}: questions[3]: error: missing "type"; expected one of: {EXPECTED_TYPES}',
        f"{source}: questions[4].answer: error: Input should be a valid boolean",
        f'{source}: questions[4].hnit: error: unknown field; did you mean "hint"?',
        f"{source}: questions[5]: error: a range needs both min and max",
        f"{source}: colour: error: unknown field",
        f"{source}: questions[6].choices: error: 2 choices are marked correct but a"
        " single_choice question has one; use multiple_choice",
        "1 file, 0 questions: 9 errors, 0 warnings",
    ]


def test_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    source = DATA / "warnings.json"
    status, lines = run(capsys, source)
    assert status == 0
    assert lines == [
        f"{source}: questions[0].choices: warning: no choice is marked correct",
        f"{source}: questions[1].blanks: warning:"
        " the text has 2 blank(s) (____) but blanks lists 1",
        f"{source}: questions[2].pairs[1].right: warning: the same right-hand text as"
        " pairs[0].right; learners cannot tell them apart",
        f"{source}: subset: warning: subset is 9 but the quiz has only 3 question(s)",
        "1 file, 3 questions: 0 errors, 4 warnings",
    ]


def test_ids_used_twice_are_errors_that_name_the_id(capsys: pytest.CaptureFixture[str]) -> None:
    source = DATA / "duplicates.json"
    status, lines = run(capsys, source)
    assert status == 1
    assert lines[:2] == [
        f'{source}: questions[0].choices[1].id: error: duplicate choice id "a" (also choices[0])',
        f'{source}: questions[1].id: error: duplicate question id "q1" (also questions[0])',
    ]
    assert lines[2].startswith(
        f"{source}: questions[3]: error: same content as questions[2], so the same derived"
        ' question id "q-'
    )
    assert lines[2].endswith('"; give one an id')
    assert lines[3] == "1 file, 4 questions: 3 errors, 0 warnings"


def test_a_folder_is_searched_recursively_in_sorted_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write_quiz(tmp_path / "b.json", "b", "q-b")
    write_quiz(tmp_path / "a" / "z.json", "az", "q-az", "q-az2")
    (tmp_path / "quiz.schema.json").write_text("not a quiz")
    (tmp_path / "notes.txt").write_text("not a quiz")
    (tmp_path / "c.json").write_text("[]")
    status, lines = run(capsys, tmp_path)
    assert status == 1
    assert lines == [
        f"{tmp_path / 'c.json'}: error: the top level must be a JSON object, not a list",
        "3 files, 3 questions: 1 error, 0 warnings",
    ]


def test_ids_reused_across_files_are_warnings_on_the_later_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = write_quiz(tmp_path / "1.json", "same", "shared", "own")
    second = write_quiz(tmp_path / "2.json", "same", "shared")
    status, lines = run(capsys, tmp_path)
    assert status == 0
    assert lines == [
        f'{second}: id: warning: quiz id "same" is also used by {first}',
        f'{second}: questions[0].id: warning: question id "shared" is also used in'
        f" {first} questions[0]",
        "2 files, 3 questions: 0 errors, 2 warnings",
    ]


def test_a_file_named_twice_is_checked_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    quiz = write_quiz(tmp_path / "a.json", "a", "q")
    status, lines = run(capsys, quiz, tmp_path, tmp_path / "." / "a.json")
    assert (status, lines) == (0, ["1 file, 1 question: 0 errors, 0 warnings"])


def test_paths_that_are_not_quiz_files_get_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    (tmp_path / "blank.json").write_bytes(b"")
    (tmp_path / "latin1.json").write_bytes(b'{"title": "caf\xe9"}')
    syntax = '{\n  "id": "x",\n  "title": "t",\n}'
    (tmp_path / "syntax.json").write_text(syntax)
    with pytest.raises(json.JSONDecodeError) as parser:  # its wording varies across Pythons
        json.loads(syntax)
    error = parser.value
    status, lines = run(
        capsys,
        tmp_path / "missing.json",
        empty_folder,
        tmp_path / "blank.json",
        tmp_path / "latin1.json",
        tmp_path / "syntax.json",
    )
    assert status == 1
    assert lines == [
        f"{tmp_path / 'missing.json'}: error: no such file or folder",
        f"{empty_folder}: warning: no quiz files (*.json) in this folder",
        f"{tmp_path / 'blank.json'}: error: the file is empty",
        f"{tmp_path / 'latin1.json'}: line 1, column 15: error:"
        " not UTF-8 text: byte 0xe9 cannot be decoded",
        f"{tmp_path / 'syntax.json'}: line {error.lineno}, column {error.colno}: error:"
        f" invalid JSON: {error.msg}",
        "4 files, 0 questions: 4 errors, 1 warning",
    ]


def test_a_file_too_large_is_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = write_quiz(tmp_path / "a.json", "a", "q")
    monkeypatch.setattr(cli, "MAX_FILE_BYTES", 10)
    size = quiz.stat().st_size
    status, lines = run(capsys, quiz)
    assert status == 1
    assert lines[0] == f"{quiz}: error: the file is too large ({size} bytes; the limit is 10)"


def test_the_sample_quizzes_validate_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(capsys, SAMPLES)
    assert status == 0
    assert lines[-1].startswith("3 files, ")
    assert lines[-1].endswith(" questions: 0 errors, 0 warnings")
    assert len(lines) == 1


def test_schema_prints_the_quiz_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("}\n")
    assert json.loads(out) == Quiz.model_json_schema()
    assert out == json.dumps(json.loads(out), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_committed_schema_is_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["schema"])
    committed = (SAMPLES / "quiz.schema.json").read_text(encoding="utf-8")
    assert committed == capsys.readouterr().out, (
        "regenerate it: socratiq-local schema > quizzes/quiz.schema.json"
    )


@pytest.mark.parametrize("args", [[], ["validate"], ["frobnicate"]])
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2
    assert "usage: socratiq-local" in capsys.readouterr().err


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.one_of(json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200)))
def test_any_file_content_exits_0_or_1_without_a_traceback(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "quiz.json"
        path.write_bytes(content)
        assert cli.validate([path]) in (0, 1)


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses under Pyodide")
def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "socratiq_local", "validate", str(DATA / "warnings.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.endswith("1 file, 3 questions: 0 errors, 4 warnings\n")
    assert done.stderr == ""


MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook"


def test_import_mlsysbook_writes_valid_quizzes_and_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = sorted(str(p) for p in MLSYSBOOK.glob("*_quizzes.json"))
    assert cli.main(["import", "--from", "mlsysbook", *inputs, "-o", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(
        "vol1_introduction_quizzes.json: 45 questions in 1 quiz(zes) (3 fill_blank, 2 ordering,"
        " 18 short_answer, 16 single_choice, 6 true_false)"
    )
    assert lines[-1] == f"wrote {tmp_path / 'out' / 'vol2_conclusion.json'} (24 questions)"
    assert cli.main(["validate", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 files, 69 questions: 0 errors, 0 warnings"


def test_import_writes_nothing_when_any_input_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad_quizzes.json"
    bad.write_text('{"sections": [{"quiz_data": {}}]}', encoding="utf-8")
    broken = tmp_path / "broken_quizzes.json"
    broken.write_text('{"sections": [', encoding="utf-8")
    good = str(MLSYSBOOK / "vol2_conclusion_quizzes.json")
    out = tmp_path / "out"
    assert (
        cli.main(["import", "--from", "mlsysbook", good, str(bad), str(broken), "-o", str(out)])
        == 1
    )
    lines = capsys.readouterr().out.splitlines()
    assert f"{bad}: sections[0].section_id: error: Field required" in lines
    assert f"{broken}: line 1, column 15: error: Expecting value" in lines
    assert lines[-1] == "nothing written: 2 errors"
    assert not out.exists()


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses under Pyodide")
def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # the same ids in every file: two warning lines each, far more than a pipe's buffer
    many = [write_quiz(tmp_path / f"q{i}.json", "same", "x") for i in range(1500)]
    command = [sys.executable, "-m", "socratiq_local", "validate", *map(str, many)]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    assert "Traceback" not in reader.stderr.read().decode()
    reader.wait(30)
