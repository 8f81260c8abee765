"""The requirements catalogue: which SIPD elements, for which years, each producer owes.

A catalogue is a CSV or workbook with one row per element owed by one producer. Standard
columns (docs/architecture.md): ``kode_elemen, nama_elemen, satuan, kode_urusan, nama_urusan``,
the producer as ``kode_opd`` or ``opd`` (code, name or abbreviation, resolved through the
register), the years as ``tahun_awal``/``tahun_akhir`` or as text in ``tahun`` (``2015-2019``,
``2017, 2018, 2019``), optional ``induk``, ``tingkat``, ``demo_saja``. A region with other
headers maps them in ``[katalog.kolom]`` of the settings (region header -> standard column);
headers are compared without case, spaces or punctuation, so ``Kode Elemen`` is ``kode_elemen``.

Decisions (documented for users):

- ``kode_elemen`` is unique in the whole catalogue. An element owed by two producers gets two
  codes. Without a ``kode_elemen`` column the codes are derived from the producer code and the
  row order of that producer in the file: ``<kode_opd>-001``, ``<kode_opd>-002``... They stay
  the same as long as the rows keep their order; add a code column for codes that never move.
- Without urusan: ``kode_urusan`` ``-`` and ``nama_urusan`` ``Tanpa urusan``. With only a name,
  the name is also the code; with only a code, the code is also the name.
- Years: the years written (``tahun``, ``tahun_awal``/``tahun_akhir``), else the evaluation window
  ``tahun_wajib`` of ``[katalog]``, owed as the row's frequency says (``periode``, or a frequency word in
  the year column; :mod:`satudata.reference.periods`). Years must lie in 1900..2100 and a range must not run
  backwards. Common region headers (``PENGHASIL DATA``, ``NAMA DATA``, ``PERIODE DATA``...) need no mapping.
- A row that cannot be used (no name, unknown producer, unreadable period or year, duplicate, code used
  twice, bad level or parent) is excluded and listed (``Catalogue.excluded``) instead of refusing the
  catalogue; only a missing column or setting, an unreadable file, no usable row, or ``ketat = true``
  stop it. A producer written another way is matched fuzzily and listed for review (``Catalogue.reviews``).
- Hierarchy: ``induk`` names the parent's code; without it the parent is derived from dotted
  numbering (``4.1.2.I.1.5`` -> the longest prefix that is itself a code). ``tingkat`` is read,
  or derived as 1 + the parent's level. ``settings.catalogue.levels_owed`` (``tingkat_wajib``)
  chooses the levels that count (``dihitung``); None counts every row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from satudata.common.fmt import skor as fmt_skor
from satudata.common.names import fold
from satudata.formats.read_limits import ReadLimits
from satudata.reference.periods import ANNUAL, TIDAK_WAJIB, Frequency, frequency_of
from satudata.reference.reference_table import CATALOGUE_SIZE_FIX, catalogue_limits, read_reference_table
from satudata.reference.register import FuzzyOpd, Register, RegisterError, load_register, validate_register
from satudata.reference.settings import Settings
from satudata.reference.units import UnitTable
from satudata.reference.validation import Problem, ProblemsError, catalogue_problems

# kept as written when the catalogue has them (JADWAL RILIS says when an item is due)
OPTIONAL_COLUMNS = ("jadwal_rilis", "klasifikasi", "definisi")
STANDARD_COLUMNS = (
    "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd", "opd",
    "tahun_awal", "tahun_akhir", "tahun", "periode", "induk", "tingkat", "demo_saja", *OPTIONAL_COLUMNS,
)  # fmt: skip
# headers regions commonly write, recognised without a mapping (folded)
HEADER_SYNONYMS = {
    "opd": ("penghasil data", "produsen data", "perangkat daerah", "opd penanggung jawab", "produsen"),
    "nama_elemen": ("nama data", "elemen data", "nama elemen data", "uraian data"),
    "satuan": ("satuan data",),
    "periode": ("periode data", "periodisitas", "frekuensi", "frekuensi penerbitan", "periodisitas data"),
    "jadwal_rilis": ("jadwal rilis", "jadwal publikasi", "jadwal rilis data", "jadwal penerbitan"),
    "klasifikasi": ("klasifikasi data", "disagregasi", "level penyajian"),
    "definisi": ("definisi operasional", "konsep dan definisi", "definisi data"),
}
ELEMENT_COLUMNS = [
    "kode_elemen", "nama_elemen", "satuan", "satuan_asli", "kode_urusan", "nama_urusan", "kode_opd",
    "tahun_wajib", "periode", "jumlah_periode", "induk", "tingkat", "dihitung", "demo_saja", *OPTIONAL_COLUMNS,
]  # fmt: skip
EXCLUSION_COLUMNS = ["baris", "kolom", "alasan", "pesan", "opd_tertulis", "kode_opd", "nama_elemen", "butir"]
REVIEW_COLUMNS = ["baris", "kolom", "opd_tertulis", "kode_opd", "nama_opd", "skor"]
# why a row is excluded, as reports say it
REASONS = {
    "nama_kosong": "nama elemen kosong atau hanya tanda (*, -)",
    "opd_kosong": "produsen data kosong",
    "opd_tidak_dikenal": "produsen tidak dikenal di daftar OPD",
    "periode_tidak_dikenal": "periode tidak dikenal",
    "tahun_kosong": "tahun wajib kosong",
    "tahun_tidak_valid": "tahun tidak dapat dibaca atau tidak mungkin",
    "duplikat": "baris ganda (produsen dan nama elemen sama)",
    "kode_ganda": "kode elemen dipakai lebih dari sekali",
    "kode_kosong": "kode elemen kosong",
    "tingkat_tidak_valid": "tingkat tidak valid",
    "induk_tidak_ada": "induk tidak ada di katalog",
    "tidak_valid": "isi baris tidak valid",
}
ITEM_COLUMNS = ["kode_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "tahun"]
NO_URUSAN_CODE = "-"
NO_URUSAN_NAME = "Tanpa urusan"
_TRUE = {"1", "ya", "y", "true", "benar", "x", "v"}
_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|s\s*\.?\s*/?\s*d\s*\.?|sampai|hingga)\s*(\d+)", re.IGNORECASE)


class CatalogueError(ProblemsError):
    """An invalid catalogue: ``problems`` lists them all; ``str()`` is the Indonesian report."""

    what = "Katalog"


class Exclusion(NamedTuple):
    """A catalogue row left out, with where it is and why (``alasan``: a key of :data:`REASONS`)."""

    baris: int
    kolom: str | None
    alasan: str
    pesan: str
    opd_tertulis: str | None
    kode_opd: str | None
    nama_elemen: str | None
    butir: int | None  # items the row would owe once fixed (0: a duplicate; None: cannot tell)


def exclusions_frame(excluded: list[Exclusion]) -> pd.DataFrame:
    """The excluded rows as a table sorted by file row."""
    frame = pd.DataFrame(excluded, columns=EXCLUSION_COLUMNS)
    frame["baris"] = frame["baris"].astype("int64")
    frame["butir"] = frame["butir"].astype("Int64")
    return frame.sort_values("baris", kind="stable").reset_index(drop=True)


@dataclass
class Catalogue:
    """The usable catalogue: one row per element owed by one producer (``baris``: its row in the file),
    with the rows left out (``excluded``) and the producers recognised for review (``reviews``)."""

    elements: pd.DataFrame
    source: Path | None = None
    sha256: str | None = None
    excluded: pd.DataFrame = field(default_factory=lambda: exclusions_frame([]))
    reviews: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
    rows_read: int | None = None  # non-empty rows of the file (usable + excluded)

    def items(self) -> pd.DataFrame:
        """One row per item owed (element x year), only elements that count (``dihitung``)."""
        owed = self.elements[self.elements["dihitung"].astype(bool)]
        element, years = expand_years(owed["tahun_wajib"])
        out = owed.iloc[element][ITEM_COLUMNS[:-1]].reset_index(drop=True)
        out["tahun"] = years
        return out


def expand_years(tahun_wajib: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row position, year) of every item of a column of year tuples, in row then year order.

    Rows share a few year patterns, so each pattern is expanded once (fast for millions of rows).
    """
    pattern_of, patterns = pd.factorize(tahun_wajib.map(tuple))
    lengths = np.array([len(p) for p in patterns], dtype="int64")
    pattern_years = np.array([y for p in patterns for y in p], dtype="int64")
    pattern_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype("int64")
    counts = lengths[pattern_of] if len(patterns) else np.zeros(len(tahun_wajib), "int64")
    element = np.repeat(np.arange(len(tahun_wajib), dtype="int64"), counts)
    element_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype("int64")
    within = np.arange(len(element), dtype="int64") - element_start[element]
    years = pattern_years[pattern_start[pattern_of[element]] + within] if len(element) else within
    return element, years


