"""Safe rendering: hostile quiz text never becomes a live tag, attribute or URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.render.markdown import (
    markdown_to_text,
    render_markdown,
    render_markdown_compact,
    render_markdown_with_slots,
)
from socratiq_local.render.markup import dom_id, element, open_tag
from socratiq_local.render.math import MATHML_ELEMENTS, render_math
from socratiq_local.render.urls import is_safe_link, is_same_origin

VOID_ELEMENTS = frozenset({"input", "img", "br", "hr", "wbr", "meta", "link", "source"})
DANGEROUS_ELEMENTS = frozenset(
    {"script", "iframe", "object", "embed", "style", "link", "meta", "base", "svg", "frame"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset"})
MARKDOWN_ELEMENTS = (
    frozenset(
        {"p", "em", "strong", "code", "pre", "a", "img", "ul", "ol", "li", "blockquote", "hr"}
    )
    | {"br", "span", "div", "h1", "h2", "h3", "h4", "h5", "h6"}
    | MATHML_ELEMENTS
)


@dataclass
class Node:
    """An element parsed back from rendered HTML, for assertions."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def walk(self) -> list[Node]:
        found = [self]
        for child in self.children:
            if isinstance(child, Node):
                found.extend(child.walk())
        return found

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Node:
        matches = self.find_all(tag, **attrs)
        assert len(matches) == 1, f"expected one <{tag} {attrs}>, found {len(matches)}"
        return matches[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert tag in [n.tag for n in self.stack], f"stray </{tag}>"
        while self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def browser_scheme(url: str) -> str | None:
    """The scheme a browser would see, after stripping what the URL parser ignores."""
    seen = re.sub(r"[\t\n\r]", "", url.strip("".join(chr(c) for c in range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", seen)
    return match.group(1).lower() if match else None


def assert_inert(html: str) -> Node:
    """No dangerous element, no event handler or style attribute, no script-capable URL."""
    tree = parse(html)
    for node in tree.walk():
        assert node.tag not in DANGEROUS_ELEMENTS, html
        for name, value in node.attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in URL_ATTRIBUTES:
                assert browser_scheme(value or "") in (None, "http", "https", "mailto"), html
        if node.tag == "img":
            assert is_same_origin(node.attrs.get("src") or ""), html
    return tree


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "<style>body{display:none}</style>",
]


# --- URL policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/a", True),
        ("HTTP://example.com", True),
        ("mailto:a@example.com", True),
        ("/book/ch1.html#sec", True),
        ("ch1.html?x=1:2", True),
        ("#frag:ment", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" \x01javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("data:image/png;base64,AAAA", False),
        ("file:///etc/passwd", False),
        ("java%09script:alert(1)", False),
    ],
)
def test_link_policy(url: str, safe: bool) -> None:
    assert is_safe_link(url) is safe


@pytest.mark.parametrize(
    ("url", "same_origin"),
    [
        ("img/a.png", True),
        ("/static/a.png", True),
        ("../a.png", True),
        ("https://example.com/a.png", False),
        ("//example.com/a.png", False),
        ("/\\example.com/a.png", False),
        ("\\\\example.com/a.png", False),
        (" //example.com/a.png", False),
        ("\t/\n/example.com/a.png", False),
        ("data:image/png;base64,AAAA", False),
        ("javascript:alert(1)", False),
    ],
)
def test_image_origin_policy(url: str, same_origin: bool) -> None:
    assert is_same_origin(url) is same_origin


# --- markup helpers ------------------------------------------------------------------------


def test_attribute_values_are_escaped() -> None:
    html = element("span", {"title": '"><svg onload=alert(1)>', "hidden": None}, "x")
    tree = assert_inert(html)
    span = tree.find("span")
    assert span.attrs == {"title": '"><svg onload=alert(1)>'}
    assert open_tag("input", {"value": "a'b"}) == '<input value="a&#x27;b">'


@given(st.lists(st.text(max_size=8), min_size=1, max_size=4))
def test_dom_ids_are_safe_and_distinct_per_parts(parts: list[str]) -> None:
    made = dom_id(*parts)
    assert re.fullmatch(r"[A-Za-z0-9_-]*", made)
    assert dom_id(*parts, "x") != made
    assert dom_id(*parts[:-1], parts[-1] + "_") != made


@pytest.mark.parametrize(
    ("a", "b"),
    [(("a.b", "c"), ("a_b", "c")), (("a", "b__c"), ("a__b", "c")), (("a-", "b"), ("a", "-b"))],
)
def test_dom_ids_do_not_collide(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert dom_id(*a) != dom_id(*b)


# --- Markdown ------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_raw_html_shows_as_text(hostile: str) -> None:
    tree = assert_inert(render_markdown(f"Before {hostile} after"))
    assert hostile in tree.text()


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](java&#09;script:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        '[x](javascript:alert(1) "title")',
    ],
)
def test_script_links_never_render(markdown: str) -> None:
    tree = assert_inert(render_markdown(markdown))
    for anchor in tree.find_all("a"):
        assert browser_scheme(anchor.attrs["href"] or "") in (None, "http", "https", "mailto")


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=1", "http://example.com", "mailto:a@b.org", "../ch2.html#x"]
)
def test_allowed_links_render_with_rel(url: str) -> None:
    anchor = parse(render_markdown(f"[see]({url})")).find("a")
    assert anchor.attrs["rel"] == "noopener noreferrer"
    assert anchor.text() == "see"


