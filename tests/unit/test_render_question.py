"""Question, quiz and feedback HTML: the accessible structure the browser runtime relies on."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.i18n import ENGLISH, Texts, load_table
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import Difficulty, Ordering, Quiz, Rating, SingleChoice
from socratiq_local.quiz.shuffle import seeded_order
from socratiq_local.render.question import (
    Shown,
    Stage,
    render_more_questions,
    render_question,
    render_quiz,
)

from .keys import wrong_answer
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
    check = form.find("button", type="submit", **{"class": "sq-check"})
    assert check.text() == "Check"
    assert form.attrs["data-stage"] == "fresh" and form.attrs["data-instance"] == "sq"
    status = form.find("div", **{"class": "sq-feedback"})
    assert status.children == []
    assert [n for n in tree.walk() if "data-sq-focus" in n.attrs] == []


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
        text = item.find("span", **{"class": "sq-item-text"}).text()
        assert item.find("input").attrs["type"] == "hidden"  # name "order", value the item id
        buttons = item.find_all("button")
        named = [(b.attrs["type"], b.attrs["data-move"], b.attrs["aria-label"]) for b in buttons]
        assert named == [
            ("button", "up", f"Move up: “{text}”"),
            ("button", "down", f"Move down: “{text}”"),
        ]
        # an arrow for the eye, hidden from screen readers: the name says it in words
        icons = [b.find("span") for b in buttons]
        assert [(i.text(), i.attrs["aria-hidden"]) for i in icons] == [("↑", "true"), ("↓", "true")]


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


def test_author_metadata_shows_only_when_asked_and_medium_only_when_set() -> None:
    assert render_one("true_false").find_all("p", **{"class": "sq-meta"}) == []
    quiz = make_quiz("true_false", "numeric")
    tagged, plain = quiz.questions
    meta = parse(render_question(tagged, quiz=quiz, seed="s", show_meta=True))
    assert meta.find("p", **{"class": "sq-meta"}).text() == "Tags: a, b<"  # no difficulty set
    hard = tagged.model_copy(update={"difficulty": "hard", "tags": []})
    meta = parse(render_question(hard, quiz=quiz, seed="s", show_meta=True))
    assert meta.find("p", **{"class": "sq-meta"}).text() == "Difficulty: hard"
    untagged = plain.model_copy(update={"tags": []})
    bare = parse(render_question(untagged, quiz=quiz, seed="s", show_meta=True))
    assert bare.find_all("p", **{"class": "sq-meta"}) == [] and "medium" not in bare.text()


def test_quiz_title_shows_when_asked_and_names_the_section_either_way() -> None:
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
    tree = assert_inert(render_quiz(quiz, seed="x", section="s2", show_title=True))
    section = tree.find("section")
    title = section.find("h2")
    assert title.text() == "Chapter one <b>"
    assert section.attrs["aria-labelledby"] == title.attrs["id"]
    assert "About <i>" in section.text()
    assert [f.attrs["data-question-id"] for f in tree.find_all("form")] == ["nu"]
    plain = assert_inert(render_quiz(quiz, seed="x", section="s2"))
    assert plain.find_all("h2") == [] and "About" not in plain.text()
    assert plain.find("section").attrs["aria-label"] == "Chapter one <b>"


def cards_quiz(size: int) -> Quiz:
    questions = [
        {**QUESTIONS["numeric"], "type": "numeric", "id": f"n{i}", "text": f"Q{i}"}
        for i in range(size)
    ]
    return Quiz.model_validate({"id": "cq", "title": "Cards", "questions": questions})


def cards_of(tree: Node) -> list[Node]:
    return [n for n in tree.walk() if "sq-qcard" in n.classes()]


def test_cards_mode_shows_one_question_with_a_counting_heading_and_previous_next() -> None:
    quiz = cards_quiz(3)
    tree = assert_inert(render_quiz(quiz, seed="x", instance="i1", mode="cards"))
    assert tree.find("section").attrs["data-mode"] == "cards"
    cards = cards_of(tree)
    assert [("hidden" in c.attrs) for c in cards] == [False, True, True]
    for number, card in enumerate(cards, 1):
        heading = card.find("h3")
        assert heading.text() == f"Question {number} of 3"
        assert heading.attrs["tabindex"] == "-1"  # the page focuses it on a move
        assert card.attrs["role"] == "group"
        assert card.attrs["aria-labelledby"] == heading.attrs["id"]
        assert card.find("form").find("legend").text() == f"Q{number - 1}"
        buttons = {
            b.attrs["data-action"]: b for b in card.find_all("button") if b.attrs.get("data-action")
        }
        assert [(b.text(), b.attrs["type"]) for b in buttons.values()] == [
            ("Previous", "button"),
            ("Next", "button"),
        ]
        assert ("disabled" in buttons["card-prev"].attrs) == (number == 1)
        assert ("disabled" in buttons["card-next"].attrs) == (number == 3)
    ids = [n.attrs["id"] for n in tree.walk() if n.attrs.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith("i1") for i in ids)


def test_cards_mode_opens_at_the_first_unanswered_question_and_list_mode_has_no_cards() -> None:
    quiz = cards_quiz(3)
    right = grade(quiz.questions[0], 8.0)
    shown = {"n0": Shown(8.0, right, "final")}
    tree = parse(render_quiz(quiz, seed="x", mode="cards", shown=shown))
    assert [("hidden" in c.attrs) for c in cards_of(tree)] == [True, False, True]
    listed = parse(render_quiz(quiz, seed="x", shown=shown))
    assert listed.find("section").attrs["data-mode"] == "list"
    assert cards_of(listed) == [] and len(listed.find_all("form")) == 3


def test_a_single_card_has_no_previous_or_next() -> None:
    tree = parse(render_quiz(cards_quiz(1), seed="x", mode="cards"))
    (card,) = cards_of(tree)
    assert card.find("h3").text() == "Question 1 of 1"
    assert not [b for b in card.find_all("button") if b.attrs.get("data-action")]


def test_a_long_quiz_is_drawn_a_page_at_a_time_with_a_button_for_the_next() -> None:
    """Issue 14: a quiz of thousands of questions must not be drawn at once."""
    quiz = cards_quiz(120)
    tree = assert_inert(render_quiz(quiz, seed="x", page_size=50))
    assert [f.find("legend").text() for f in tree.find_all("form")] == [f"Q{i}" for i in range(50)]
    (marker,) = [n for n in tree.walk() if "sq-more" in n.classes()]
    assert marker.attrs["data-sq-more"] == "50"
    assert marker.find("p").text() == "50 of 120 questions shown."
    button = marker.find("button")
    assert (button.text(), button.attrs["type"], button.attrs["data-action"]) == (
        "Show 50 more questions",
        "button",
        "show-more",
    )
    second = assert_inert(render_more_questions(quiz, 50, 50, seed="x"))
    assert [f.find("legend").text() for f in second.find_all("form")] == [
        f"Q{i}" for i in range(50, 100)
    ]
    assert second.find("div", **{"data-sq-more": "100"}).find("button").text() == (
        "Show 20 more questions"
    )
    last = parse(render_more_questions(quiz, 100, 50, seed="x", t=Texts("de")))
    assert len(last.find_all("form")) == 20
    assert not [n for n in last.walk() if "sq-more" in n.classes()]
    whole = parse(render_quiz(quiz, seed="x"))  # the build-time drawing: every question
    assert len(whole.find_all("form")) == 120 and "Show" not in whole.text()
    assert "1.234 von 5.000 Fragen" in Texts("de")("quiz.questions_shown", shown=1234, total=5000)


def test_a_long_card_quiz_counts_every_question_and_its_next_page_comes_hidden() -> None:
    quiz = cards_quiz(60)
    first = parse(render_quiz(quiz, seed="x", mode="cards", page_size=50))
    cards = cards_of(first)
    assert len(cards) == 50 and cards[-1].find("h3").text() == "Question 50 of 60"
    last_next = cards[-1].find("button", **{"data-action": "card-next"})
    assert "disabled" not in last_next.attrs  # the next page is drawn when asked
    (marker,) = [n for n in first.walk() if "sq-more" in n.classes()]
    assert "hidden" in marker.attrs and marker.find_all("button") == []
    assert marker in first.find("div", **{"class": "sq-qcards"}).walk()
    more = parse(render_more_questions(quiz, 50, 50, seed="x", mode="cards"))
    cards = cards_of(more)
    assert [c.find("h3").text() for c in cards] == [f"Question {n} of 60" for n in range(51, 61)]
    assert all("hidden" in c.attrs for c in cards)
    assert "disabled" not in cards[0].find("button", **{"data-action": "card-prev"}).attrs
    assert "disabled" in cards[-1].find("button", **{"data-action": "card-next"}).attrs
    ids = [n.attrs["id"] for n in first.walk() + more.walk() if n.attrs.get("id")]
    assert len(ids) == len(set(ids))


# --- answered questions --------------------------------------------------------------------


def shown_form(
    question_type: str, answer: object, stage: Stage, *, t: Texts = ENGLISH, **quiz: Any
) -> Node:
    made = make_quiz(question_type, shuffle_choices=False, **quiz)
    question = made.questions[0]
    result = None if stage in ("nudge", "compare") else grade(question, answer, t.info.decimal)
    shown = Shown(
        answer, result, stage, nudge="Give an answer first." if stage == "nudge" else None
    )
    html = render_question(question, quiz=made, seed="s", t=t, shown=shown, focus=True)
    return assert_inert(html)


def with_class(tree: Node, css: str) -> list[Node]:
    return [n for n in tree.walk() if css in n.classes()]


def focused(tree: Node) -> Node:
    (node,) = [n for n in tree.walk() if "data-sq-focus" in n.attrs]
    assert node.tag != "button" or node.attrs.get("name") != "rating"
    return node


def test_a_wrong_choice_is_marked_in_place_with_its_feedback_and_one_more_try() -> None:
    tree = shown_form("single_choice", "b", "retry")
    picked = tree.find("input", value="b")
    assert "checked" in picked.attrs and "disabled" not in picked.attrs
    (wrong,) = with_class(tree, "sq-wrong")
    assert wrong.find("label").text().endswith("✗your answer, wrong")
    note = wrong.find("div", **{"class": "sq-choice-feedback"})
    assert note.text().strip() == "No" and picked.attrs["aria-describedby"] == note.attrs["id"]
    assert with_class(tree, "sq-missed") == []  # the right one is not given away yet
    assert tree.find("details").attrs.get("open") == ""  # the hint, opened
    assert tree.find("button", **{"data-action": "show-answer"}).text() == "Show answer"
    assert tree.find("button", **{"class": "sq-check"})
    result = tree.find("div", **{"class": "sq-result sq-incorrect"})
    assert "Not quite." in result.text() and "hint is open" in result.text()
    assert with_class(tree, "sq-explanation") == [] and focused(tree) is result


def test_the_final_miss_marks_the_right_choice_locks_the_form_and_explains() -> None:
    tree = shown_form("single_choice", "b", "final")
    assert all("disabled" in i.attrs for i in tree.find_all("input"))
    (missed,) = with_class(tree, "sq-missed")
    assert missed.find("input").attrs["value"] == "a"
    assert missed.find("label").text().endswith("right answer")
    explanation = with_class(tree, "sq-explanation")[0]
    assert "Since <script>alert(1)</script>" in explanation.text()
    assert tree.find("button", **{"data-action": "retry"}).text() == "Try again"
    assert tree.find_all("button", **{"class": "sq-check"}) == []
    assert tree.find("form").attrs["data-stage"] == "final"


def test_a_right_answer_is_marked_and_explained_without_a_solution() -> None:
    tree = shown_form("single_choice", "a", "final")
    (right,) = with_class(tree, "sq-right")
    assert right.find("label").text().endswith("your answer, right")
    assert "Yes <script>" in right.text()  # the picked choice's feedback, beside it
    assert "Correct." in tree.find("div", **{"class": "sq-result sq-correct"}).text()
    assert with_class(tree, "sq-missed") == [] and with_class(tree, "sq-solution") == []


def test_partly_right_is_amber_not_red_and_says_how_much() -> None:
    tree = shown_form("fill_blank", ["GPU", "no"], "retry")
    result = tree.find("div", **{"class": "sq-result sq-partial"})
    assert result.attrs["data-score"] == "0.5" and "Partly right: 50%." in result.text()
    blanks = tree.find_all("input", type="text")
    assert [b.attrs["value"] for b in blanks] == ["GPU", "no"]
    assert [b.attrs.get("aria-invalid") for b in blanks] == [None, "true"]
    marks = [m.text() for m in with_class(tree, "sq-mark")]
    assert marks == ["✓right", "✗wrong"]
    final = shown_form("fill_blank", ["GPU", "no"], "final")
    assert [s.text() for s in with_class(final, "sq-part-solution")] == ["answer: HBM"]


def test_multiple_choice_marks_each_pick_and_the_missed_one_when_solved() -> None:
    tree = shown_form("multiple_choice", ["b"], "final")
    assert [n.find("input").attrs["value"] for n in with_class(tree, "sq-wrong")] == ["b"]
    assert [n.find("input").attrs["value"] for n in with_class(tree, "sq-missed")] == ["a"]


def test_true_false_marks_the_said_value() -> None:
    tree = shown_form("true_false", False, "final")
    assert [n.find("input").attrs["value"] for n in with_class(tree, "sq-wrong")] == ["false"]
    assert [n.find("input").attrs["value"] for n in with_class(tree, "sq-missed")] == ["true"]


def test_ordering_keeps_the_learners_order_and_marks_each_place() -> None:
    question = make_quiz("ordering").questions[0]
    assert isinstance(question, Ordering)
    ids = [item.id for item in question.items]
    answer = [ids[1], ids[0], ids[2], ids[3]]
    tree = shown_form("ordering", answer, "final")
    rows = tree.find("ol", **{"class": "sq-order"}).find_all("li")
    assert [li.attrs["data-item-id"] for li in rows] == answer
    assert [i.attrs["value"] for i in tree.find_all("input", type="hidden")] == answer
    assert [li.classes() - {"sq-order-item"} for li in rows] == [
        {"sq-wrong"}, {"sq-wrong"}, {"sq-right"}, {"sq-right"},
    ]  # fmt: skip
    assert "belongs at position 2" in rows[0].text()
    solution = with_class(tree, "sq-solution")[0]
    assert [li.text() for li in solution.find_all("li")] == ["Load", "Batch", "Train", "Evaluate"]
    assert all("disabled" in b.attrs for b in tree.find_all("button", **{"class": "sq-move"}))


def test_matching_keeps_the_choices_and_shows_the_answer_of_a_wrong_pair() -> None:
    tree = shown_form("matching", {"p1": "p1", "p2": "d1"}, "final")
    selects = tree.find_all("select")
    assert [
        [o.attrs["value"] for o in s.find_all("option") if "selected" in o.attrs] for s in selects
    ] == [["p1"], ["d1"]]
    assert [row.classes() for row in with_class(tree, "sq-match")] == [
        {"sq-match", "sq-right"}, {"sq-match", "sq-wrong"},
    ]  # fmt: skip
    assert [s.text() for s in with_class(tree, "sq-part-solution")] == ["answer: R2"]


def test_numeric_keeps_the_typed_text_and_gives_the_value_in_the_readers_notation() -> None:
    tree = shown_form("numeric", "9", "final")
    assert tree.find("input", type="text").attrs["value"] == "9"
    assert with_class(tree, "sq-solution")[0].text() == "Answer8 GB"
    german = shown_form("numeric", "8,5", "final", t=Texts("de"))
    assert german.find("input", type="text").attrs["value"] == "8,5"


def test_a_nudge_keeps_the_answer_and_focuses_the_message() -> None:
    tree = shown_form("matching", {"p1": ""}, "nudge")
    assert focused(tree).text() == "Give an answer first."
    assert with_class(tree, "sq-mark") == [] and tree.find("button", **{"class": "sq-check"})


def test_a_short_answer_shows_the_model_answer_then_rating_buttons_never_focused() -> None:
    tree = shown_form("short_answer", {"text": "Because <b>"}, "compare")
    area = tree.find("textarea")
    assert area.text() == "Because <b>" and "readonly" in area.attrs
    panel = focused(tree)
    assert "sq-self-rating" in panel.classes() and panel.attrs["tabindex"] == "-1"
    assert "Because <script>alert(1)</script>" in with_class(panel, "sq-model-answer")[0].text()
    points = [li.text() for li in with_class(panel, "sq-key-points")[0].find_all("li")]
    assert points[1] == "two" and points[0].startswith("point <script>")
    buttons = tree.find_all("button", name="rating")
    assert [(b.attrs["type"], b.attrs["value"], b.text()) for b in buttons] == [
        ("submit", "again", "Again"),
        ("submit", "hard", "Hard"),
        ("submit", "good", "Good"),
        ("submit", "easy", "Easy"),
    ]
    assert tree.find_all("button", **{"class": "sq-check"}) == []


def test_a_fresh_short_answer_offers_i_dont_know() -> None:
    tree = render_one("short_answer")
    (dont_know,) = tree.find_all("button", name="rating")
    assert (dont_know.attrs["value"], dont_know.text()) == ("again", "I don't know")
    buttons = [b for b in tree.find_all("button") if b.attrs["type"] == "submit"]
    assert buttons[0].attrs["class"] == "sq-check"  # Enter submits Check, not "I don't know"


def test_a_rated_short_answer_says_the_rating_and_keeps_the_model_answer() -> None:
    tree = shown_form("short_answer", {"text": "smaller", "rating": "hard"}, "final")
    assert "You rated your answer: Hard." in focused(tree).text()
    assert with_class(tree, "sq-model-answer") and tree.find_all("button", name="rating") == []


def test_try_again_focuses_the_first_control() -> None:
    made = make_quiz("matching")
    tree = parse(render_question(made.questions[0], quiz=made, seed="s", focus=True))
    assert focused(tree).tag == "select"


@pytest.mark.parametrize("question_type", list(QUESTIONS))
@pytest.mark.parametrize("stage", ["nudge", "retry", "final"])
def test_every_answered_question_has_one_focus_and_stays_inert(
    question_type: str, stage: Stage
) -> None:
    question = make_quiz(question_type).questions[0]
    answer = wrong_answer(question)
    tree = shown_form(question_type, answer, stage)
    focused(tree)
    labelled_controls(tree)


def test_every_key_made_from_data_has_english_words() -> None:
    english = load_table("en").strings
    made = (
        [f"rating.{r}" for r in get_args(Rating)]
        + [f"question.difficulty_{d}" for d in get_args(Difficulty)]
        + [f"question.move_{d}_item" for d in ("up", "down")]
        + [f"question.{v}" for v in ("true", "false")]
        + [f"mark.picked_{m}" for m in ("right", "wrong")]
    )
    assert set(made) <= set(english), set(made) - set(english)