def parse_years(text: object) -> list[tuple[int, int]]:
    """Spans of years written as ``2015-2019``, ``2017, 2018, 2019``, ``2015 s.d. 2019``, ``2019``.

    Returns (start, end) pairs as written (a backwards range stays backwards, for the
    validation to report). Raises ValueError on text that is not years.
    """
    s = str(text).strip()
    if re.fullmatch(r"\d+\.0+", s):  # a number cell read as text: 2019.0
        s = s.split(".")[0]
    spans: list[tuple[int, int]] = []

    def take(match: re.Match) -> str:
        start, end = int(match[1]), int(match[2])
        if end < 100 <= start:  # 2015-19
            end = start // 100 * 100 + end
        spans.append((start, end))
        return " "

    rest = _RANGE.sub(take, s)
    spans += [(int(t), int(t)) for t in re.findall(r"\d+", rest)]
    leftover = re.sub(r"\d+|\bdan\b|[\s,;&]", "", rest, flags=re.IGNORECASE)
    if leftover or not spans:
        raise ValueError(f"'{text}' bukan tahun")
    return spans


def _years_of(spans: list[tuple[int, int]]) -> tuple[int, ...]:
    years: set[int] = set()
    for start, end in spans:
        if 1900 <= start <= end <= 2100:
            years.update(range(start, end + 1))
    return tuple(sorted(years))


