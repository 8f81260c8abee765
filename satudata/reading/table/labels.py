"""What a header or title text says: years, periods, flags, units, totals and the words left over.

Every rule about the *text* of a label lives here, so that a reader finds in one place how
``s/d Februari 2023``, ``2021/2022``, ``2019 over 2018``, ``2020*)``, ``(Ha)`` or ``TRIWULAN II``
are understood:

* a year is four digits from 1950 to 2099 standing alone (``2019``, ``Tahun 2019``, ``2020*)``);
* a school year ``2021/2022`` counts for its first year (the year the school year starts, when its
  data are collected) and is kept as written in the column label;
* a comparison ``2019 over 2018`` / ``2019 terhadap 2018`` is a growth column: its year is the later one;
* a month, quarter (``Triwulan I``, ``TW II``, ``Q3``) or semester is a ``periode``; ``s/d``, ``s.d.``,
  ``sampai dengan`` before a month make it cumulative (``s.d. Februari``);
* ``*`` after a year marks a preliminary figure (kept as written in the label);
* a part that is only a unit in brackets (``(Ha)``, ``(%)``, ``(Rp)``) is the unit of the column;
* a year with a footnote number glued on (``20201``, ``2010-20203``) names no year for sure: the label is
  ``doubtful`` and the caller raises an issue rather than guess;
* the same year written twice (a title in Indonesian and English) is one year;
* the base year of a price series (``Seri 2010``, ``ADHK 2010``) and the edition of a statistical publication
  (``Jawa Barat dalam Angka 2022``, ``... in Figures 2023``, ``Statistik Daerah ... 2021``) are no year of
  the data;
* several years that are not one of the above (``2014 - 2021``, ``2021/2022 dan 2022/2023``) tell no
  single year: the caller must look elsewhere.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from satudata.common.names import fold

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip
_MONTH_WORDS = {
    **{m.lower(): m for m in MONTHS},
    **{m.lower()[:3]: m for m in MONTHS},
    "january": "Januari", "february": "Februari", "march": "Maret", "may": "Mei", "june": "Juni",
    "july": "Juli", "august": "Agustus", "october": "Oktober", "december": "Desember", "agust": "Agustus",
    "sept": "September", "nopember": "November", "pebruari": "Februari", "peb": "Februari", "okt": "Oktober",
    "des": "Desember", "agt": "Agustus", "ags": "Agustus", "nop": "November", "dec": "Desember",
    "aug": "Agustus", "oct": "Oktober",
}  # fmt: skip
_ROMAN = {"i": "I", "ii": "II", "iii": "III", "iv": "IV", "1": "I", "2": "II", "3": "III", "4": "IV"}
YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)(?!\d)(?![.,]\d)")
# a year with a footnote number glued on: ``20201`` (2020, note 1), ``2010-20203``: no year for sure
_GLUED = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)\d{1,2}(?!\d)(?![.,]\d)")
_SCHOOL_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)\s*/\s*(19[5-9]\d|20\d\d)(?!\d)")
_COMPARE = re.compile(
    r"(?<!\d)(19[5-9]\d|20\d\d)\s*\*{0,2}\)?\s*(?:over|terhadap|thd\.?|vs\.?|dibanding(?:kan)?)\s*"
    r"(19[5-9]\d|20\d\d)(?!\d)", re.I)  # fmt: skip
_RANGE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)\s*(?:-|–|s\s*/\s*d|s\.d\.?|sampai)\s*(19[5-9]\d|20\d\d)(?!\d)", re.I)
_AS_OF = re.compile(r"\b(per|posisi|keadaan|kondisi|tanggal|tgl)\.?\s*(\d{1,2}\s+)?$", re.I)
# the base year of a price series (``Seri 2010``, ``ADHK 2010``, ``tahun dasar 2018``) is no year of the data
_BASE_YEAR = re.compile(r"\[?\b(?:seri|series|tahun\s+dasar|base\s+year|adhk|harga\s+konstan)\s*\(?\s*(?:19|20)\d\d\s*\)?\]?",
                        re.I)  # fmt: skip
# the edition of a statistical publication (``Jawa Barat dalam Angka 2022``, ``Indonesia in Figures 2023``,
# ``Statistik Daerah Kabupaten Demak 2021``) is no year of the data: a table taken from it mostly holds the year
# before, and some tables other years
_EDITION = re.compile(r"\b(?:dalam\s+angka|in\s+figures|statistik\s+daerah\b[^/\d]{0,60}?)\s*(?:tahun\s*)?(?:19|20)\d\d(?!\d)",
                      re.I)  # fmt: skip
_CUMULATIVE = re.compile(r"\b(s\s*/\s*d|s\s*\.\s*d\s*\.?|sd|sampai\s+dengan|hingga|sampai)\s*\.?\s*$", re.I)
_QUARTER = re.compile(r"\b(?:triwulan|tw|kuartal|quarter|q)\s*[-.]?\s*(iv|iii|ii|i|[1-4])\b", re.I)
_SEMESTER = re.compile(r"\b(?:semester|smt|sem)\s*[-.]?\s*(ii|i|[12])\b", re.I)
_UNIT_ONLY = re.compile(r"^\(\s*([^()]{1,15})\s*\)$")
_PROVISIONAL = re.compile(r"(19[5-9]\d|20\d\d)\s*(\*+)")
GROWTH_WORDS = ("pertumbuhan", "growth", "perubahan", "kenaikan", "laju", "perkembangan", "change")
TOTAL_WORDS = {"jumlah", "total", "sub total", "subtotal", "jumlah total", "grand total", "total keseluruhan",
               "jumlah keseluruhan", "jumlah seluruhnya", "total jumlah", "jumlah total keseluruhan",
               "jumlah / total", "indonesia", "nasional", "jumlah kabupaten", "jumlah kota",
               "jumlah provinsi", "total provinsi", "kab kota", "jumlah jumlah"}  # fmt: skip
# words of a label, unit or title that mark a figure that does not add up
NOT_ADDITIVE = re.compile(
    r"%|(?<![^\W_])(?:persen|percent|rata|rerata|average|mean|median|pertumbuhan|growth|tumbuh|indeks|index|ihk|ipm|inflasi|"
    r"rasio|ratio|laju|rate|kepadatan|density|proporsi|harga|price|capaian)|"
    r"(?<![^\W_])per\s*(?:kapita|capita|\d|seribu|sepuluh|seratus|penduduk|km|ha(?![^\W_]))|nilai tukar|(?<![^\W_])angka(?![^\W_])",
    re.IGNORECASE,
)  # a word starts after a space or ``_``: ``FRATER`` is a name, not a rate
# words of a value column header that name no indicator of their own
GENERIC_VALUE_WORDS = {"jumlah", "nilai", "angka", "data", "value", "total", "banyaknya", "besaran", "capaian",
                       "realisasi", "nilai data", "tahun", "year", "jumlah nilai", "thn", "target"}  # fmt: skip


@dataclass(frozen=True)
class LabelInfo:
    """What one label (a column's header parts joined, or a title) says."""

    years: tuple[int, ...] = ()  # every year written (school years and comparisons count once)
    year: int | None = None  # the single year it names, if it names one
    periode: str | None = None
    growth: bool = False  # a comparison or a growth/change column
    school_year: str | None = None
    unit: str | None = None  # a part that is only a unit in brackets
    total: bool = False  # the label names a total (``Total``, ``Jumlah``)
    words: str = ""  # the label without years, periods, units and flags (as written)
    doubtful: bool = False  # a year with a footnote number glued on (``20201``): no year can be told


def month_of(text: str) -> str | None:
    """The month a short text names (``JANUARI``, ``Jan``, ``1``..``12`` are not months here)."""
    f = fold(text)
    return _MONTH_WORDS.get(f) if f else None


def periode_of(text: str) -> str | None:
    """The sub-annual period a text names: a month (maybe cumulative), a quarter or a semester."""
    s = str(text)
    m = _QUARTER.search(s)
    if m:
        return f"Triwulan {_ROMAN[m.group(1).lower()]}"
    m = _SEMESTER.search(s)
    if m:
        return f"Semester {_ROMAN[m.group(1).lower()]}"
    words = re.findall(r"[A-Za-z]+", s)
    for w in words:
        month = _MONTH_WORDS.get(w.lower()) if len(w) >= 3 else None
        if month and (len(w) > 3 or len(words) <= 3):
            before = s[: s.lower().find(w.lower())]
            if _AS_OF.search(before):
                return None  # "per 31 Maret 2023": the date of a stock, not a period
            return f"s.d. {month}" if _CUMULATIVE.search(before) else month
    return None


def _strip(text: str, *patterns: re.Pattern) -> str:
    for p in patterns:
        text = p.sub(" ", text)
    return text


_PERIOD_WORDS = re.compile(
    r"\b(s\s*/\s*d|s\s*\.\s*d\s*\.?|sampai\s+dengan|triwulan|semester|tw|kuartal|"
    + "|".join(sorted({w for w in _MONTH_WORDS if len(w) > 3} | {m.lower() for m in MONTHS}, key=len, reverse=True))
    + r")\b\.?", re.I)  # fmt: skip
_ROMAN_LEFT = re.compile(r"^\s*\b(iv|iii|ii|i)\b\s*$", re.I)
_TAHUN_WORD = re.compile(r"\b(tahun|thn|year|th\.?|ta)\b\.?", re.I)
_JUNK = re.compile(r"^[\s/\\|:;,.\-–*()%]*$")


def read_label(parts: list[str]) -> LabelInfo:
    """Read the parts of a column header (top to bottom) or one title line."""
    return _read_label(tuple(parts))


@functools.lru_cache(maxsize=8192)  # headers repeat across sheets and files; a LabelInfo is immutable
def _read_label(parts: tuple[str, ...]) -> LabelInfo:
    text = " / ".join(p for p in parts if p)
    growth = any(w in fold(text).split() or fold(text).startswith(w) for w in GROWTH_WORDS)
    unit = None
    kept = []
    for p in parts:
        m = _UNIT_ONLY.match(p.strip())
        if m and not YEAR.search(p) and not re.fullmatch(r"\d+", m.group(1).strip()):
            unit = unit or m.group(1).strip()
        else:
            kept.append(p)
    text = _EDITION.sub(" ", _BASE_YEAR.sub(" ", " / ".join(kept)))
    school = _SCHOOL_YEAR.findall(text)
    compare = _COMPARE.findall(text)
    ranges = _RANGE.findall(_strip(text, _SCHOOL_YEAR, _COMPARE))
    rest = _strip(text, _SCHOOL_YEAR, _COMPARE, _RANGE)
    glued = [int(y) for y in _GLUED.findall(rest)]
    plain = [int(y) for y in YEAR.findall(rest)]
    years = sorted({int(a) for a, _ in school} | {max(int(a), int(b)) for a, b in compare} | set(plain)
                   | {int(y) for r in ranges for y in r} | set(glued))
    school, compare, plain = sorted(set(school)), sorted(set(compare)), sorted(set(plain))  # a title in two languages
    year = None
    school_year = None
    if ranges or glued:
        pass  # a span of years names no single year; a year with a footnote glued on is not sure
    elif len(school) == 1 and not compare and not plain:
        year, school_year = int(school[0][0]), f"{school[0][0]}/{school[0][1]}"
    elif len(compare) == 1 and not school and not plain:
        year, growth = max(int(compare[0][0]), int(compare[0][1])), True
    elif len(plain) == 1 and not school and not compare:
        year = plain[0]
    periode = periode_of(_strip(text, _SCHOOL_YEAR, _COMPARE))
    words = _strip(text, _SCHOOL_YEAR, _COMPARE, _RANGE, _GLUED, _QUARTER, _SEMESTER, YEAR, _PERIOD_WORDS, _TAHUN_WORD)
    words = re.sub(r"\*+\)?|\(\s*\)", " ", words)
    pieces = [w.strip(" /-:,.") for w in re.split(r"\s*/\s*", words)]
    pieces = [w for w in pieces if w and not _JUNK.match(w) and not (periode and _ROMAN_LEFT.match(w))]
    words = " / ".join(re.sub(r"\s+", " ", w) for w in pieces)
    folded = fold(words)
    total = folded in TOTAL_WORDS or (bool(folded) and folded.split()[-1] == "total" and len(folded.split()) <= 2)
    return LabelInfo(tuple(years), year, periode, growth, school_year, unit, total, words, bool(glued))


def is_generic(words: str) -> bool:
    """True when a column's words name no indicator (``Jumlah``, ``Nilai``, nothing at all)."""
    f = fold(words)
    return not f or f in GENERIC_VALUE_WORDS or all(w in GENERIC_VALUE_WORDS for w in f.split())


def provisional(text: str) -> bool:
    """True when a year is flagged preliminary (``2020*``, ``2021**)``)."""
    return bool(_PROVISIONAL.search(text))
