"""Comparing what a learner typed with what an author accepts.

Typed answers differ from the key in ways that do not matter: case, spacing, Unicode forms
(full-width digits, ligatures, non-breaking spaces), dash variants, a trailing full stop,
thousands separators in numbers, and the decimal mark of the reader's language. These functions
remove exactly those differences.
"""

from __future__ import annotations

import math
import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _number_pattern(group: str, decimal: str) -> re.Pattern[str]:
    g, d = re.escape(group), re.escape(decimal)
    return re.compile(
        rf"""^[+-]?(
            \d{{1,3}}({g}\d{{3}})+({d}\d*)?   # 1,234,567.5 / 1.234.567,5
          | \d+({d}\d*)?                     # 1234.5 / 1234,5
          | {d}\d+                            # .5 / ,5
        )([eE][+-]?\d+)?$""",
        re.VERBOSE,
    )


#: By decimal mark: the grammar of numbers with that mark and the other as digit grouping.
_NUMBERS = {".": _number_pattern(",", "."), ",": _number_pattern(".", ",")}
#: A point that cannot be a comma-language's grouping ("0.02") is taken as a decimal point.
_POINT_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def normalize_text(text: str, *, case_sensitive: bool = False) -> str:
    """Fold Unicode forms, dashes, quotes, spacing and (unless asked not to) case."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text).translate(_QUOTES)
    text = " ".join(text.split())
    text = re.sub(r"\s*-\s*", "-", text)
    text = text.rstrip(".").strip()
    return text if case_sensitive else text.casefold()


def loose_text(text: str) -> str:
    """A looser form that also treats hyphens as spaces ("fine-tuning" = "fine tuning")."""
    return " ".join(normalize_text(text).replace("-", " ").split())


def parse_number(text: str, unit: str | None = None, decimal: str = ".") -> float | None:
    """The number a learner typed, or None: allows '1,234.5', '12 345', '1e-3', '45%', a unit.

    `decimal` is the reader's decimal mark. With "," (German, Spanish, French) "110,5" is
    110.5 and "1.234,5" is 1234.5; a point that cannot be grouping ("0.02") is still a decimal
    point. With "." a comma only groups thousands ("1,024" is 1024).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    text = _DASHES.sub("-", text).replace("_", "")
    if unit:
        folded_unit = unicodedata.normalize("NFKC", unit).strip()
        if folded_unit and text.casefold().endswith(folded_unit.casefold()):
            text = text[: -len(folded_unit)].strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    comma_decimal = decimal == ","
    group = "." if comma_decimal else ","
    text = re.sub(r"(?<=\d)\s(?=\d)", group, text)  # "12 345" groups thousands like "12,345"
    if _NUMBERS["," if comma_decimal else "."].match(text):
        text = text.replace(group, "").replace(",", ".")
    elif not (comma_decimal and _POINT_DECIMAL.match(text)):
        return None
    value = float(text)
    if not math.isfinite(value):
        return None
    return value / 100 if percent else value


def numbers_close(a: float, b: float, tolerance: float = 0.0) -> bool:
    """Equal within an absolute tolerance, plus the rounding error of decimal notation."""
    return abs(a - b) <= tolerance + 1e-9 * max(1.0, abs(a), abs(b))