def read_table(path: Path, sheet: str | None = None, mapping: dict[str, str] | None = None,
               limits: ReadLimits | None = None) -> pd.DataFrame:  # fmt: skip
    """The catalogue table as text cells, the header found below any title rows (see
    :func:`satudata.reference.reference_table.read_reference_table`); index = the rows' numbers in the file. Read
    under ``limits`` (the settings' ``[batas]``) as :func:`catalogue_limits` bounds a catalogue: past its size,
    refused before it is parsed."""
    known = {fold(c) for c in STANDARD_COLUMNS} | {fold(k) for k in (mapping or {})}
    known |= {w for words in HEADER_SYNONYMS.values() for w in words}
    return read_reference_table(path, sheet, known, CatalogueError, "katalog", catalogue_limits(limits),
                                CATALOGUE_SIZE_FIX)  # fmt: skip


def map_columns(headers: list[str], mapping: dict[str, str]) -> tuple[dict[str, str], list[Problem]]:
    """Standard column -> header in the file, through the settings' mapping and standard names."""
    by_fold = {fold(h): h for h in headers}
    found: dict[str, str] = {}
    problems = []
    for region_header, standard in mapping.items():
        if standard not in STANDARD_COLUMNS:
            problems.append(Problem(None, region_header, f"pemetaan ke '{standard}' tidak dikenal di "
                                    "[katalog.kolom]. Pilih salah satu: " + ", ".join(STANDARD_COLUMNS) + "."))
        elif fold(region_header) in by_fold:
            found.setdefault(standard, by_fold[fold(region_header)])
    taken = set(found.values())
    for standard in STANDARD_COLUMNS:
        if standard not in found and fold(standard) in by_fold and by_fold[fold(standard)] not in taken:
            found[standard] = by_fold[fold(standard)]
            taken.add(found[standard])
    for standard, words in HEADER_SYNONYMS.items():
        if standard == "opd" and "kode_opd" in found:
            continue
        for word in words:
            if standard not in found and word in by_fold and by_fold[word] not in taken:
                found[standard] = by_fold[word]
                taken.add(by_fold[word])
    return found, problems


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in {"nan", "none"} else text


