"""Parsing one spreadsheet cell into a value by Indonesian and BPS rules.

Excel numbers are taken as they are. Text is parsed deliberately, never guessed:

* BPS symbols: ``-``, ``–``, ``—`` (also ``--``) = nihil (value 0, status ``nihil``);
  ``...``, ``..``, ``…``, ``NA``, ``N/A``, ``n/a``, ``#N/A`` = ``tidak_tersedia`` (no value);
  ``x`` / ``X`` = ``rahasia`` (no value); empty = missing (no value row at all).
* Decorations removed before reading the digits: ``Rp``/``Rp.`` in front, ``%`` behind, spaces
  (also non-breaking and thin spaces) anywhere, a trailing ``*`` (provisional figure, noted),
  ``(1.234)`` = -1234, a leading ``-``/``−``/``+``.
* The digits, Indonesian way first (dot = thousands separator, comma = decimal mark):

  - ``1.234`` and ``1.234.567`` (groups of exactly three digits after each dot, first group of
    one to three digits not starting with 0) are thousands: 1234 and 1234567. ``1.234,56`` is 1234.56.
    ``0.335`` is a decimal (0.335): a group of thousands never starts with a zero.
  - ``12,5`` / ``0,125`` (one comma) is a decimal comma: 12.5 and 0.125.
  - ``1,234`` (one to three non-zero-leading digits, a comma, exactly three digits) is read the
    Indonesian way, 1.234, but is **ambiguous** (an English writer means 1234): the result carries
    ``catatan="koma_ribuan_ambigu"`` so that ingestion lists it for review.
  - ``1.5``, ``12.50``, ``1017.00``, ``1234.567``: a single dot that cannot be a thousands separator
    (not followed by exactly three digits, or preceded by four or more digits) is a decimal point:
    1.5, 12.5, 1017.0, 1234.567, with ``catatan="titik_desimal"``.
  - English grouping that cannot be Indonesian: ``1,234,567`` (two or more comma groups) and
    ``1,234.5`` (comma groups then one dot) are read as 1234567 and 1234.5 with
    ``catatan="format_inggris"``.
  - Anything else (``12a``, ``1.23.4``, ``1,2,3``, ``2019-01-01``, ``1e5``, two numbers in one cell)
    is ``tidak_valid``: the cell becomes an issue, never a number.

* Dot-decimal columns (``decimal="dot"``): CSV exports of some applications write ``9498.07``,
  ``7.88``, ``1017.00``. :func:`column_uses_dot_decimal` decides per column: a column is dot-decimal
  when at least one of its texts has a single dot that cannot be a thousands separator (``7.88``,
  ``1017.00``, ``132.3``) and none has a comma or a multi-dot thousands group (``1.234.567``). In such
  a column ``1.234`` means 1.234 (not 1234). Ingestion applies this to CSV/TXT files only; in
  workbooks text numbers follow the Indonesian rules above.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STATUS_ADA = "ada"
STATUS_NIHIL = "nihil"
STATUS_TIDAK_TERSEDIA = "tidak_tersedia"
STATUS_RAHASIA = "rahasia"
STATUS_TIDAK_VALID = "tidak_valid"
VALUE_STATUSES = (STATUS_ADA, STATUS_NIHIL, STATUS_TIDAK_TERSEDIA, STATUS_RAHASIA)


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """What one cell said: ``status`` None means empty (no value at all)."""

    nilai: float | None
    status: str | None
    catatan: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.status is None

    @property
    def is_value(self) -> bool:
        """True when the cell yields one value row (a number or a BPS symbol)."""
        return self.status in VALUE_STATUSES


EMPTY = ParsedValue(None, None)
INVALID = ParsedValue(None, STATUS_TIDAK_VALID)
_NIHIL = ParsedValue(0.0, STATUS_NIHIL)
_NA = ParsedValue(None, STATUS_TIDAK_TERSEDIA)
_SECRET = ParsedValue(None, STATUS_RAHASIA)

_SYMBOLS = {
    "-": _NIHIL,
    "–": _NIHIL,
    "—": _NIHIL,
    "−": _NIHIL,
    "--": _NIHIL,
    "...": _NA,
    "..": _NA,
    "…": _NA,
    "na": _NA,
    "n/a": _NA,
    "n.a": _NA,
    "n.a.": _NA,
    "#n/a": _NA,
    "x": _SECRET,
}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_RP = re.compile(r"^rp\.?", re.IGNORECASE)
_ID_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")
_ID_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")
_AMBIGUOUS_COMMA = re.compile(r"^[1-9]\d{0,2},\d{3}$")
_DOT_DECIMAL = re.compile(r"^\d+\.\d+$")
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_DOT = re.compile(r"^\d+(?:\.\d+)?$")
_IMPOSSIBLE_THOUSANDS = re.compile(r"^-?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{4,}\.\d+)$")


def parse_cell(value: object, decimal: str = "id") -> ParsedValue:
    """Parse one cell: a calamine/openpyxl value (float, int, str, bool, date, None).

    ``decimal="dot"`` reads a plain ``123.45`` as a decimal point (see module docstring).
    """
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, (int, float)):
        f = float(value)
        if math.isnan(f):
            return EMPTY
        if math.isinf(f):
            return INVALID
        return ParsedValue(f, STATUS_ADA)
    if isinstance(value, (date, datetime, time)):
        return INVALID
    if not isinstance(value, str):
        return INVALID
    return _parse_text(value, decimal)


@lru_cache(maxsize=65536)
def _parse_text(text: str, decimal: str = "id") -> ParsedValue:
    s = _SPACES.sub("", text)
    if not s:
        return EMPTY
    symbol = _SYMBOLS.get(s.lower())
    if symbol is not None:
        return symbol
    note = None
    if s.endswith("*"):
        s = s.rstrip("*")
        note = "angka_sementara"
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = _RP.sub("", s)
    if s[:1] in "-−–":
        if negative:
            return INVALID
        negative, s = True, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    s = _RP.sub("", s)
    if s.endswith("%"):
        s = s[:-1]
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return INVALID
    number, parse_note = _parse_digits(s, decimal)
    if number is None:
        return INVALID
    if negative:
        number = -number
    return ParsedValue(number, STATUS_ADA, note or parse_note)


def _parse_digits(s: str, decimal: str) -> tuple[float | None, str | None]:
    if decimal == "dot" and _PLAIN_DOT.match(s):
        return float(s), None
    if _ID_THOUSANDS.match(s):
        return float(s.replace(".", "").replace(",", ".")), None
    if _ID_DECIMAL.match(s):
        note = "koma_ribuan_ambigu" if _AMBIGUOUS_COMMA.match(s) else None
        return float(s.replace(",", ".")), note
    if _DOT_DECIMAL.match(s):
        return float(s), None if s.startswith("0.") else "titik_desimal"  # 0.335: no other reading
    if _EN_GROUPED.match(s):
        return float(s.replace(",", "")), "format_inggris"
    return None, None


# Text numbers that are plainly Indonesian (ASCII digits, dots between groups of three, one decimal comma)
# are read in bulk with Arrow; every other text goes through _parse_text. Both give the same result.
# Repetitions are bounded so that every bulk text is short (at most 44 characters).
_BULK_PLAIN = r"^(?:[1-9][0-9]{0,2}(?:\.[0-9]{3}){1,7}|[0-9]{1,15})(?:,[0-9]{1,12})?$"
_BULK_AMBIGUOUS = r"^[1-9][0-9]{0,2},[0-9]{3}$"
_BULK_MIN = 64  # below this many texts the general path is as fast


def parse_texts(texts: list[str]) -> tuple[list[str | None], list[float | None], list[str | None]]:
    """``status``, ``nilai`` and ``catatan`` of each text, as :func:`parse_cell` reads it (Indonesian rules).

    The same result as ``[parse_cell(t) for t in texts]``, much faster on many plain numbers: the lists
    of :func:`parse_texts_array`.
    """
    codes, values, notes = parse_texts_array(texts)
    nilai = [None if v != v else v for v in values.tolist()]  # NaN: no value
    return [STATUS_CODES[c] for c in codes.tolist()], nilai, [notes.get(j) for j in range(len(texts))]


# statuses by code in the arrays of parse_texts_array (0: empty text, no value)
STATUS_CODES = (None, STATUS_ADA, STATUS_NIHIL, STATUS_TIDAK_TERSEDIA, STATUS_RAHASIA, STATUS_TIDAK_VALID)
_STATUS_CODE = {status: code for code, status in enumerate(STATUS_CODES)}


def parse_texts_array(texts: list[str]) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """:func:`parse_texts` as arrays: the status code of each text (index into ``STATUS_CODES``, int8),
    its ``nilai`` (float64, NaN where there is none) and ``{position: catatan}`` for the texts with a note.

    Plain Indonesian numbers are read in bulk with Arrow; every other text is parsed once per distinct text.
    """
    n = len(texts)
    codes = np.zeros(n, dtype=np.int8)
    values = np.full(n, np.nan)
    notes: dict[int, str] = {}
    if n < _BULK_MIN:  # a few texts: one by one is faster than the bulk steps
        for j, text in enumerate(texts):
            p = _parse_text(text)
            codes[j] = _STATUS_CODE[p.status]
            if p.nilai is not None:
                values[j] = p.nilai
            if p.catatan is not None:
                notes[j] = p.catatan
        return codes, values, notes
    arr = pa.array(texts, type=pa.string())
    plain = pc.match_substring_regex(arr, _BULK_PLAIN).to_numpy(zero_copy_only=False)
    if plain.any():
        digits = pc.replace_substring(pc.replace_substring(arr.filter(plain), ".", ""), ",", ".")
        values[plain] = pc.cast(digits, pa.float64()).to_numpy()
        codes[plain] = 1
        ambiguous = pc.match_substring_regex(arr, _BULK_AMBIGUOUS).to_numpy(zero_copy_only=False)
        notes.update(dict.fromkeys(np.flatnonzero(ambiguous).tolist(), "koma_ribuan_ambigu"))
    if plain.all():
        return codes, values, notes
    rest = np.flatnonzero(~plain)
    encoded = arr.take(pa.array(rest)).dictionary_encode()
    parsed = [_parse_text(t) for t in encoded.dictionary.to_pylist()]  # each distinct text once
    which = encoded.indices.to_numpy()
    codes[rest] = np.asarray([_STATUS_CODE[p.status] for p in parsed], dtype=np.int8)[which]
    values[rest] = np.asarray([np.nan if p.nilai is None else p.nilai for p in parsed], dtype=np.float64)[which]
    noted = [j for j, p in enumerate(parsed) if p.catatan is not None]
    if noted:
        for pos in np.flatnonzero(np.isin(which, noted)).tolist():
            notes[int(rest[pos])] = parsed[which[pos]].catatan
    return codes, values, notes


def clear_caches() -> None:
    """Empty the cache of parsed texts (results never depend on it)."""
    _parse_text.cache_clear()


def column_uses_dot_decimal(texts: list[str]) -> bool:
    """True when a column of texts writes decimals with a dot (see module docstring)."""
    evidence = False
    for text in texts:
        s = _SPACES.sub("", text)
        if "," in s or re.search(r"\d\.\d{3}\.\d{3}", s):
            return False
        if not evidence and _IMPOSSIBLE_THOUSANDS.match(s):
            evidence = True
    return evidence