def test_link_title_is_escaped() -> None:
    tree = assert_inert(render_markdown('[x](/a "\\"><script>alert(1)</script>")'))
    assert tree.find("a").attrs["title"] == '"><script>alert(1)</script>'


def test_relative_image_renders_lazily_with_alt() -> None:
    image = parse(render_markdown('![A *diagram*](img/a.png "Fig")')).find("img")
    assert image.attrs == {
        "src": "img/a.png",
        "alt": "A diagram",
        "title": "Fig",
        "loading": "lazy",
    }


@pytest.mark.parametrize(
    "url", ["https://evil.example/x.png", "http://evil.example/x.png", "//evil.example/x.png"]
)
def test_external_image_becomes_a_link(url: str) -> None:
    tree = assert_inert(render_markdown(f"![tracker]({url})"))
    assert tree.find_all("img") == []
    anchor = tree.find("a")
    assert anchor.attrs["href"] == url
    assert anchor.text() == "tracker"


@pytest.mark.parametrize(
    "markdown",
    [
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,AAAA)",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "![<img src=x onerror=alert(1)>](a.png)",
        '![x](a.png "\\" onerror=\\"alert(1)")',
        "![x](/\\evil.example/x.png)",
    ],
)
def test_hostile_images_are_inert(markdown: str) -> None:
    assert_inert(render_markdown(markdown))


def test_code_block_keeps_a_sanitised_language() -> None:
    tree = assert_inert(render_markdown("```python\nif a < b: print('<script>')\n```"))
    code = tree.find("pre").find("code")
    assert code.attrs["class"] == "language-python"
    assert code.text() == "if a < b: print('<script>')\n"


@pytest.mark.parametrize(
    ("info", "language"),
    [("c++", "c++"), ('py"><script>alert(1)</script>', "pyscriptalert1script"), ("<>", None)],
)
def test_code_language_is_reduced_to_safe_characters(info: str, language: str | None) -> None:
    tree = assert_inert(render_markdown(f"```{info}\nx\n```"))
    code = tree.find("code")
    assert code.attrs.get("class") == (f"language-{language}" if language else None)


def test_inline_rendering_adds_no_paragraph() -> None:
    assert render_markdown("a *b*", inline=True) == "a <em>b</em>"
    assert render_markdown("# not a heading", inline=True) == "# not a heading"


def test_compact_rendering_unwraps_only_a_single_paragraph() -> None:
    assert render_markdown_compact("one *para*") == "one <em>para</em>"
    assert render_markdown_compact("one\n\ntwo").startswith("<p>one</p>")


def test_markdown_to_text_is_what_a_reader_sees() -> None:
    assert markdown_to_text("**Batching** `x<y` $n$ <b>\nend") == "Batching x<y n <b> end"


def test_author_text_cannot_forge_a_slot() -> None:
    html = render_markdown("\ue0000\ue001 <b>")
    assert "\ue000" not in html
    assert "&lt;b&gt;" in html


def test_slots_replace_matches_in_running_text_only() -> None:
    html = render_markdown_with_slots(
        "A ____ and `____` then ____", re.compile("_{4,}"), lambda n: f"<input data-n={n}>"
    )
    assert html == "A <input data-n=0> and <code>____</code> then <input data-n=2>"


def test_slot_in_an_attribute_gets_its_text_back() -> None:
    html = render_markdown_with_slots(
        '![____](a.png "____")', re.compile("_{4,}"), lambda n: "<input>"
    )
    image = parse(html).find("img")
    assert (image.attrs["alt"], image.attrs["title"]) == ("____", "____")


