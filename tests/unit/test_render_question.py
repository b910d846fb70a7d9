"""Question, quiz and feedback HTML: the accessible structure the browser runtime relies on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import Ordering, Quiz, ShortAnswer, SingleChoice
from socratiq_local.quiz.shuffle import seeded_order
from socratiq_local.render.feedback import render_feedback, render_self_rating
from socratiq_local.render.question import render_question, render_quiz

from .test_render import HOSTILE, Node, assert_inert, parse

EVIL = " ".join(HOSTILE)

QUESTIONS: dict[str, dict[str, Any]] = {
    "single_choice": {
        "id": "sc",
        "text": f"Pick one {EVIL}",
        "choices": [
            {"id": "a", "text": f"A {EVIL}", "correct": True, "feedback": f"Yes {EVIL}"},
            {"id": "b", "text": "B", "feedback": "No"},
            {"id": "c", "text": "C"},
        ],
    },
    "multiple_choice": {
        "id": "mc",
        "text": "Pick some",
        "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
    },
    "true_false": {"id": "tf", "text": "True?", "answer": True},
    "fill_blank": {
        "id": "fb",
        "text": f"The ____ uses ____ {EVIL}",
        "blanks": [{"accepted": ["GPU"]}, {"accepted": ["HBM"]}],
    },
    "numeric": {"id": "nu", "text": "How many?", "value": 8, "unit": "GB"},
    "short_answer": {
        "id": "sa",
        "text": "Explain",
        "model_answer": f"Because {EVIL}",
        "key_points": [f"point {EVIL}", "two"],
    },
    "ordering": {"id": "or", "text": "Order", "items": ["Load", "Batch", "Train", "Evaluate"]},
    "matching": {
        "id": "ma",
        "text": "Match",
        "pairs": [
            {"id": "p1", "left": f"L1 {EVIL}", "right": f"R1 {EVIL}"},
            {"id": "p2", "left": "L2", "right": "R2"},
        ],
        "distractors": [{"id": "d1", "text": "D"}],
    },
}

COMMON = {"hint": f"Think {EVIL}", "explanation": f"Since {EVIL}", "tags": ["a", "b<"]}


def make_quiz(*types: str, **quiz: Any) -> Quiz:
    questions = [{"type": t, **QUESTIONS[t], **COMMON} for t in types or tuple(QUESTIONS)]
    return Quiz.model_validate({"id": "ch1.q", "title": "Quiz <b>", "questions": questions, **quiz})


def render_one(question_type: str, seed: str = "learner", **quiz: Any) -> Node:
    made = make_quiz(question_type, **quiz)
    return assert_inert(render_question(made.questions[0], quiz=made, seed=seed))


def labelled_controls(tree: Node) -> dict[str, Node]:
    """Each label's text by the id of the control it names; all ids must exist."""
    ids = {n.attrs["id"]: n for n in tree.walk() if n.attrs.get("id")}
    labels = {}
    for label in tree.find_all("label"):
        target = label.attrs["for"]
        assert target in ids, f"label for missing id {target}"
        labels[target] = label
    return labels


@pytest.mark.parametrize("question_type", list(QUESTIONS))
def test_every_question_is_a_form_with_fieldset_legend_check_and_status(question_type: str) -> None:
    tree = render_one(question_type)
    form = tree.find("form")
    assert form.classes() == {"sq-question"}
    assert form.attrs["data-question-type"] == question_type
    assert form.attrs["data-question-id"] == QUESTIONS[question_type]["id"]
    assert form.attrs["data-quiz-id"] == "ch1.q"
    fieldset = form.find("fieldset")
    legend = fieldset.children[0]
    assert isinstance(legend, Node) and legend.tag == "legend"
    assert QUESTIONS[question_type]["text"].split()[0] in legend.text()
    check = form.find("button", type="submit")
    assert check.text() == "Check"
    status = form.find("div", role="status")
    assert status.attrs["aria-live"] == "polite"
    assert status.children == []


