"""The MLSysBook importer, on two real chapter files (CC BY-NC-SA 4.0, see data/mlsysbook)."""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from socratiq_local.importers.mlsysbook import import_mlsysbook
from socratiq_local.importers.report import ImportFailed
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import AnyQuestion

from .keys import right_answer, wrong_answer

DATA = Path(__file__).parent / "data" / "mlsysbook"


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def by_text(questions: list[AnyQuestion], start: str) -> AnyQuestion:
    return next(q for q in questions if q.text.startswith(start))


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        (
            "vol1_introduction_quizzes.json",
            {
                "fill_blank": 3,
                "ordering": 2,
                "short_answer": 18,
                "single_choice": 16,
                "true_false": 6,
            },
        ),
        (
            "vol2_conclusion_quizzes.json",
            {
                "fill_blank": 1,
                "ordering": 1,
                "short_answer": 9,
                "single_choice": 9,
                "true_false": 4,
            },
        ),
    ],
)
def test_real_files_import_completely_and_exactly(name: str, counts: dict[str, int]) -> None:
    report = import_mlsysbook(load(name), name)
    assert report.type_counts() == counts
    assert report.inexact == []
    (quiz,) = report.quizzes
    source_sections = [s["section_id"].lstrip("#") for s in load(name)["sections"]]
    assert {q.section for q in quiz.questions} == set(source_sections)
    for question in quiz.questions:
        assert grade(question, right_answer(question)).correct, question.id
        assert not grade(question, wrong_answer(question)).correct, question.id


def test_keys_checked_by_hand_vol1() -> None:
    (quiz,) = import_mlsysbook(load("vol1_introduction_quizzes.json"), "x_quizzes.json").quizzes
    first = quiz.questions[0]
    assert first.type == "single_choice"
    assert [c.correct for c in first.choices] == [False, False, True, False]  # "is C."
    assert first.explanation is not None and first.explanation.startswith("Machine learning")
    assert (
        first.objective
        == "Understand the fundamental difference between traditional and ML systems."
    )
    tf = by_text(quiz.questions, "In a machine learning system, the model architecture")
    assert tf.type == "true_false" and tf.answer is False
    fill = by_text(quiz.questions, "The introduction of ____ by OpenAI")
    assert fill.type == "fill_blank" and fill.blanks[0].accepted == ["GPT-3"]
    assert grade(fill, ["gpt 3"]).correct
    order = by_text(quiz.questions, "Order the following stages of the ML system lifecycle")
    assert order.type == "ordering"
    assert (
        order.text
        == "Order the following stages of the ML system lifecycle as depicted in the section."
    )
    assert [i.text for i in order.items] == [
        "Data Collection",
        "Data Preparation",
        "Model Training",
        "Model Evaluation",
        "Model Deployment",
        "Model Monitoring",
    ]
    short = by_text(quiz.questions, "Explain the significance of the 'bitter lesson'")
    assert short.type == "short_answer" and short.model_answer.startswith("The 'bitter lesson'")


def test_keys_checked_by_hand_vol2() -> None:
    (quiz,) = import_mlsysbook(
        load("vol2_conclusion_quizzes.json"), "vol2_conclusion_quizzes.json"
    ).quizzes
    assert quiz.id == "vol2_conclusion" and quiz.title == "Conclusion"
    order = by_text(quiz.questions, "Order the following Fleet Stack layers")
    assert order.type == "ordering"
    assert [i.text for i in order.items] == [
        "Infrastructure",
        "Distributed ML",
        "Deployment at Scale",
        "Governance",
    ]
    assert order.explanation is not None and order.explanation.startswith("The section presents")
    fill = by_text(quiz.questions, "In modern autoregressive generation")
    assert fill.type == "fill_blank" and grade(fill, ["Memory  Wall"]).correct


def _chapter(*questions: dict[str, Any], needed: bool = True) -> dict[str, Any]:
    return {
        "sections": [
            {
                "section_id": "#sec-a",
                "quiz_data": {"quiz_needed": needed, "questions": list(questions)},
            }
        ]
    }


