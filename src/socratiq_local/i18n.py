"""UI text as data: one table per language (`languages/<code>.json`), English the fallback.

Every string a reader sees is looked up here by key, by the Python renderer and (from the same
files, copied into the bundle) by the page scripts. A table holds the language's name,
direction, number and date conventions, and its strings; a string with plural forms is an
object keyed by CLDR plural category (`zero one two few many other`). A key missing from a
language falls back to English, and a key missing from English is a bug the tests catch: the
reader never sees a key name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PluralCategory = Literal["zero", "one", "two", "few", "many", "other"]
Message = str | dict[PluralCategory, str]

DEFAULT_LANGUAGE = "en"
#: The languages shipped, in the order the README lists them.
LANGUAGES = ("en", "de", "es", "fr", "ar")

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class LanguageInfo(BaseModel):
    """How a language writes: its name, direction, numbers and dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z]{2,3}$")
    name: str
    dir: Literal["ltr", "rtl"] = "ltr"
    decimal: str = Field(".", min_length=1, max_length=1)
    group: str = Field(",", max_length=1)
    months: list[str] = Field(min_length=12, max_length=12)
    date_format: str = Field("{day} {month} {year}", description="With {day} {month} {year}.")


class Table(BaseModel):
    """One language's file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: LanguageInfo
    strings: dict[str, Message]


def _integer(n: float) -> bool:
    return float(n).is_integer()


def _plural_en(n: float) -> PluralCategory:
    return "one" if n == 1 and _integer(n) else "other"


def _plural_es(n: float) -> PluralCategory:
    if n == 1:
        return "one"
    if _integer(n) and n != 0 and n % 1_000_000 == 0:
        return "many"
    return "other"


def _plural_fr(n: float) -> PluralCategory:
    if int(n) in (0, 1):
        return "one"
    if _integer(n) and n != 0 and n % 1_000_000 == 0:
        return "many"
    return "other"


def _plural_ar(n: float) -> PluralCategory:
    if not _integer(n):
        return "other"
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


#: CLDR's cardinal plural rules for the shipped languages (the page uses Intl.PluralRules).
PLURAL_RULES: dict[str, Callable[[float], PluralCategory]] = {
    "en": _plural_en,
    "de": _plural_en,
    "es": _plural_es,
    "fr": _plural_fr,
    "ar": _plural_ar,
}


@cache
def load_table(code: str) -> Table:
    """A shipped language's table (ValueError for a language not shipped)."""
    if code not in LANGUAGES:
        raise ValueError(f"no language table for {code!r}")
    text = files("socratiq_local").joinpath("languages", f"{code}.json").read_text("utf-8")
    return Table.model_validate(json.loads(text))


def pick_language(*wanted: str | None) -> str:
    """The first shipped language among `wanted` ("de-AT" counts as "de"), else English."""
    for tag in wanted:
        if not tag:
            continue
        code = tag.strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


class Texts:
    """The strings and conventions of one language, English behind every gap."""

    def __init__(self, code: str | None = DEFAULT_LANGUAGE) -> None:
        self.code = pick_language(code)
        self.table = load_table(self.code)
        self.fallback = load_table(DEFAULT_LANGUAGE)
        self.info = self.table.language
        self._plural = PLURAL_RULES[self.code]

    @property
    def dir(self) -> str:
        return self.info.dir

    def _message(self, key: str) -> Message:
        found = self.table.strings.get(key)
        if found is None:
            found = self.fallback.strings.get(key)
        if found is None:
            raise KeyError(f"no UI string {key!r} in English")
        return found

    def _values(self, params: Mapping[str, object]) -> dict[str, str]:
        return {
            name: self.number(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else str(value)
            for name, value in params.items()
        }

    def __call__(self, key: str, **params: object) -> str:
        """The string for `key`, its `{placeholders}` filled (numbers formatted)."""
        message = self._message(key)
        if isinstance(message, dict):
            message = message.get("other") or next(iter(message.values()))
        return _fill(message, self._values(params))

    def plural(self, key: str, count: float, **params: object) -> str:
        """The plural form for `count` (filled into `{count}`), by the language's rules."""
        message = self._message(key)
        if isinstance(message, str):
            template = message
        else:
            category = self._plural(count)
            template = message.get(category) or message.get("other") or ""
            if not template:
                template = self.fallback_plural(key, count)
        return _fill(template, self._values({"count": count, **params}))

    def fallback_plural(self, key: str, count: float) -> str:
        message = self.fallback.strings.get(key)
        if isinstance(message, dict):
            return message.get(_plural_en(count)) or message.get("other", "")
        return message or ""

    def number(self, value: float, decimals: int | None = None) -> str:
        """`value` with the language's decimal mark and digit grouping: 1,234.5 / 1.234,5."""
        if decimals is not None:
            text = f"{value:,.{decimals}f}"
        elif float(value).is_integer():
            text = f"{value:,.0f}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        whole, _, fraction = text.partition(".")
        whole = whole.replace(",", self.info.group)
        return whole + (self.info.decimal + fraction if fraction else "")

    def percent(self, value: int) -> str:
        return self("format.percent", value=value)

    def date(self, day: date) -> str:
        """A date in words: "4 March 2024", "4. März 2024"."""
        return _fill(
            self.info.date_format,
            {"day": str(day.day), "month": self.info.months[day.month - 1], "year": str(day.year)},
        )

    def month_short(self, month: int) -> str:
        return self.info.months[month - 1][:3]


ENGLISH = Texts(DEFAULT_LANGUAGE)