@pytest.mark.parametrize("question_type", list(QUESTIONS))
def test_every_control_is_labelled(question_type: str) -> None:
    tree = render_one(question_type)
    labels = labelled_controls(tree)
    for control in tree.walk():
        if control.tag in ("input", "select", "textarea") and control.attrs.get("type") != "hidden":
            has_label = control.attrs.get("id") in labels or control.attrs.get("aria-label")
            assert has_label, f"unlabelled {control}"


@pytest.mark.parametrize("question_type", list(QUESTIONS))
def test_hostile_text_shows_as_text(question_type: str) -> None:
    text = render_one(question_type).text()
    if "<script>" in str(QUESTIONS[question_type]):
        assert "<script>alert(1)</script>" in text


def test_ids_are_unique_in_a_page_and_carry_the_instance() -> None:
    quiz = make_quiz()
    page = render_quiz(quiz, seed="s", instance="one") + render_quiz(quiz, seed="s", instance="two")
    ids = [n.attrs["id"] for n in parse(page).walk() if n.attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("one__", "two__")) for i in ids)


def test_hostile_instance_is_escaped_and_sanitised() -> None:
    quiz = make_quiz("single_choice")
    html = render_question(quiz.questions[0], quiz=quiz, seed="s", instance='"><svg onload=x>')
    tree = assert_inert(html)
    labelled_controls(tree)
    assert all('"' not in (n.attrs.get("id") or "") for n in tree.walk())


def test_single_choice_is_radios_named_choice_valued_by_choice_id() -> None:
    tree = render_one("single_choice", shuffle_choices=False)
    radios = tree.find_all("input")
    assert [r.attrs["type"] for r in radios] == ["radio"] * 3
    assert [r.attrs["value"] for r in radios] == ["a", "b", "c"]
    assert {r.attrs["name"] for r in radios} == {"choice"}  # one group per form
    labels = labelled_controls(tree)
    assert labels[radios[1].attrs["id"] or ""].text() == "B"


def test_multiple_choice_is_checkboxes() -> None:
    tree = render_one("multiple_choice")
    assert {(i.attrs["type"], i.attrs["name"]) for i in tree.find_all("input")} == {
        ("checkbox", "choice")
    }
    assert "Select all that apply." in tree.text()


def test_true_false_is_two_radios() -> None:
    tree = render_one("true_false")
    radios = tree.find_all("input", type="radio")
    labels = labelled_controls(tree)
    assert [
        (r.attrs["name"], r.attrs["value"], labels[r.attrs["id"] or ""].text()) for r in radios
    ] == [("choice", "true", "True"), ("choice", "false", "False")]


def test_choices_follow_the_seeded_order_when_shuffled() -> None:
    quiz = make_quiz("single_choice")
    question = quiz.questions[0]
    assert isinstance(question, SingleChoice)
    orders = set()
    for seed in ("s1", "s2", "s3", "s4", "s5", "s6"):
        html = render_question(question, quiz=quiz, seed=seed)
        shown = [i.attrs["value"] for i in parse(html).find_all("input")]
        assert shown == [c.id for c in seeded_order(question.choices, seed, "sc", lambda c: c.id)]
        assert render_question(question, quiz=quiz, seed=seed) == html
        orders.add(tuple(shown))
    assert len(orders) > 1


def test_fill_blank_inputs_replace_the_underscores_in_the_legend() -> None:
    tree = render_one("fill_blank")
    legend = tree.find("legend")
    blanks = legend.find_all("input")
    assert [b.attrs["name"] for b in blanks] == ["blank-0", "blank-1"]
    assert [b.attrs["aria-label"] for b in blanks] == ["Blank 1", "Blank 2"]
    assert all(b.attrs["type"] == "text" for b in blanks)
    assert "____" not in legend.text()
    assert legend.text().startswith("The  uses ")
    assert tree.find_all("hr") == [] and tree.find_all("strong") == []


