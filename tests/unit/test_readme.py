"""The README's examples are real: its quiz validates and its Python snippet runs."""

import re
from pathlib import Path

import pytest

from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import QUESTION_TYPES, Quiz

from .keys import right_answer

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_quiz_example_is_valid_and_covers_every_type() -> None:
    example = re.search(r"```json\n(.*?)```", README, re.S)
    assert example is not None
    quiz = Quiz.model_validate_json(example.group(1))
    assert {q.type for q in quiz.questions} == set(QUESTION_TYPES)
    for question in quiz.questions:
        assert grade(question, right_answer(question)).correct


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    example = re.search(r"```python\n(.*?)```", README, re.S)
    assert example is not None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quizzes").mkdir()
    sample = Path(__file__).parents[2] / "quizzes" / "quantization.json"
    (tmp_path / "quizzes" / "quantization.json").write_bytes(sample.read_bytes())
    exec(compile(example.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("True 1.0 correct\n")
    assert "socratiq:my-book:log:cli" in (tmp_path / "progress.json").read_text()