def _int_or_none(text: str) -> int | None:
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(text.split(".")[0])
    raise ValueError(text)


def _derive_hierarchy(codes: list[str], induk: list[str | None] | None) -> list[str | None]:
    """Parent code of every row: given, else the longest dotted prefix that is a code."""
    known = set(codes)
    if induk is not None:
        return [_text(p) or None for p in induk]
    parents: list[str | None] = []
    for code in codes:
        parts = code.split(".")
        parent = None
        for size in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:size])
            if prefix in known and prefix != code:
                parent = prefix
                break
        parents.append(parent)
    return parents


def _levels(codes: list[str], parents: list[str | None]) -> list[int]:
    parent_of = dict(zip(codes, parents, strict=True))
    levels: dict[str, int] = {}

    def level(code: str, seen: frozenset = frozenset()) -> int:
        if code in levels:
            return levels[code]
        parent = parent_of.get(code)
        value = 1 if parent is None or parent not in parent_of or parent in seen else 1 + level(
            parent, seen | {code})
        levels[code] = value
        return value

    return [level(c) for c in codes]


def build_elements(
    raw: pd.DataFrame, register: Register, settings: Settings
) -> tuple[pd.DataFrame, list[Problem], list[Exclusion], list[dict]]:
    """Map, parse and check a raw catalogue table.

    Returns the usable elements (indexed by file row), the problems that stop the whole catalogue (a
    missing column, a bad setting), the rows excluded with their reasons, and the producers recognised
    from a name written another way (for review).
    """
    columns, problems = map_columns(list(raw.columns), settings.catalogue.columns)
    label = {std: header for std, header in columns.items()}
    opd_col = "kode_opd" if "kode_opd" in columns else "opd"
    window_text = settings.catalogue.default_years
    missing = []
    if "nama_elemen" not in columns:
        missing.append("nama_elemen")
    if opd_col not in columns:
        missing.append("kode_opd (atau opd)")
    if not {"tahun", "tahun_awal", "periode"} & set(columns) and not window_text:
        missing.append("tahun (atau tahun_awal/tahun_akhir, atau tahun_wajib di [katalog])")
    for name in missing:
        problems.append(Problem(None, None, f"kolom {name} tidak ditemukan. Tambahkan kolom itu, atau petakan "
                                "judul kolom Anda kepadanya di bagian [katalog.kolom] pengaturan.toml."))
    window: tuple[int, ...] = ()
    if window_text:
        try:
            window = _years_of(parse_years(window_text))
        except ValueError:
            problems.append(Problem(None, None, f"tahun_wajib '{window_text}' di [katalog] bukan tahun. "
                                    "Tulis misalnya \"2019-2023\"."))
    if problems:
        return pd.DataFrame(), problems, [], []

    def cell(row: dict, std: str) -> str:
        return _text(row.get(columns[std])) if std in columns else ""

    excluded: list[Exclusion] = []
    reviews: list[dict] = []
    records = []
    per_opd: dict[str, int] = {}
    fuzzy_cache: dict[str, FuzzyOpd | None] = {}
    no_window = 0  # rows owed "every year" with no years written and no window set
    for line, row in zip(raw.index, raw.to_dict(orient="records"), strict=True):
        line = int(line)
        if not any(_text(v) for v in row.values()):
            continue
        opd_text, name = cell(row, opd_col), cell(row, "nama_elemen")

        def drop(reason: str, column: str | None, message: str, items: int | None = None, code: str | None = None,
                 line: int = line, opd_text: str = opd_text, name: str = name) -> None:
            excluded.append(Exclusion(line, label.get(column) if column else None, reason, message, opd_text,
                                      code, name, items))  # fmt: skip

        code = register.resolve(opd_text) if opd_text else None
        if opd_text and code is None:
            if opd_text not in fuzzy_cache:
                fuzzy_cache[opd_text] = register.match_fuzzy(opd_text, settings.matching.opd_threshold)
            found = fuzzy_cache[opd_text]
            if found is not None:
                code = found.kode_opd
                reviews.append({"baris": line, "kolom": label[opd_col], "opd_tertulis": opd_text,
                                "kode_opd": code, "nama_opd": found.nama_opd, "skor": found.skor})
        if code is not None and "kode_elemen" not in columns:  # numbered before any check: codes never move
            per_opd[code] = per_opd.get(code, 0) + 1
        frequency, spans, year_problem = _row_frequency_and_spans(row, columns, cell, settings)
        years = frequency.years_owed(_years_of(spans) if spans else window) if frequency else ()
        items = len(years) if frequency and (spans or window) else None
        if not _meaningful(name):
            shown = f"'{name}'" if name else "kosong"
            drop("nama_kosong", "nama_elemen", f"nama elemen {shown}: baris ini tidak dapat dipenuhi OPD. Tulis nama "
                 "elemen datanya.", items, code)
            continue
        if not opd_text:
            drop("opd_kosong", opd_col, "produsen data kosong. Isi kode, nama atau singkatan produsen data dari "
                 "daftar OPD.", items)
            continue
        if code is None:
            ranked = register.ranked(opd_text, 2)
            hint = "; ".join(f"{c} ({register.name(c)}, skor {fmt_skor(s)})" for c, _, s in ranked) or "tidak ada"
            drop("opd_tidak_dikenal", opd_col, f"produsen '{opd_text}' tidak dikenal di daftar OPD (yang paling mirip: "
                 f"{hint}; ambang {fmt_skor(settings.matching.opd_threshold)}). Tulis nama yang ada di daftar, atau "
                 "tambahkan nama ini sebagai alias di daftar OPD.", items)
            continue
        if year_problem is not None:
            reason, column, message = year_problem
            drop(reason, column, message, None, code)
            continue
        if frequency is None or (not spans and not window):
            no_window += 1
            where = "tahun" if "tahun" in columns else "tahun_awal" if "tahun_awal" in columns else None
            drop("tahun_kosong", where, "tahun wajib kosong. Isi tahun yang wajib diserahkan, atau isi tahun_wajib "
                 "(jendela evaluasi) di bagian [katalog] pengaturan.toml.", None, code)
            continue
        tingkat = None
        if cell(row, "tingkat"):
            try:
                tingkat = _int_or_none(cell(row, "tingkat"))
            except ValueError:
                drop("tingkat_tidak_valid", "tingkat", f"tingkat '{cell(row, 'tingkat')}' bukan bilangan bulat. "
                     "Tulis 1 untuk elemen, 2 untuk sub-elemen, dst.", items, code)
                continue
        k_urusan, n_urusan = cell(row, "kode_urusan"), cell(row, "nama_urusan")
        records.append({
            "baris": line, "kode_opd": code, "nama_elemen": name, "opd_tertulis": opd_text,
            "kode_elemen": cell(row, "kode_elemen") if "kode_elemen" in columns else f"{code}-{per_opd[code]:03d}",
            "satuan_asli": cell(row, "satuan"),
            "kode_urusan": k_urusan or n_urusan or NO_URUSAN_CODE, "nama_urusan": n_urusan or k_urusan or NO_URUSAN_NAME,
            "tahun_awal": _pick(spans, 0) if spans else (min(window) if window else None),
            "tahun_akhir": _pick(spans, 1) if spans else (max(window) if window else None),
            "tahun_wajib": years, "periode": frequency.label, "jumlah_periode": frequency.periods,
            "wajib": frequency.kind != TIDAK_WAJIB, "induk": cell(row, "induk") or None, "tingkat": tingkat,
            "demo_saja": cell(row, "demo_saja").lower() in _TRUE,
            **{c: cell(row, c) or None for c in OPTIONAL_COLUMNS},
        })  # fmt: skip
    if no_window and not window and "periode" in columns:
        problems.append(Problem(None, None, f"{no_window} baris katalog menulis periode (mis. 'Tahunan') tanpa tahun, "
                                "dan jendela evaluasi belum diatur. Isi tahun_wajib di bagian [katalog] "
                                "pengaturan.toml, misalnya tahun_wajib = \"2019-2023\"."))
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame, problems, excluded, reviews
    frame.index = pd.Index(frame.pop("baris").astype(int))
    for col in ("tahun_awal", "tahun_akhir", "tingkat"):
        frame[col] = frame[col].astype("Int64")
    for col in ("kode_elemen", "nama_elemen"):
        frame[col] = frame[col].astype("str")
    units = UnitTable(settings.units.spellings)
    frame["satuan"] = [units.canonical(u) or "" for u in frame["satuan_asli"]]
    labels = {**label, "tahun_awal": label.get("tahun_awal", label.get("tahun", "tahun")),
              "tahun_akhir": label.get("tahun_akhir", label.get("tahun", "tahun"))}
    frame = _drop_duplicates(frame, label, excluded)
    frame = _drop_problems(frame, catalogue_problems(frame, labels), labels, excluded)
    frame = _finish_hierarchy(frame, "induk" in columns, settings, label, excluded)
    return frame, problems, excluded, reviews


