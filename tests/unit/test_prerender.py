"""Pre-rendered placeholders (integrations/prerender.py) and `socratiq-local prerender`: the quiz
readable in the HTML itself, escaped, in a neutral order, every control disabled, a "Reveal
answer" per question, laid out as the engine draws it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from socratiq_local import cli
from socratiq_local.i18n import ENGLISH, Texts
from socratiq_local.integrations.prerender import (
    INSTANCE,
    NEUTRAL_SEED,
    PrerenderError,
    prerender,
    read_quiz,
    stylesheet_url,
)
from socratiq_local.quiz.models import Quiz
from socratiq_local.render.markdown import markdown_to_text
from socratiq_local.render.markup import escape
from socratiq_local.render.question import render_quiz

from .questions import QUIZ
from .test_render import HOSTILE, Node, parse

MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook" / "vol1_introduction_quizzes.json"
CONTROLS = ("input", "select", "textarea", "button")


def placeholder(html: str) -> Node:
    (node,) = [n for n in parse(html).children if isinstance(n, Node)]
    return node


def shadow_root(html: str) -> Node:
    """The `.sq-root` inside the placeholder's declarative shadow root."""
    template = placeholder(html).find("template")
    assert template.attrs == {"shadowrootmode": "open"}
    return template.find("div", **{"class": "sq-root"})


def reveal_of(root: Node, question_id: str) -> Node:
    form = root.find("form", data_question_id=question_id)
    (reveal,) = [n for n in form.find_all("details") if "sq-reveal" in n.classes()]
    return reveal


def words(node: Node) -> str:
    """The node's text, a space between elements' texts."""
    leaves = [c if isinstance(c, str) else words(c) for c in node.children]
    return " ".join(" ".join(leaves).split())


def test_the_placeholder_carries_what_the_page_reads() -> None:
    html = prerender(QUIZ, src="quizzes/sample.json", bundle="../socratiq/", section="#sec-a")
    node = placeholder(html)
    assert node.tag == "div"
    assert node.attrs == {
        "class": "socratiq-quiz",
        "data-src": "quizzes/sample.json",
        "data-section": "sec-a",
    }
    template = node.find("template")
    link = template.find("link")
    assert link.attrs == {"rel": "stylesheet", "href": "../socratiq/styles.css"}
    root = shadow_root(html)
    assert root.attrs == {"class": "sq-root", "part": "root", "lang": "en", "dir": "ltr"}
    assert root.find("section").attrs["data-sq-static"] == ""


def test_mlsysbook_and_meta_are_said_on_the_placeholder() -> None:
    text = MLSYSBOOK.read_text("utf-8")
    quiz = read_quiz(text, MLSYSBOOK.name, "mlsysbook")
    section = "#sec-introduction-defining-ml-systems-bf7d"
    html = prerender(
        quiz, src=MLSYSBOOK.name, bundle="/b", section=section, format_name="mlsysbook",
        show_meta=True,
    )  # fmt: skip
    attrs = placeholder(html).attrs
    assert attrs["data-format"] == "mlsysbook"
    assert attrs["data-section"] == section.lstrip("#")
    assert attrs["data-show-meta"] == ""
    chosen = [q for q in quiz.questions if quiz.section_of(q) == section.lstrip("#")]
    forms = shadow_root(html).find_all("form")
    assert [f.attrs["data-question-id"] for f in forms] == [q.id for q in chosen]


def test_every_question_is_readable_text_with_no_script() -> None:
    html = prerender(QUIZ, src="q.json", bundle="b/")
    assert "<script" not in html.lower()
    root = shadow_root(html)
    text = words(root)
    assert markdown_to_text(QUIZ.title) in text
    for question in QUIZ.questions:
        # a fill-in question's blanks are inputs inside its sentence
        for piece in markdown_to_text(question.text).split("____"):
            assert piece.strip() in text, question.id
    assert ENGLISH("prerender.loading") in text


