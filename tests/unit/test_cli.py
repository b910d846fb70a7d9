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
        f"{source}:9: questions[0].choices: error:"
        " List should have at least 2 items after validation, not 1",
        f"{source}:14: questions[1].choices[0].text: error:"
        " String should have at least 1 character",
        f'{source}:16: questions[2].type: error: unknown question type "essay";'
        f" expected one of: {EXPECTED_TYPES}",
        f'{source}:17: questions[3]: error: missing "type"; expected one of: {EXPECTED_TYPES}',
        f"{source}:18: questions[4].answer: error: Input should be a valid boolean",
        f'{source}:18: questions[4].hnit: error: unknown field; did you mean "hint"?',
        f"{source}:19: questions[5]: error: a range needs both min and max",
        f"{source}:4: colour: error: unknown field",
        f"{source}:23: questions[6].choices: error: 2 choices are marked correct but a"
        " single_choice question has one; use multiple_choice",
        "1 file, 0 questions: 9 errors, 0 warnings",
    ]


def test_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    source = DATA / "warnings.json"
    status, lines = run(capsys, source)
    assert status == 0
    assert lines[:-3] == [
        f"{source}:10: questions[0].choices[1].id: warning:"
        ' duplicate choice id "a" (also choices[0])',
        f"{source}:10: questions[0].choices: warning: no choice is marked correct",
        f'{source}:13: questions[1].id: warning: duplicate question id "q1" (also questions[0])',
        f"{source}:16: questions[1].blanks: warning:"
        " the text has 2 blank(s) (____) but blanks lists 1",
        f"{source}:21: questions[2].pairs[1].right: warning: the same right-hand text as"
        " pairs[0].right; learners cannot tell them apart",
    ]
    assert lines[-3].startswith(f"{source}:24: questions[4]: warning: same content as questions[3]")
    assert (
        lines[-2] == f"{source}:4: subset: warning: subset is 9 but the quiz has only 5 question(s)"
    )
    assert lines[-1] == "1 file, 5 questions: 0 errors, 7 warnings"


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
        f'{second}:1: id: warning: quiz id "same" is also used by {first}',
        f'{second}:1: questions[0].id: warning: question id "shared" is also used in'
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
    assert done.stdout.endswith("1 file, 5 questions: 0 errors, 7 warnings\n")
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
    bad.write_text('{"sections": {}}', encoding="utf-8")
    broken = tmp_path / "broken_quizzes.json"
    broken.write_text('{"sections": [', encoding="utf-8")
    good = str(MLSYSBOOK / "vol2_conclusion_quizzes.json")
    out = tmp_path / "out"
    assert (
        cli.main(["import", "--from", "mlsysbook", good, str(bad), str(broken), "-o", str(out)])
        == 1
    )
    lines = capsys.readouterr().out.splitlines()
    assert f"{bad}: sections: error: Input should be a valid list" in lines
    assert f"{broken}: line 1, column 15: error: Expecting value" in lines
    assert lines[-1] == "nothing written: 2 errors"
    assert not out.exists()


SKIPPING = (
    '{"sections": [{"section_id": "#s", "quiz_data": {"questions": [{"question": "q"}, %s]}}]}'
)
TF = '{"question_type": "TF", "question": "True or False: x.", "answer": "True. Yes."}'


def test_a_skipped_question_is_reported_and_the_rest_written_with_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "ch_quizzes.json"
    source.write_text(SKIPPING % TF, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["import", "--from", "mlsysbook", str(source), "-o", str(out)]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"{source}: sections[0].quiz_data.questions[0].question_type: Field required; skipped"
        in lines
    )
    assert '    was: { "question": "q" }' in lines
    assert lines[-1] == "1 question skipped (listed above): exit status 3"
    assert len(json.loads((out / "ch.json").read_text(encoding="utf-8"))["questions"]) == 1