def _meaningful(name: str) -> bool:
    """A name with at least one letter or digit (``*``, ``-``, ``***`` name nothing)."""
    return any(ch.isalnum() for ch in name)


def _row_frequency_and_spans(row, columns, cell, settings) -> tuple[Frequency | None, list | None, tuple | None]:
    """(frequency, explicit year spans, problem) of one row; a problem is (reason, column, message)."""
    extra = settings.catalogue.frequencies
    frequency: Frequency | None = ANNUAL
    if "periode" in columns and cell(row, "periode"):
        text = cell(row, "periode")
        frequency = frequency_of(text, extra)
        if frequency is None and not ({"tahun", "tahun_awal"} & set(columns)):
            try:  # years written in the period column ("PERIODE: 2020")
                return ANNUAL, parse_years(text), None
            except ValueError:
                pass
        if frequency is None:
            return None, None, ("periode_tidak_dikenal", "periode", f"periode '{text}' tidak dikenal. Tambahkan "
                                f"di [katalog.periode] pengaturan.toml, misalnya \"{text}\" = \"tahunan\" (atau "
                                "semesteran, triwulanan, bulanan, '5 tahunan', 'tidak wajib').")
    if "tahun_awal" in columns and cell(row, "tahun_awal"):
        try:
            start = _int_or_none(cell(row, "tahun_awal"))
            end = _int_or_none(cell(row, "tahun_akhir")) if cell(row, "tahun_akhir") else start
            return frequency, [(start, end)], None
        except ValueError:
            return frequency, None, ("tahun_tidak_valid", "tahun_awal", "tahun awal/akhir bukan angka tahun. Tulis "
                                     "tahun empat angka, misalnya 2019.")
    text = cell(row, "tahun") if "tahun" in columns else ""
    if not text:
        return frequency, None, None
    named = frequency_of(text, extra)
    if named is not None:
        return named, None, None
    try:
        return frequency, parse_years(text), None
    except ValueError:
        if "periode" not in columns:
            hint = " atau sebuah periode (tahunan, semesteran, ...; tambahkan kata lain di [katalog.periode])"
        else:
            hint = ""
        return frequency, None, ("tahun_tidak_valid", "tahun", f"tahun '{text}' tidak dapat dibaca. Tulis misalnya "
                                 f"\"2015-2019\" atau \"2017, 2018, 2019\"{hint}.")


