import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.quiz.normalize import loose_text, normalize_text, numbers_close, parse_number


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("  Gradient   Descent ", "gradient descent"),
        ("\uff32\uff45\uff2c\uff35", "relu"),  # full-width letters fold under NFKC
        ("fine\u2013tuning", "fine-tuning"),  # en dash
        ("fine - tuning", "fine-tuning"),
        ("Batching.", "batching"),
        ("it\u2019s", "it's"),
        ("STRASSE", "strasse"),
    ],
)
def test_normalize_text_folds_what_does_not_matter(typed: str, key: str) -> None:
    assert normalize_text(typed) == normalize_text(key)


def test_case_sensitive_keeps_case() -> None:
    assert normalize_text("ReLU", case_sensitive=True) != normalize_text(
        "relu", case_sensitive=True
    )


def test_loose_text_treats_hyphens_as_spaces() -> None:
    assert loose_text("fine-tuning") == loose_text("Fine tuning")
    assert loose_text("data pipeline") != loose_text("data pipelines")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42.0),
        ("-3.5", -3.5),
        ("1,024", 1024.0),
        ("1,234,567.25", 1234567.25),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("45%", 0.45),
        ("\uff11\uff12", 12.0),
        ("\u22122", -2.0),  # minus sign
        ("1_000", 1000.0),
        ("12\u202f345", 12345.0),  # narrow no-break space groups thousands
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,00", "1.2.3", "1e999", "nan", "inf", "12 34"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_strips_the_unit() -> None:
    assert parse_number("12 ms", "ms") == 12.0
    assert parse_number("12 ms") is None


@given(st.text(max_size=30))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_numbers_written_back_parse_to_themselves(value: float) -> None:
    parsed = parse_number(repr(value))
    assert parsed is not None
    assert numbers_close(parsed, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,02", 0.02),
        ("110,5", 110.5),
        ("1.234,5", 1234.5),
        ("1.024", 1024.0),  # a point before three digits groups thousands
        ("0.02", 0.02),  # a point that cannot group is a decimal point
        ("12\u202f345,5", 12345.5),  # French: a narrow no-break space groups
        (",5", 0.5),
        ("-1,5e3", -1500.0),
        ("45,5%", 0.455),
    ],
)
def test_parse_number_with_a_decimal_comma(text: str, value: float) -> None:
    assert parse_number(text, decimal=",") == pytest.approx(value)


@pytest.mark.parametrize("text", ["1,2,3", "1.2.3", "1.234.5", "1,234.5"])
def test_parse_number_with_a_decimal_comma_rejects(text: str) -> None:
    assert parse_number(text, decimal=",") is None


def test_english_keeps_the_comma_for_thousands() -> None:
    assert parse_number("1,024") == 1024.0
    assert parse_number("0,02") is None
