"""UI text as data: lookups, plural rules, number and date formats, and the tables' integrity."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from socratiq_local.i18n import LANGUAGES, PLURAL_RULES, Texts, load_table, pick_language

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
#: `t("key", ...)` and `t.plural("key", ...)` in Python and in the page scripts.
KEY_USE = re.compile(r"""\bt(?:\.plural)?\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def sources() -> list[Path]:
    found = list((ROOT / "src" / "socratiq_local").rglob("*.py"))
    web_src = ROOT / "web" / "src"
    if web_src.exists():
        found += list(web_src.rglob("*.js"))
    return found


def test_every_key_used_in_code_is_in_english() -> None:
    english = load_table("en").strings
    missing = {
        f"{path.relative_to(ROOT)}: {key}"
        for path in sources()
        for key in KEY_USE.findall(path.read_text("utf-8"))
        if key not in english
    }
    assert not missing, sorted(missing)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_table_is_complete_and_keeps_the_placeholders(code: str) -> None:
    english = load_table("en").strings
    table = load_table(code)
    assert table.language.code == code
    assert set(table.strings) == set(english), set(english) ^ set(table.strings)
    for key, message in table.strings.items():
        ours = [message] if isinstance(message, str) else list(message.values())
        theirs = english[key]
        wanted = set(
            PLACEHOLDER.findall(theirs if isinstance(theirs, str) else " ".join(theirs.values()))
        )
        for text in ours:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"count"}, (code, key, text)
        if isinstance(message, dict):
            assert "other" in message, (code, key)


@pytest.mark.parametrize("code", LANGUAGES)
def test_tables_are_valid_json_files_in_the_package(code: str) -> None:
    path = ROOT / "src" / "socratiq_local" / "languages" / f"{code}.json"
    assert json.loads(path.read_text("utf-8"))["language"]["code"] == code


def test_language_choice() -> None:
    assert pick_language("de-AT") == "de"
    assert pick_language(None, "", "FR_ca") == "fr"
    assert pick_language("xx", "es") == "es"
    assert pick_language("klingon") == "en"
    assert Texts("pt").code == "en"


@pytest.mark.parametrize(
    ("code", "counts"),
    [
        ("en", {0: "other", 1: "one", 2: "other", 1.5: "other"}),
        ("de", {1: "one", 5: "other"}),
        ("fr", {0: "one", 1: "one", 1.5: "one", 2: "other", 1_000_000: "many"}),
        ("es", {1: "one", 0: "other", 2_000_000: "many"}),
        (
            "ar",
            {
                0: "zero",
                1: "one",
                2: "two",
                3: "few",
                110: "few",
                100: "other",
                111: "many",
                1.5: "other",
            },
        ),
    ],
)
def test_plural_rules_follow_cldr(code: str, counts: dict[float, str]) -> None:
    rule = PLURAL_RULES[code]
    assert {n: rule(n) for n in counts} == counts


def test_numbers_and_dates_follow_the_language() -> None:
    assert Texts("en").number(1234.5) == "1,234.5"
    assert Texts("de").number(1234.5) == "1.234,5"
    assert Texts("fr").number(1234567) == "1\u202f234\u202f567"
    assert Texts("en").number(0.125, decimals=1) == "0.1"
    assert Texts("en").date(date(2024, 3, 4)) == "4 March 2024"
    assert Texts("de").date(date(2024, 3, 4)) == "4. März 2024"
    assert Texts("es").date(date(2024, 3, 4)) == "4 de marzo de 2024"
    assert Texts("ar").dir == "rtl"
    assert Texts("en").percent(42) == "42%"
    assert Texts("fr").percent(42) == "42\u202f%"


def test_a_missing_string_falls_back_to_english_never_to_the_key() -> None:
    german = Texts("de")
    german.table.strings.pop("format.percent", None)
    try:
        assert german.percent(5) == "5%"
    finally:
        load_table.cache_clear()
    with pytest.raises(KeyError):
        Texts("en")("no.such.key")


def test_every_badge_has_its_words_in_english() -> None:
    from socratiq_local.progress.badges import BADGES
    from socratiq_local.render.badges import badge_words

    english = load_table("en").strings
    for badge in BADGES:
        assert f"badge.{badge.id}.title" in english and f"badge.{badge.id}.description" in english
        title, description = badge_words(badge, Texts("en"))
        assert title and description.endswith(".")
    assert badge_words(BADGES[0], Texts("en")) == ("First step", "Answer your first question.")