def _drop_duplicates(frame: pd.DataFrame, label: dict, excluded: list[Exclusion]) -> pd.DataFrame:
    """Rows naming the same element of the same producer (and the same code, when codes are given) as
    an earlier row are the same item twice: the first is kept."""
    key = frame["kode_opd"].astype(str) + "\x1f" + frame["nama_elemen"].map(fold)
    if "kode_elemen" in label:
        key = key + "\x1f" + frame["kode_elemen"].map(lambda c: "".join(str(c).split()).lower())
    first = pd.Series(frame.index, index=frame.index).groupby(key.to_numpy()).transform("first")
    dup = first.to_numpy() != frame.index.to_numpy()
    for line, first_line in zip(frame.index[dup], first[dup], strict=True):
        row = frame.loc[line]
        excluded.append(Exclusion(int(line), label.get("nama_elemen"), "duplikat", f"elemen '{row['nama_elemen']}' "
                                  f"produsen {row['kode_opd']} sudah ada di baris {int(first_line)}. Hapus baris "
                                  "ganda ini.", row["opd_tertulis"], row["kode_opd"], row["nama_elemen"], 0))  # fmt: skip
    return frame[~dup]


_REASON_OF_COLUMN = {"nama_elemen": "nama_kosong", "tahun_awal": "tahun_tidak_valid",
                     "tahun_akhir": "tahun_tidak_valid", "tingkat": "tingkat_tidak_valid"}  # fmt: skip