def test_hidden_and_unneeded_are_reported_not_dropped_silently() -> None:
    tf = {"question_type": "TF", "question": "True or False: x.", "answer": "True. Yes."}
    report = import_mlsysbook(_chapter(tf, {**tf, "hidden": True}), "c.json")
    assert len(report.quizzes[0].questions) == 1
    assert [(i.location, i.reason) for i in report.inexact] == [
        ("sections[0].quiz_data.questions[1]", "hidden in the source")
    ]
    assert report.quizzes[0].questions[0].text == "x."
    unneeded = import_mlsysbook(_chapter(tf, needed=False), "c.json")
    assert unneeded.quizzes == []
    assert "quiz_needed: false" in unneeded.inexact[0].reason


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            {
                "question_type": "MCQ",
                "question": "Q?",
                "choices": ["a", "b"],
                "answer": "B is right.",
            },
            'no "The correct answer is X."',
        ),
        (
            {
                "question_type": "MCQ",
                "question": "Q?",
                "choices": ["a", "b"],
                "answer": "The correct answer is D.",
            },
            "names no choice",
        ),
        (
            {"question_type": "TF", "question": "Q?", "answer": "Maybe."},
            'neither "True." nor "False."',
        ),
        ({"question_type": "FILL", "question": "No blank here.", "answer": "x. y"}, "found 0"),
        (
            {
                "question_type": "ORDER",
                "question": "Order (1) a, (2) b.",
                "answer": "The correct order is: (2) b.",
            },
            "every item exactly once",
        ),
        (
            {"question_type": "QUIZ", "question": "Q?", "answer": "An answer."},
            "unknown question type",
        ),
    ],
)
def test_unreadable_keys_become_short_answers_and_are_reported(
    question: dict[str, Any], reason: str
) -> None:
    report = import_mlsysbook(_chapter(question), "c.json")
    (imported,) = report.quizzes[0].questions
    assert imported.type == "short_answer"
    assert imported.model_answer == question["answer"]
    (inexact,) = report.inexact
    assert reason in inexact.reason and inexact.action == "imported as short answer"


@pytest.mark.parametrize(
    ("answer", "value", "unit"),
    [
        ("Memory = 7B x 2 bytes = 14 GB. Each parameter takes two bytes in FP16.", 14, "GB"),
        ("The speedup is 4.5x. Amdahl's law bounds it by the serial part.", 4.5, "x"),
        ("About 1,200 ms. The network dominates.", 1200, "ms"),
        ("The utilisation is 62.5%. Half the time the unit waits.", 62.5, "%"),
    ],
)
def test_a_calc_question_whose_answer_states_a_number_is_numeric(
    answer: str, value: float, unit: str
) -> None:
    calc = {"question_type": "CALC", "question": "Compute it.", "answer": answer}
    report = import_mlsysbook(_chapter(calc), "c.json")
    (q,) = report.quizzes[0].questions
    assert q.type == "numeric" and q.value == value and q.unit == unit
    assert q.relative_tolerance == 0.01 and q.explanation == answer
    assert grade(q, right_answer(q)).correct and not grade(q, wrong_answer(q)).correct
    (note,) = report.inexact
    assert note.reason.startswith("a CALC question") and not note.skipped


def test_a_calc_question_stating_no_number_is_a_self_rated_short_answer() -> None:
    answer = "It grows as 2 x 10^9 times the batch, so memory becomes the limit."
    calc = {"question_type": "CALC", "question": "Compute x.", "answer": answer}
    report = import_mlsysbook(_chapter(calc), "c.json")
    (q,) = report.quizzes[0].questions
    assert q.type == "short_answer" and q.model_answer == answer and report.inexact == []