MARKDOWN_FRAGMENTS = st.sampled_from(
    [
        *HOSTILE,
        "[a](",
        "](",
        ")",
        "![i](",
        "javascript:",
        "java&#09;script:",
        "&#106;",
        "//evil.example/",
        "https://x.org",
        "$",
        "$$",
        "\\text{",
        "\\href{javascript:alert(1)}{x}",
        "}",
        "{",
        "```",
        "`",
        "\n",
        "\n\n",
        "*",
        "_",
        "# ",
        "> ",
        "- ",
        "1. ",
        "<",
        ">",
        '"',
        "'",
        "&",
        " onerror=",
        "x",
    ]
)
MARKDOWN_TEXT = st.one_of(
    st.text(max_size=80), st.lists(MARKDOWN_FRAGMENTS, max_size=25).map("".join)
)


@settings(max_examples=150)
@given(MARKDOWN_TEXT, st.booleans())
def test_any_text_renders_to_allowed_elements_only(text: str, inline: bool) -> None:
    tree = assert_inert(render_markdown(text, inline=inline))
    assert {n.tag for n in tree.walk()} - {"#root"} <= MARKDOWN_ELEMENTS


# --- math ----------------------------------------------------------------------------------


def test_math_renders_as_mathml() -> None:
    tree = parse(render_markdown(r"Area $\pi r^2$ and"))
    math = tree.find("math")
    assert math.attrs == {"display": "inline"}
    assert "π" in math.text()
    assert tree.find("span").classes() == {"sq-math"}


def test_display_math_renders_as_block() -> None:
    tree = parse(render_markdown("$$\n\\frac{a}{b}\n$$"))
    assert tree.find("div").classes() == {"sq-math", "sq-math-display"}
    assert tree.find("math").attrs["display"] == "block"
    assert len(tree.find_all("mfrac")) == 1


def test_text_in_math_is_escaped() -> None:
    tree = assert_inert(render_math(r"\text{<script>alert(1)</script>}", display=False))
    assert tree.find("mtext").text() == "<script>alert(1)</script>"


def test_math_href_and_style_are_dropped() -> None:
    tree = assert_inert(
        render_math(r"\href{javascript:alert(1)}{x} + \style{color:red}{y}", display=True)
    )
    assert all(set(n.attrs) <= {"display", "stretchy", "fence", "form"} for n in tree.walk())
    assert "x" in tree.text() and "y" in tree.text()


def test_math_entities_become_characters_and_author_entities_stay_inert() -> None:
    tree = assert_inert(render_math(r"\alpha \text{&#x3C;script&#x3E;}", display=False))
    assert tree.find("mi").text() == "\N{GREEK SMALL LETTER ALPHA}"
    assert tree.find("mtext").text() == "<script>"


@pytest.mark.parametrize("latex", [r"x^", r"<img onerror=alert(1)>^", r"\left(", "{" * 500])
def test_invalid_math_shows_its_escaped_source(latex: str) -> None:
    tree = assert_inert(render_math(latex, display=False))
    code = tree.find("code")
    assert code.classes() == {"sq-math-error"}
    assert code.text() == latex


@settings(max_examples=100)
@given(
    st.lists(
        st.sampled_from([*"\\{}^_&<>\"'x1 ", "\\text", "\\frac", "\\left", "\\begin{matrix}"]),
        max_size=30,
    ).map("".join)
)
def test_math_never_raises_and_stays_mathml(latex: str) -> None:
    tree = assert_inert(render_math(latex, display=False))
    assert {n.tag for n in tree.walk()} - {"#root"} <= MATHML_ELEMENTS | {"code"}


def depth_of(node: Node) -> int:
    """How deeply elements nest under `node` (iteratively: the trees tested are deep)."""
    deepest = 0
    pending = [(node, 0)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in item.children if isinstance(child, Node))
    return deepest


@pytest.mark.parametrize(
    "hostile",
    [
        "*" * 5000 + "deep" + "*" * 5000,
        "**" * 2500 + "deep" + "**" * 2500,
        "*a _b " * 2500 + "deep" + " b_ a*" * 2500,
        "*[x " * 300 + "deep" + "](/y)*" * 300,
    ],
)
def test_inline_markup_nests_at_most_twenty_deep_and_keeps_the_text(hostile: str) -> None:
    html = render_markdown(hostile)
    assert depth_of(parse(html)) == 1 + 20  # <p>, then 20 inline elements
    assert "deep" in html


def test_shallow_emphasis_is_untouched() -> None:
    assert render_markdown("*a **b [c](/d) e** f*", inline=True) == (
        '<em>a <strong>b <a href="/d" rel="noopener noreferrer">c</a> e</strong> f</em>'
    )