def _drop_problems(frame: pd.DataFrame, problems: list[Problem], labels: dict, excluded: list[Exclusion]) -> pd.DataFrame:
    """Rows the schema finds wrong (codes used twice or empty, impossible years, bad levels) are excluded."""
    standard_of = {v: k for k, v in labels.items()}
    bad: dict[int, Problem] = {}
    for p in problems:
        if p.baris is not None and p.baris in frame.index:
            bad.setdefault(p.baris, p)
    for line, p in bad.items():
        std = standard_of.get(p.kolom or "", "")
        reason = ("kode_ganda" if "lebih dari sekali" in p.pesan else "kode_kosong") if std == "kode_elemen" \
            else _REASON_OF_COLUMN.get(std, "tidak_valid")
        row = frame.loc[line]
        excluded.append(Exclusion(line, p.kolom, reason, p.pesan, row["opd_tertulis"], row["kode_opd"], row["nama_elemen"],
                                  len(row["tahun_wajib"]) if reason == "kode_ganda" else None))  # fmt: skip
    return frame.drop(index=list(bad))


def _pick(spans: list[tuple[int, int]], which: int) -> int | None:
    """tahun_awal/tahun_akhir for validation: a backwards span is kept as written."""
    backwards = [sp for sp in spans if sp[0] > sp[1]]
    if backwards:
        return backwards[0][which]
    return min(sp[0] for sp in spans) if which == 0 else max(sp[1] for sp in spans)