@pytest.mark.parametrize(
    ("text", "blank_count", "visible_underscores"),
    [
        ("Only ____ here", 2, 0),
        ("Code `____` and ____", 2, 1),
        ("One ____ two ____ three ____", 2, 1),
        ("____\n\n____", 2, 0),
    ],
)
def test_fill_blank_always_offers_one_input_per_blank(
    text: str, blank_count: int, visible_underscores: int
) -> None:
    quiz = Quiz.model_validate(
        {
            "id": "q",
            "title": "t",
            "questions": [
                {"type": "fill_blank", "text": text, "blanks": [{"accepted": ["x"]}] * blank_count}
            ],
        }
    )
    tree = assert_inert(render_question(quiz.questions[0], quiz=quiz, seed="s"))
    names = sorted(i.attrs["name"] or "" for i in tree.find_all("input"))
    assert names == [f"blank-{i}" for i in range(blank_count)]
    assert tree.find("legend").text().count("____") == visible_underscores


def test_numeric_has_a_decimal_text_input_labelled_your_answer_with_the_unit() -> None:
    tree = render_one("numeric")
    control = tree.find("input")
    assert (control.attrs["type"], control.attrs["inputmode"], control.attrs["name"]) == (
        "text",
        "decimal",
        "value",
    )
    assert labelled_controls(tree)[control.attrs["id"] or ""].text() == "Your answer"
    unit = tree.find("span", id=control.attrs["aria-describedby"] or "")
    assert unit.text() == "GB"


def test_short_answer_has_a_labelled_textarea() -> None:
    tree = render_one("short_answer")
    area = tree.find("textarea")
    assert area.attrs["name"] == "text"
    assert labelled_controls(tree)[area.attrs["id"] or ""].text() == "Your answer"


def test_ordering_items_have_keyboard_move_buttons_naming_the_item() -> None:
    tree = render_one("ordering")
    items = tree.find("ol").find_all("li")
    assert len(items) == 4
    for item in items:
        text = item.find("span").text()
        assert item.find("input").attrs["type"] == "hidden"  # name "order", value the item id
        buttons = item.find_all("button")
        assert [(b.attrs["type"], b.attrs["data-move"], b.text()) for b in buttons] == [
            ("button", "up", "Move up"),
            ("button", "down", "Move down"),
        ]
        assert all(text in (b.attrs["aria-label"] or "") for b in buttons)
        assert all((b.attrs["aria-label"] or "").startswith(b.text()) for b in buttons)


@settings(max_examples=60)
@given(seed=st.text(max_size=12), size=st.integers(min_value=2, max_value=6))
def test_ordering_is_never_shown_in_the_correct_order(seed: str, size: int) -> None:
    question = Ordering.model_validate(
        {"text": "Order", "items": [f"item {i}" for i in range(size)]}
    )
    quiz = Quiz.model_validate({"id": "q", "title": "t", "questions": [question.model_dump()]})
    html = render_question(question, quiz=quiz, seed=seed)
    shown = [i.attrs["value"] for i in parse(html).find_all("input", type="hidden", name="order")]
    correct = [item.id for item in question.items]
    assert sorted(shown) == sorted(correct)
    assert shown != correct
    assert render_question(question, quiz=quiz, seed=seed) == html


def test_matching_has_a_labelled_select_per_prompt_with_every_option() -> None:
    tree = render_one("matching", shuffle_choices=False)
    selects = tree.find_all("select")
    assert [s.attrs["name"] for s in selects] == ["pair:p1", "pair:p2"]
    labels = labelled_controls(tree)
    assert labels[selects[1].attrs["id"] or ""].text() == "L2"
    options = [(o.attrs["value"], o.text()) for o in selects[1].find_all("option")]
    assert options[0] == ("", "Choose…")
    assert [value for value, _ in options[1:]] == ["p1", "p2", "d1"]
    assert options[1][1].startswith("R1 <script>")