def test_strict_writes_nothing_when_a_question_would_be_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "ch_quizzes.json"
    source.write_text(SKIPPING % TF, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["import", "--strict", str(source), "-o", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{source}: read as mlsysbook (detected; name another with --from)"
    assert lines[-2] == (
        f"{source}: sections[0].quiz_data.questions[0].question_type: error: Field required"
        " (--strict: skipped is an error)"
    )
    assert lines[-1] == "nothing written: 1 error" and not out.exists()


def test_auto_names_what_it_detected_and_refuses_what_it_cannot_tell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text("Intro.\n\n```quizdown\n# Q?\n- [x] a\n- [ ] b\n```\n", encoding="utf-8")
    prose = tmp_path / "notes.txt"
    prose.write_text("Just some notes.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["import", str(page), "-o", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{page}: read as quizdown (detected; name another with --from)",
        f"{page}: 1 questions in 1 quiz(zes) (1 multiple_choice)",
        f"wrote {out / 'page.json'} (1 question)",
    ]
    assert cli.main(["import", str(prose), "-o", str(out)]) == 1
    assert "cannot tell its format: name it with --from" in capsys.readouterr().out


def test_two_inputs_writing_one_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in "ab":
        (tmp_path / folder / "ch_quizzes.json").write_text(SKIPPING % TF, encoding="utf-8")
    inputs = [str(tmp_path / f / "ch_quizzes.json") for f in "ab"]
    assert cli.main(["import", *inputs, "-o", str(tmp_path / "out")]) == 1
    assert "ch.json would also be written from" in capsys.readouterr().out


def test_validate_names_the_flag_for_a_foreign_file_and_checks_it_with_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chapter = str(MLSYSBOOK / "vol1_introduction_quizzes.json")
    assert cli.main(["validate", chapter]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{chapter}: error: an MLSysBook chapter file, not a quiz in our format: check it with"
        " `socratiq-local validate --from mlsysbook`, convert it with `socratiq-local import"
        " --from mlsysbook`"
    )
    assert "unknown field" not in "\n".join(lines)
    assert cli.main(["validate", "--from", "mlsysbook", chapter]) == 0
    assert capsys.readouterr().out.splitlines() == ["1 file, 45 questions: 0 errors, 0 warnings"]


def test_validate_from_reports_skipped_questions_as_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "ch_quizzes.json"
    source.write_text(SKIPPING % TF, encoding="utf-8")
    assert cli.main(["validate", "--from", "auto", str(source)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"{source}: sections[0].quiz_data.questions[0].question_type: error: Field required;"
        " skipped" in lines
    )
    assert lines[-1] == "1 file, 1 question: 1 error, 0 warnings"


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


def test_a_stub_imports_nothing_with_a_note_and_is_no_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub = tmp_path / "ch_quizzes.json"
    stub.write_text('{"quizzes": []}', encoding="utf-8")
    assert cli.main(["import", "--from", "mlsysbook", str(stub), "-o", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{stub}: no questions",
        f"{stub}: the file holds no quizzes yet; nothing to import",
        "no quiz to write: the inputs hold no questions",
    ]
    assert not (tmp_path / "o").exists()


def test_validate_from_reads_a_folders_files_of_that_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("# Notes\n\nNo quiz here.\n", encoding="utf-8")
    (tmp_path / "quiz.md").write_text("# Q?\n\n- [x] a\n- [ ] b\n", encoding="utf-8")
    (tmp_path / "ch_quizzes.json").write_text(SKIPPING % TF, encoding="utf-8")
    assert cli.main(["validate", "--from", "quizdown", str(tmp_path / "quiz.md")]) == 0
    assert capsys.readouterr().out.splitlines() == ["1 file, 1 question: 0 errors, 0 warnings"]
    assert cli.main(["validate", "--from", "auto", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "2 files, 2 questions: 1 error, 0 warnings"
    assert not any("README" in line for line in lines)