def test_every_control_is_disabled_and_nothing_is_graded() -> None:
    root = shadow_root(prerender(QUIZ, src="q.json", bundle="b/"))
    controls = [n for n in root.walk() if n.tag in CONTROLS and n.attrs.get("type") != "hidden"]
    assert {n.tag for n in controls} == set(CONTROLS)
    assert [n for n in controls if "disabled" not in n.attrs] == []
    assert all(n.attrs["data-stage"] == "fresh" for n in root.find_all("form"))
    assert not [n for n in root.walk() if n.classes() & {"sq-mark", "sq-result", "sq-nudge"}]


def test_each_question_reveals_its_answer_and_explanation() -> None:
    root = shadow_root(prerender(QUIZ, src="q.json", bundle="b/"))
    expected = {
        "sc": ["INT8", "Explanation", "INT8 is 8 bits."],
        "mc": ["GPU", "TPU"],
        "tf": ["True"],
        "fb": ["8", "ReLU"],
        "sa": ["Model answer", "Smaller, faster models."],
        "or": ["Ingest Clean Train Serve"],
        "ma": ["FP32 → 4 bytes", "FP16 → 2 bytes", "INT8 → 1 byte"],
        "nu": ["102.4 MB (± 0.5)"],
        "nr": ["between 10 and 20"],
        "nrel": ["1,000 (± 50)"],
    }
    assert set(expected) == {q.id for q in QUIZ.questions}
    for question_id, phrases in expected.items():
        reveal = reveal_of(root, question_id)
        assert words(reveal.find("summary")) == "Reveal answer"
        said = words(reveal)
        for phrase in phrases:
            assert phrase in said, (question_id, said)
        assert "open" not in reveal.attrs
    wrong = words(reveal_of(root, "mc")) + words(reveal_of(root, "sc"))
    assert "NIC" not in wrong and "SSD" not in wrong and "FP32" not in wrong


def test_the_reveal_sits_in_the_buttons_row() -> None:
    """Where it takes no height the engine's drawing lacks (see web/styles/25-static.css)."""
    root = shadow_root(prerender(QUIZ, src="q.json", bundle="b/"))
    for form in root.find_all("form"):
        actions = form.find("div", **{"class": "sq-actions"})
        assert [n.tag for n in actions.children if isinstance(n, Node)][-1] == "details"


def test_order_is_neutral_whatever_the_quiz_shuffles() -> None:
    shuffled = QUIZ.model_copy(update={"shuffle_questions": True, "shuffle_choices": True})
    root = shadow_root(prerender(shuffled, src="q.json", bundle="b/"))
    assert [f.attrs["data-question-id"] for f in root.find_all("form")] == [
        q.id for q in QUIZ.questions
    ]
    sc = root.find("form", data_question_id="sc")
    assert [i.attrs["value"] for i in sc.find_all("input")] == ["a", "b", "c"]
    # the same on every build: nothing random
    assert prerender(shuffled, src="q.json", bundle="b/") == prerender(
        shuffled, src="q.json", bundle="b/"
    )


def test_a_subset_shows_as_many_questions_as_the_engine_will() -> None:
    subset = QUIZ.model_copy(update={"subset": 3})
    root = shadow_root(prerender(subset, src="q.json", bundle="b/"))
    assert len(root.find_all("form")) == 3