def test_matching_options_are_shuffled_by_seed() -> None:
    orders = set()
    for seed in ("a", "b", "c", "d", "e", "f"):
        select = render_one("matching", seed=seed).find_all("select")[0]
        orders.add(tuple(o.attrs["value"] for o in select.find_all("option")))
    assert len(orders) > 1
    assert all(order[0] == "" and sorted(order[1:]) == ["d1", "p1", "p2"] for order in orders)


def test_hint_is_a_details_element() -> None:
    details = render_one("true_false").find("details")
    assert details.find("summary").text() == "Hint"
    assert "Think <script>" in details.text()


def test_difficulty_and_tags_show_as_small_text() -> None:
    meta = render_one("true_false").find("p", **{"class": "sq-meta"})
    assert meta.text() == "Difficulty: medium Tags: a, b<"


def test_quiz_has_title_and_the_section_questions() -> None:
    quiz = Quiz.model_validate(
        {
            "id": "q",
            "title": "Chapter *one* <b>",
            "description": "About <i>",
            "questions": [
                {**QUESTIONS["true_false"], "type": "true_false", "section": "s1"},
                {**QUESTIONS["numeric"], "type": "numeric", "section": "s2"},
            ],
        }
    )
    tree = assert_inert(render_quiz(quiz, seed="x", section="s2"))
    section = tree.find("section")
    title = section.find("h2")
    assert title.text() == "Chapter one <b>"
    assert section.attrs["aria-labelledby"] == title.attrs["id"]
    assert "About <i>" in section.text()
    assert [f.attrs["data-question-id"] for f in tree.find_all("form")] == ["nu"]


# --- feedback ------------------------------------------------------------------------------


def feedback_for(question_type: str, answer: object) -> Node:
    question = make_quiz(question_type).questions[0]
    return assert_inert(render_feedback(question, grade(question, answer)))


def test_wrong_answer_feedback_says_so_and_shows_the_solution() -> None:
    tree = feedback_for("single_choice", "b")
    result = tree.find("div", **{"data-correct": "false"})
    assert "sq-incorrect" in result.classes()
    assert "Not quite." in tree.find("p", **{"class": "sq-verdict"}).text()
    assert "No" in tree.find("ul").text()
    assert "A <script>alert(1)</script>" in tree.find("div", **{"class": "sq-solution"}).text()
    assert "Since <script>" in tree.find("div", **{"class": "sq-explanation"}).text()


def test_right_answer_feedback_has_no_solution() -> None:
    tree = feedback_for("single_choice", "a")
    assert "sq-correct" in tree.find("div", **{"data-correct": "true"}).classes()
    assert "Correct." in tree.text()
    assert "Yes <script>" in tree.text()
    assert tree.find_all("div", **{"class": "sq-solution"}) == []


def test_partial_and_invalid_answers_are_marked() -> None:
    partial = feedback_for("fill_blank", ["GPU", "no"])
    assert "sq-partial" in partial.find("div", **{"data-score": "0.5"}).classes()
    invalid = feedback_for("fill_blank", 42)
    assert "sq-invalid" in invalid.walk()[1].classes()
    assert "could not be checked" in invalid.text()


def test_self_rating_shows_model_answer_key_points_and_four_buttons() -> None:
    question = make_quiz("short_answer").questions[0]
    assert isinstance(question, ShortAnswer)
    tree = assert_inert(render_self_rating(question))
    assert (
        "Because <script>alert(1)</script>"
        in tree.find("div", **{"class": "sq-model-answer"}).text()
    )
    points = [li.text() for li in tree.find("div", **{"class": "sq-key-points"}).find_all("li")]
    assert points[1] == "two" and points[0].startswith("point <script>")
    buttons = tree.find_all("button")
    assert [(b.attrs["type"], b.attrs["name"], b.attrs["value"], b.text()) for b in buttons] == [
        ("submit", "rating", "again", "Again"),
        ("submit", "rating", "hard", "Hard"),
        ("submit", "rating", "good", "Good"),
        ("submit", "rating", "easy", "Easy"),
    ]