@pytest.mark.parametrize(
    ("question", "answer", "items", "explanation"),
    [
        (  # the question's letters, as older chapters wrote them
            "Order the steps: A) Deploy, B) Collect data, C) Train.",
            "The correct order is: B) Collect data, C) Train, A) Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # the answer numbers its own list by position
            "Order the steps: (1) Deploy, (2) Collect data, (3) Train.",
            "1. Collect data, 2. Train, 3. Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # a plain list
            "Order the steps: (1) Deploy, (2) Collect data, (3) Train.",
            "Collect data, then Train, then Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # items in brackets, the answer numbering its own list
            "Order the steps: [Deploy, Collect data, Train].",
            "1. Collect data, 2. Train, 3. Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # items in brackets, the answer a plain list
            "Order the steps: [Deploy, Collect data, Train].",
            "Collect data, Train, Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # items written plainly after a colon, the answer numbering them
            "Order the steps: Train, Deploy, Collect data.",
            "1. Collect data, 2. Train, 3. Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # items written plainly after a colon, the answer a plain list (book/contents/core/ops)
            "Order the steps: Train, Deploy, Collect data.",
            "Collect data, Train, Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
        (  # the answer rewords the items it labels
            "Order the steps: (1) Post-process predictions, (2) Capture an image,"
            " (3) Run inference.",
            "The correct order is: (2) Capture the envelope image, (3) Run neural inference on"
            " digits, (1) Post-process predictions into decisions. Sorting needs predictions.",
            ["Capture an image", "Run inference", "Post-process predictions"],
            "Sorting needs predictions.",
        ),
        (  # the answer names each item's purpose, sharing no words with any (vol2 ai_good)
            "Order the patterns by their goal: (1) Hierarchical Processing Pattern,"
            " (2) Progressive Enhancement Pattern, (3) Distributed Knowledge Pattern.",
            "The correct order is: (1) Distribute computation, (3) Decentralized coordination,"
            " (2) Graceful degradation. Each pattern has one goal.",
            [
                "Hierarchical Processing Pattern",
                "Distributed Knowledge Pattern",
                "Progressive Enhancement Pattern",
            ],
            "Each pattern has one goal.",
        ),
        (  # labels alone, then the explanation (vol1 ml_ops)
            "Order these events: (1) Serving returns a prediction, (2) Data ingestion"
            " transforms events, (3) Training produces a model.",
            "The correct order is (2), (3), (1). Versioned data feeds training; serving loads"
            " the artifact.",
            [
                "Data ingestion transforms events",
                "Training produces a model",
                "Serving returns a prediction",
            ],
            "Versioned data feeds training; serving loads the artifact.",
        ),
        (  # items listed only in the answer
            "Put the ML lifecycle's stages in order.",
            "The correct order is: 1. Collect data, 2. Train, 3. Deploy. Data comes first.",
            ["Collect data", "Train", "Deploy"],
            "Data comes first.",
        ),
    ],
)
def test_every_order_answer_style_in_the_books_history(
    question: str, answer: str, items: list[str], explanation: str
) -> None:
    order = {"question_type": "ORDER", "question": question, "answer": answer}
    report = import_mlsysbook(_chapter(order), "c.json")
    (q,) = report.quizzes[0].questions
    assert q.type == "ordering", report.inexact
    assert [i.text for i in q.items] == items
    assert "[" not in q.text and "(1)" not in q.text and "Train" not in q.text
    assert q.explanation == explanation and report.inexact == []


def test_an_answer_whose_labels_disagree_with_its_wording_is_no_order() -> None:
    order = {
        "question_type": "ORDER",
        "question": "Order: (1) Deploy the model, (2) Collect the data, (3) Train the model.",
        "answer": "The correct order is: (1) Collect data, (3) Train, (2) Deploy. Data first.",
    }
    report = import_mlsysbook(_chapter(order), "c.json")
    assert report.quizzes[0].questions[0].type == "short_answer"
    assert report.inexact[0].reason == "the answer does not list every item exactly once"


@pytest.mark.parametrize("stub", [{"quizzes": []}, {}, {"metadata": {"x": 1}, "sections": []}])
def test_a_stub_is_an_empty_import_with_a_note_not_an_error(stub: dict[str, Any]) -> None:
    report = import_mlsysbook(stub, "ch_quizzes.json")
    assert report.quizzes == []
    (note,) = report.inexact
    assert note.action == "nothing to import" and not note.skipped


def test_a_stray_copy_of_another_chapter_is_reported() -> None:
    data = _chapter({"question_type": "TF", "question": "x?", "answer": "True."})
    data["metadata"] = {
        "source_file": "/u/MLSysBook/quarto/contents/core/frameworks/frameworks.qmd"
    }
    report = import_mlsysbook(data, "contents/core/frameworks/emerging_topics_quizzes.json")
    (note,) = report.inexact
    assert note.location == "metadata.source_file"
    assert "'frameworks'" in note.reason and "'emerging_topics'" in note.reason
    assert len(report.quizzes[0].questions) == 1
    data["metadata"]["source_file"] = "contents/vol1/emerging_topics/emerging_topics.qmd"
    assert import_mlsysbook(data, "vol1_emerging_topics_quizzes.json").inexact == []


def test_a_file_named_plain_quizzes_json_takes_its_chapter_from_its_metadata() -> None:
    data = _chapter({"question_type": "TF", "question": "x?", "answer": "True."})
    data["metadata"] = {"source_file": "./contents/core/introduction/introduction.qmd"}
    report = import_mlsysbook(data, "contents/core/introduction/quizzes.json")
    assert report.inexact == []
    assert (report.quizzes[0].id, report.quizzes[0].title) == ("introduction", "Introduction")
    # a prefix before the chapter's name (a volume, a flattened path) is no stray copy either
    assert import_mlsysbook(data, "0a1b2c3d_contents_core_introduction_quizzes.json").inexact == []


def test_the_earliest_files_name_no_question_type_and_are_typed_by_their_answers() -> None:
    mcq = {
        "question": "Which stage comes last? A) Data Collection B) Model Training C) Monitoring",
        "answer": "The correct answer is C. Monitoring. It closes the loop.",
        "learning_objective": "Order the lifecycle.",
    }
    mcq_lines = {
        "question": "Which is the challenge? \nA) Limited resources \nB) Operational cost",
        "answer": "The correct answer is B. Operational cost. Resources abound.",
    }
    tf = {
        "question": "True or False: Edge ML lowers latency. Justify your answer.",
        "answer": "True. Data stays near its source.",
    }
    short = {"question": "What are the three components?", "answer": "Data, algorithms, compute."}
    keyed_but_no_choices = {"question": "Which one?", "answer": "The correct answer is B."}
    report = import_mlsysbook(_chapter(mcq, mcq_lines, tf, short, keyed_but_no_choices), "c.json")
    first, lines, truth, model, unlisted = report.quizzes[0].questions
    assert first.type == "single_choice" and first.text == "Which stage comes last?"
    assert [(c.text, c.correct) for c in first.choices] == [
        ("Data Collection", False),
        ("Model Training", False),
        ("Monitoring", True),
    ]
    assert first.explanation == "Monitoring. It closes the loop."
    assert first.objective == "Order the lifecycle."
    assert lines.type == "single_choice" and lines.text == "Which is the challenge?"
    assert [c.text for c in lines.choices] == ["Limited resources", "Operational cost"]
    assert truth.type == "true_false" and truth.answer is True
    assert model.type == "short_answer" and model.model_answer == short["answer"]
    assert unlisted.type == "short_answer"
    for question in (first, lines, truth):
        assert grade(question, right_answer(question)).correct
        assert not grade(question, wrong_answer(question)).correct
    (note,) = report.inexact
    assert note.location == "sections" and note.reason.startswith("5 question(s) name no")
    assert not note.skipped


def test_a_typed_multiple_choice_question_may_write_its_choices_into_the_question() -> None:
    mcq = {
        "question_type": "MCQ",
        "question": "Which one? A) one B) two",
        "answer": "The correct answer is A. One.",
    }
    report = import_mlsysbook(_chapter(mcq), "c.json")
    (q,) = report.quizzes[0].questions
    assert q.type == "single_choice" and q.text == "Which one?" and report.inexact == []
    assert [(c.text, c.correct) for c in q.choices] == [("one", True), ("two", False)]


def test_lettered_choices_lose_their_letters() -> None:
    mcq = {
        "question_type": "MCQ",
        "question": "Q?",
        "choices": ["A) one", "B) two"],
        "answer": "The correct answer is B. Two.",
    }
    (q,) = import_mlsysbook(_chapter(mcq), "c.json").quizzes[0].questions
    assert q.type == "single_choice" and [c.text for c in q.choices] == ["one", "two"]


@pytest.mark.parametrize(
    ("data", "location"),
    [([], ""), ({"metadata": {}, "x": 1}, "sections"), ({"sections": {}}, "sections")],
)
def test_files_that_are_no_chapter_fail_with_a_location(data: object, location: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_mlsysbook(data, "bad.json")
    assert failure.value.location == location
    assert str(failure.value).startswith("bad.json: ")


def test_a_bad_question_or_section_is_skipped_and_the_rest_imported() -> None:
    tf = {"question_type": "TF", "question": "True or False: x.", "answer": "True. Yes."}
    data = {
        "sections": [
            {"quiz_data": {"questions": [tf]}},
            {"section_id": "#s", "quiz_data": {"questions": [{"answer": "a"}, tf, 7]}},
        ]
    }
    report = import_mlsysbook(data, "c.json")
    assert [q.section for q in report.quizzes[0].questions] == ["s"]
    assert [(i.location, i.skipped) for i in report.inexact] == [
        ("sections[0].section_id", True),
        ("sections[1].quiz_data.questions[0].question", True),
        ("sections[1].quiz_data.questions[2]", True),
    ]
    assert json.loads(report.inexact[1].original) == {"answer": "a"}


def test_section_titles_come_along_for_the_sections_imported() -> None:
    report = import_mlsysbook(load("vol1_introduction_quizzes.json"), "vol1_introduction.json")
    quiz = report.quizzes[0]
    sections = {q.section for q in quiz.questions}
    assert set(quiz.section_titles) == sections and len(sections) == 11
    assert (
        quiz.section_titles["sec-introduction-engineering-revolution-artificial-intelligence-a3eb"]
        == "Overview"
    )
    assert quiz.section_titles["sec-introduction-defining-ml-systems-bf7d"] == "Defining ML Systems"
    tf = {"question_type": "TF", "question": "True or False: x.", "answer": "True. Yes."}
    data = {
        "sections": [
            {
                "section_id": "#sec-a",
                "section_title": "  Two\n words ",
                "quiz_data": {"questions": [tf]},
            },
            {"section_id": "#sec-b", "section_title": "Unused", "quiz_data": {"questions": []}},
            {"section_id": "#sec-c", "quiz_data": {"questions": [tf]}},
        ]
    }
    assert import_mlsysbook(data, "c.json").quizzes[0].section_titles == {"sec-a": "Two words"}


#: The book's history, copied outside the repository (data/CORPUS.md, data/mlsysbook-history.tsv).
HISTORY = Path(os.environ.get("SOCRATIQ_CORPUS", "/work/corpus-imports")) / "mlsysbook-history"
HISTORY_FILES = sorted(HISTORY.glob("*.json"))
needs_history = pytest.mark.skipif(
    not HISTORY_FILES, reason=f"no MLSysBook history at {HISTORY} (data/CORPUS.md)"
)


@needs_history
def test_every_file_of_the_books_history_imports_and_its_keys_grade() -> None:
    """No file rejected, no traceback, nothing skipped; every imported key grades right and a
    wrong answer wrong."""
    questions = 0
    for path in HISTORY_FILES:
        report = import_mlsysbook(json.loads(path.read_text(encoding="utf-8")), path.name)
        assert report.skipped == [], path.name
        for quiz in report.quizzes:
            for q in quiz.questions:
                questions += 1
                if q.type != "short_answer":
                    assert grade(q, right_answer(q)).correct, (path.name, q.id)
                    assert not grade(q, wrong_answer(q)).correct, (path.name, q.id)
    assert len(HISTORY_FILES) >= 100 and questions > 5_000