def test_laid_out_as_the_engine_draws_it() -> None:
    """Take away the reveal blocks, `disabled` and the marker, and the static drawing is the
    engine's drawing of a fresh quiz (same seed and instance), but for its progress words and
    "I don't know" (the reveal takes its place)."""
    quiz = QUIZ.model_copy(update={"shuffle_choices": False})
    static = re.search(r'<div class="sq-root"[^>]*>(.*)</div></template>', prerender(
        quiz, src="q.json", bundle="b/"
    ), re.S)  # fmt: skip
    assert static is not None
    engine = render_quiz(
        quiz, seed=NEUTRAL_SEED, instance=INSTANCE, show_title=True, progress="PROGRESS"
    )
    dont_know = re.compile(r' <button type="submit" class="sq-dont-know"[^>]*>[^<]*</button>')
    assert len(dont_know.findall(engine)) == 1
    engine = dont_know.sub("", engine)
    simplified = re.sub(
        r' <details class="sq-reveal">.*?</details>', "", static.group(1), flags=re.S
    )
    simplified = simplified.replace(' disabled=""', "").replace(' data-sq-static=""', "")
    progress_box = re.compile(r'<div class="sq-quiz-progress">.*?</p></div>', re.S)
    simplified = progress_box.sub('<div class="sq-quiz-progress">PROGRESS</div>', simplified, 1)
    assert simplified == engine


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_stays_text(hostile: str) -> None:
    quiz = Quiz.model_validate(
        {
            "id": "h",
            "title": hostile,
            "description": hostile,
            "questions": [
                {
                    "type": "single_choice",
                    "text": hostile,
                    "explanation": hostile,
                    "choices": [{"text": hostile, "correct": True}, {"text": "no"}],
                },
                {"type": "fill_blank", "text": "x ____", "blanks": [{"accepted": [hostile]}]},
            ],
        }
    )
    html = prerender(quiz, src='q.json"><script>alert(1)</script>', bundle='"><img src=x>')
    tree = parse(html)
    for node in tree.walk():
        assert node.tag not in ("script", "iframe", "img", "style", "object"), node.tag
        assert not [name for name in node.attrs if name.startswith("on") or name == "style"]
    assert placeholder(html).attrs["data-src"] == 'q.json"><script>alert(1)</script>'
    title = shadow_root(html).find("h2")
    assert words(title) == words(parse(f"<p>{escape(hostile)}</p>")) != ""


def test_language_and_direction_follow_the_texts() -> None:
    html = prerender(QUIZ, src="q.json", bundle="b/", t=Texts("ar"))
    root = shadow_root(html)
    assert (root.attrs["lang"], root.attrs["dir"]) == ("ar", "rtl")


def test_no_title_for_a_later_section() -> None:
    root = shadow_root(prerender(QUIZ, src="q.json", bundle="b/", show_title=False))
    assert not [n for n in root.walk() if "sq-quiz-title" in n.classes()]
    assert root.find("section").attrs["aria-label"] == QUIZ.title


def test_a_section_without_questions_is_an_error() -> None:
    with pytest.raises(PrerenderError, match="sec-nowhere"):
        prerender(QUIZ, src="q.json", bundle="b/", section="sec-nowhere")


@pytest.mark.parametrize(
    ("bundle", "href"),
    [("../socratiq/", "../socratiq/styles.css"), ("/s", "/s/styles.css"), ("", "styles.css")],
)
def test_stylesheet_url(bundle: str, href: str) -> None:
    assert stylesheet_url(bundle) == href


def test_read_quiz_reports_a_broken_file() -> None:
    with pytest.raises(PrerenderError):
        read_quiz('{"id": "x"}', "x.json")
    with pytest.raises(PrerenderError):
        read_quiz("{}", "x.json", "mlsysbook")


# --- the command line ----------------------------------------------------------------------


def test_cli_prints_the_placeholder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(QUIZ.model_dump(mode="json", exclude_none=True)), "utf-8")
    status = cli.main(
        ["prerender", str(path), "--bundle", "../socratiq/", "--src", "quizzes/sample.json",
         "--section", "sec-a", "--lang", "de", "--no-title"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert out == prerender(
        QUIZ, src="quizzes/sample.json", bundle="../socratiq/", section="sec-a",
        show_title=False, t=Texts("de"),
    ) + "\n"  # fmt: skip


def test_cli_src_defaults_to_the_file_and_formats_are_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(["prerender", str(MLSYSBOOK), "--bundle", "b/", "--format", "mlsysbook"])
    attrs = placeholder(capsys.readouterr().out.strip()).attrs
    assert status == 0
    assert attrs["data-src"] == MLSYSBOOK.as_posix()
    assert attrs["data-format"] == "mlsysbook"


def test_cli_says_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    assert cli.main(["prerender", str(broken), "--bundle", "b/"]) == 1
    assert cli.main(["prerender", str(tmp_path / "missing.json"), "--bundle", "b/"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith(f"{broken}: ")
    assert lines[-1].startswith(f"{tmp_path / 'missing.json'}: cannot read")
