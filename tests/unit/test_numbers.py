"""Number parsing by Indonesian and BPS rules."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.reading.numbers import column_uses_dot_decimal, parse_cell


@pytest.mark.parametrize(
    ("text", "nilai", "status"),
    [
        ("1.234", 1234.0, "ada"),
        ("1.234.567", 1234567.0, "ada"),
        ("1.234,56", 1234.56, "ada"),
        ("12,5", 12.5, "ada"),
        ("Rp 1.500.000", 1500000.0, "ada"),
        ("Rp. 2.000,50", 2000.5, "ada"),
        ("45 %", 45.0, "ada"),
        ("12,5%", 12.5, "ada"),
        ("\u00a01.234\u00a0", 1234.0, "ada"),
        ("1\u00a0234", 1234.0, "ada"),
        ("(1.234)", -1234.0, "ada"),
        ("-5", -5.0, "ada"),
        ("+7", 7.0, "ada"),
        ("-", 0.0, "nihil"),
        ("–", 0.0, "nihil"),
        ("—", 0.0, "nihil"),
        (" - ", 0.0, "nihil"),
        ("...", None, "tidak_tersedia"),
        ("…", None, "tidak_tersedia"),
        ("NA", None, "tidak_tersedia"),
        ("n/a", None, "tidak_tersedia"),
        ("x", None, "rahasia"),
        ("X", None, "rahasia"),
        ("", None, None),
        ("   ", None, None),
        (None, None, None),
        (1234.5, 1234.5, "ada"),
        (7, 7.0, "ada"),
        ("12a", None, "tidak_valid"),
        ("1.23.4", None, "tidak_valid"),
        ("2019-01-01", None, "tidak_valid"),
        ("1e5", None, "tidak_valid"),
        ("(-5)", None, "tidak_valid"),
        ("12 ha", None, "tidak_valid"),
        ("1,2,3", None, "tidak_valid"),
        (True, None, "tidak_valid"),
    ],
)
def test_parse_cell(text, nilai, status):
    got = parse_cell(text)
    assert got.status == status
    if nilai is None:
        assert got.nilai is None
    else:
        assert got.nilai == pytest.approx(nilai)


@pytest.mark.parametrize(
    ("text", "nilai", "catatan"),
    [
        ("1,234", 1.234, "koma_ribuan_ambigu"),  # Indonesian decimal comma, listed for review
        ("0,125", 0.125, None),  # a leading zero is never a thousands group: not ambiguous
        ("1.5", 1.5, "titik_desimal"),  # one dot not followed by three digits cannot group thousands
        ("1017.00", 1017.0, "titik_desimal"),
        ("1234.567", 1234.567, "titik_desimal"),  # four digits before the dot: not a group
        ("1,234,567", 1234567.0, "format_inggris"),
        ("1,234.5", 1234.5, "format_inggris"),
        ("2019*", 2019.0, "angka_sementara"),
    ],
)
def test_ambiguous_cases_follow_documented_rules(text, nilai, catatan):
    got = parse_cell(text)
    assert (got.status, got.catatan) == ("ada", catatan)
    assert got.nilai == pytest.approx(nilai)


def test_dot_decimal_mode():
    assert parse_cell("1.234", "dot").nilai == pytest.approx(1.234)
    assert parse_cell("9498.07", "dot").nilai == pytest.approx(9498.07)
    assert parse_cell("1.234,5", "dot").nilai == pytest.approx(1234.5)  # still Indonesian when it must be


def test_column_heuristic():
    assert column_uses_dot_decimal(["4190400", "7.88", "12.12"])
    assert column_uses_dot_decimal(["1017.00", "250"])
    assert not column_uses_dot_decimal(["1.234", "5.678"])  # could be thousands: not evidence
    assert not column_uses_dot_decimal(["7.88", "1,5"])  # commas: Indonesian column
    assert not column_uses_dot_decimal(["7.88", "1.234.567"])  # multi-dot thousands: Indonesian
    assert not column_uses_dot_decimal(["12", "-", "..."])


def _indonesian(x: float, decimals: int) -> str:
    s = f"{abs(x):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if x < 0 else "") + s


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["{}", "Rp {}", "{} %", " {} ", "\u00a0{}"]),
)
def test_indonesian_format_round_trips(units, decimals, wrapper):
    x = units / 10**decimals
    text = wrapper.format(_indonesian(x, decimals))
    got = parse_cell(text)
    assert got.status == "ada"
    assert got.nilai == pytest.approx(x, rel=1e-12, abs=1e-9)


@given(st.integers(min_value=1, max_value=10**12))
def test_parenthesised_is_negative(n):
    assert parse_cell(f"({_indonesian(n, 0)})").nilai == -n


_ALLOWED = re.compile(r"^[\d.,()\-−–+%*\s\u00a0\u2007\u202f\u2009]*$")


@given(st.text(max_size=20))
def test_text_that_is_not_a_number_never_parses(text):
    got = parse_cell(text)
    if got.status == "ada":
        bare = re.sub(r"^\s*(\(?\s*[-−–+]?\s*)?rp\.?", "", text.strip(), flags=re.I)
        assert _ALLOWED.match(bare), text
        assert any(c.isdigit() for c in text)
        assert math.isfinite(got.nilai)


@given(st.from_regex(r"\A\d{1,4}[a-wyzA-WYZ][a-z]*\d{0,3}\Z") | st.from_regex(r"\A\d+\.\d+\.\d{1,2}\Z"))
def test_letters_or_broken_groups_are_invalid(text):
    assert parse_cell(text).status == "tidak_valid"