def _finish_hierarchy(frame: pd.DataFrame, has_induk: bool, settings: Settings, label: dict,
                      excluded: list[Exclusion]) -> pd.DataFrame:
    """Parent and level of every row; a row naming a parent the catalogue lacks is excluded."""
    if has_induk:
        known = set(frame["kode_elemen"])
        orphan = frame["induk"].notna() & ~frame["induk"].isin(known)
        for line in frame.index[orphan.to_numpy(dtype=bool)]:
            row = frame.loc[line]
            excluded.append(Exclusion(int(line), label["induk"], "induk_tidak_ada", f"induk '{row['induk']}' tidak ada "
                                      "di katalog. Tulis kode elemen induknya, atau kosongkan untuk elemen tingkat "
                                      "teratas.", row["opd_tertulis"], row["kode_opd"], row["nama_elemen"], None))  # fmt: skip
        frame = frame[~orphan.to_numpy(dtype=bool)].copy()
    else:
        frame = frame.copy()
    codes = list(frame["kode_elemen"])
    parents = _derive_hierarchy(codes, list(frame["induk"]) if has_induk else None)
    frame["induk"] = pd.Series(parents, index=frame.index, dtype="str")
    derived = pd.Series(_levels(codes, parents), index=frame.index, dtype="Int64")
    frame["tingkat"] = frame["tingkat"].fillna(derived).astype("int64")
    levels = settings.catalogue.levels_owed
    counted = pd.Series(True, index=frame.index) if levels is None else frame["tingkat"].isin(list(levels))
    frame["dihitung"] = counted & frame["wajib"].astype(bool)
    return frame


def load_catalogue(path: Path, register: Register, settings: Settings) -> Catalogue:
    """Read, map and check a catalogue. Unusable rows are excluded and listed (``Catalogue.excluded``);
    :class:`CatalogueError` is raised only when the file cannot be read, a required column or setting is
    missing, no usable row remains, or ``ketat = true`` and some row is unusable."""
    path = Path(path)
    if not path.exists():
        raise CatalogueError([Problem(None, None, f"berkas katalog {path} tidak ada. Periksa [katalog] berkas "
                                      "di pengaturan.toml.")], path.name)
    raw = read_table(path, settings.catalogue.sheet, settings.catalogue.columns, settings.limits)
    frame, problems, excluded, reviews = build_elements(raw, register, settings)
    if not problems and settings.catalogue.strict and excluded:
        problems = [Problem(e.baris, e.kolom, e.pesan) for e in excluded]
    if not problems and frame.empty:
        problems = [Problem(None, None, f"katalog tidak berisi satu baris elemen yang dapat dipakai ({len(excluded)} "
                            "baris dikecualikan; lihat `satudata katalog`). Isi daftar elemen.")]
    if problems:
        raise CatalogueError(problems, path.name)
    rows = frame.index.to_numpy(dtype="int64")
    elements = frame.reset_index(drop=True)[ELEMENT_COLUMNS].copy()
    elements["baris"] = rows
    elements["demo_saja"] = elements["demo_saja"].astype(bool)
    elements["dihitung"] = elements["dihitung"].astype(bool)
    with path.open("rb") as fh:  # in chunks: the file is not held in memory a second time
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return Catalogue(elements, path, digest,
                     exclusions_frame(excluded), pd.DataFrame(reviews, columns=REVIEW_COLUMNS),
                     rows_read=len(frame) + len(excluded))  # fmt: skip


def region_words(settings: Settings) -> tuple[str, ...]:
    """Words of the region's name that producers append to their names (``Demak``)."""
    return tuple(fold(settings.region_short).split()) or ("demak",)


def load_reference(reference_dir: Path, settings: Settings) -> tuple[Register, Catalogue]:
    """The validated register and catalogue named in the settings, from ``reference_dir``."""
    reference_dir = Path(reference_dir)
    register_path = reference_dir / settings.register.file
    if not register_path.exists():
        raise RegisterError([Problem(None, None, f"berkas daftar OPD {register_path} tidak ada. Periksa "
                                     "[register] berkas di pengaturan.toml.")], settings.register.file)
    register = load_register(register_path, settings.register.columns or None, settings.limits)
    words = region_words(settings)
    if words != register.region_words:
        register = Register(register.frame, region_words=words, rows=register.rows)
    validate_register(register.frame, words, source=settings.register.file, rows=register.rows)
    return register, load_catalogue(reference_dir / settings.catalogue.file, register, settings)
