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
- Years: an empty year cell takes ``tahun_wajib`` of ``[katalog]`` (if set). A periodicity word
  (``Tahunan``, ``Semesteran``...) in the year column also takes ``tahun_wajib``; any other text
  must read as years. Years must lie in 1900..2100 and a range must not run backwards.
- Hierarchy: ``induk`` names the parent's code; without it the parent is derived from dotted
  numbering (``4.1.2.I.1.5`` -> the longest prefix that is itself a code). ``tingkat`` is read,
  or derived as 1 + the parent's level. ``settings.catalogue.levels_owed`` (``tingkat_wajib``)
  chooses the levels that count (``dihitung``); None counts every row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.names import fold
from satudata.reference_table import read_reference_table
from satudata.register import Register, RegisterError, load_register, validate_register
from satudata.settings import Settings
from satudata.validation import Problem, ProblemsError, catalogue_problems

STANDARD_COLUMNS = (
    "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd", "opd",
    "tahun_awal", "tahun_akhir", "tahun", "induk", "tingkat", "demo_saja",
)  # fmt: skip
ELEMENT_COLUMNS = [
    "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd",
    "tahun_wajib", "induk", "tingkat", "dihitung", "demo_saja",
]  # fmt: skip
ITEM_COLUMNS = ["kode_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "tahun"]
NO_URUSAN_CODE = "-"
NO_URUSAN_NAME = "Tanpa urusan"
PERIOD_WORDS = {"tahunan", "semesteran", "triwulanan", "bulanan", "per tahun", "setiap tahun"}
_TRUE = {"1", "ya", "y", "true", "benar", "x", "v"}
_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|s\s*\.?\s*/?\s*d\s*\.?|sampai|hingga)\s*(\d+)", re.IGNORECASE)


class CatalogueError(ProblemsError):
    """An invalid catalogue: ``problems`` lists them all; ``str()`` is the Indonesian report."""

    what = "Katalog"


@dataclass
class Catalogue:
    """The validated catalogue: one row per element owed by one producer."""

    elements: pd.DataFrame
    source: Path | None = None
    sha256: str | None = None

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


def read_table(path: Path, sheet: str | None = None, mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """The catalogue table as text cells, the header found below any title rows (see
    :func:`satudata.reference_table.read_reference_table`); index = the rows' numbers in the file."""
    known = {fold(c) for c in STANDARD_COLUMNS} | {fold(k) for k in (mapping or {})}
    return read_reference_table(path, sheet, known, CatalogueError, "katalog")


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
    for standard in STANDARD_COLUMNS:
        if standard not in found and fold(standard) in by_fold:
            found[standard] = by_fold[fold(standard)]
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
) -> tuple[pd.DataFrame, list[Problem]]:
    """Map, parse and check a raw catalogue table; returns the elements and every problem."""
    columns, problems = map_columns(list(raw.columns), settings.catalogue.columns)
    label = {std: header for std, header in columns.items()}
    opd_col = "kode_opd" if "kode_opd" in columns else "opd"
    default_years = settings.catalogue.default_years
    missing = []
    if "nama_elemen" not in columns:
        missing.append("nama_elemen")
    if opd_col not in columns:
        missing.append("kode_opd (atau opd)")
    if not {"tahun", "tahun_awal"} & set(columns) and not default_years:
        missing.append("tahun (atau tahun_awal/tahun_akhir, atau tahun_wajib di [katalog])")
    for name in missing:
        problems.append(Problem(None, None, f"kolom {name} tidak ditemukan. Tambahkan kolom itu, atau petakan "
                                "judul kolom Anda kepadanya di bagian [katalog.kolom] pengaturan.toml."))
    if problems:
        return pd.DataFrame(), problems

    default_spans: list[tuple[int, int]] | None = None
    if default_years:
        try:
            default_spans = parse_years(default_years)
        except ValueError:
            problems.append(Problem(None, None, f"tahun_wajib '{default_years}' di [katalog] bukan tahun. "
                                    "Tulis misalnya \"2015-2019\"."))

    def cell(row: dict, std: str) -> str:
        return _text(row.get(columns[std])) if std in columns else ""

    records = []
    per_opd: dict[str, int] = {}
    for line, row in zip(raw.index, raw.to_dict(orient="records"), strict=True):
        line = int(line)
        if not any(_text(v) for v in row.values()):
            continue
        rec: dict[str, object] = {"baris": line}
        opd_text = cell(row, opd_col)
        code = register.resolve(opd_text) if opd_text else None
        if not opd_text:
            problems.append(Problem(line, label[opd_col], "OPD kosong. Isi kode, nama atau singkatan "
                                    "produsen data dari daftar OPD."))
        elif code is None:
            hint = ", ".join(f"{c} ({n})" for c, n, _ in register.closest(opd_text, 2))
            problems.append(Problem(line, label[opd_col], f"OPD '{opd_text}' tidak dikenal di daftar OPD. "
                                    f"Tulis kode, nama atau singkatan yang ada di daftar (mungkin: {hint}), "
                                    "atau tambahkan produsen ini ke daftar OPD."))
        rec["kode_opd"] = code
        rec["nama_elemen"] = cell(row, "nama_elemen")
        rec["satuan"] = cell(row, "satuan")
        if "kode_elemen" in columns:
            rec["kode_elemen"] = cell(row, "kode_elemen")
        elif code is not None:
            per_opd[code] = per_opd.get(code, 0) + 1
            rec["kode_elemen"] = f"{code}-{per_opd[code]:03d}"
        else:
            rec["kode_elemen"] = f"?-{line}"
        k_urusan, n_urusan = cell(row, "kode_urusan"), cell(row, "nama_urusan")
        rec["kode_urusan"] = k_urusan or n_urusan or NO_URUSAN_CODE
        rec["nama_urusan"] = n_urusan or k_urusan or NO_URUSAN_NAME
        spans = _row_spans(row, columns, cell, default_spans, line, label, problems)
        rec["tahun_awal"] = _pick(spans, 0)
        rec["tahun_akhir"] = _pick(spans, 1)
        rec["tahun_wajib"] = _years_of(spans or [])
        rec["induk"] = cell(row, "induk") or None
        rec["tingkat"] = None
        if cell(row, "tingkat"):
            try:
                rec["tingkat"] = _int_or_none(cell(row, "tingkat"))
            except ValueError:
                problems.append(Problem(line, label["tingkat"], f"tingkat '{cell(row, 'tingkat')}' bukan "
                                        "bilangan bulat. Tulis 1 untuk elemen, 2 untuk sub-elemen, dst."))
        rec["demo_saja"] = cell(row, "demo_saja").lower() in _TRUE
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        problems.append(Problem(None, None, "katalog tidak berisi satu baris elemen pun. Isi daftar elemen."))
        return frame, problems
    frame.index = pd.Index(frame.pop("baris").astype(int))
    for col in ("tahun_awal", "tahun_akhir", "tingkat"):
        frame[col] = frame[col].astype("Int64")
    for col in ("kode_elemen", "nama_elemen"):
        frame[col] = frame[col].astype("str")
    labels = {**label, "tahun_awal": label.get("tahun_awal", label.get("tahun", "tahun")),
              "tahun_akhir": label.get("tahun_akhir", label.get("tahun", "tahun"))}
    problems += catalogue_problems(frame, labels)
    _finish_hierarchy(frame, "induk" in columns, settings, label, problems)
    return frame, problems


def _pick(spans: list[tuple[int, int]] | None, which: int) -> int | None:
    """tahun_awal/tahun_akhir for validation: a backwards span is kept as written."""
    if not spans:
        return None
    backwards = [s for s in spans if s[0] > s[1]]
    if backwards:
        return backwards[0][which]
    return min(s[0] for s in spans) if which == 0 else max(s[1] for s in spans)


def _row_spans(row, columns, cell, default_spans, line, label, problems) -> list[tuple[int, int]] | None:
    if "tahun_awal" in columns and cell(row, "tahun_awal"):
        try:
            start = _int_or_none(cell(row, "tahun_awal"))
            end = _int_or_none(cell(row, "tahun_akhir")) if cell(row, "tahun_akhir") else start
            return [(start, end)]
        except ValueError:
            problems.append(Problem(line, label["tahun_awal"], "tahun awal/akhir bukan angka tahun. Tulis "
                                    "tahun empat angka, misalnya 2019."))
            return None
    text = cell(row, "tahun") if "tahun" in columns else ""
    if text and fold(text) not in PERIOD_WORDS:
        try:
            return parse_years(text)
        except ValueError:
            problems.append(Problem(line, label["tahun"], f"tahun '{text}' tidak dapat dibaca. Tulis misalnya "
                                    "\"2015-2019\" atau \"2017, 2018, 2019\"."))
            return None
    if default_spans:
        return default_spans
    where = label.get("tahun", label.get("tahun_awal"))
    problems.append(Problem(line, where, "tahun wajib kosong. Isi tahun yang wajib diserahkan, atau isi "
                            "tahun_wajib di bagian [katalog] pengaturan.toml."))
    return None


def _finish_hierarchy(frame: pd.DataFrame, has_induk: bool, settings: Settings, label: dict,
                      problems: list[Problem]) -> None:
    codes = list(frame["kode_elemen"])
    parents = _derive_hierarchy(codes, list(frame["induk"]) if has_induk else None)
    known = set(codes)
    for line, parent in zip(frame.index, parents, strict=True):
        if has_induk and parent is not None and parent not in known:
            problems.append(Problem(int(line), label["induk"], f"induk '{parent}' tidak ada di katalog. Tulis "
                                    "kode elemen induknya, atau kosongkan untuk elemen tingkat teratas."))
    frame["induk"] = pd.Series(parents, index=frame.index, dtype="str")
    derived = pd.Series(_levels(codes, parents), index=frame.index, dtype="Int64")
    frame["tingkat"] = frame["tingkat"].fillna(derived).astype("int64")
    levels = settings.catalogue.levels_owed
    frame["dihitung"] = True if levels is None else frame["tingkat"].isin(list(levels))


def load_catalogue(path: Path, register: Register, settings: Settings) -> Catalogue:
    """Read, map and validate a catalogue; raises :class:`CatalogueError` listing every problem."""
    path = Path(path)
    if not path.exists():
        raise CatalogueError([Problem(None, None, f"berkas katalog {path} tidak ada. Periksa [katalog] berkas "
                                      "di pengaturan.toml.")], path.name)
    raw = read_table(path, settings.catalogue.sheet, settings.catalogue.columns)
    frame, problems = build_elements(raw, register, settings)
    if problems:
        raise CatalogueError(problems, path.name)
    elements = frame.reset_index(drop=True)[ELEMENT_COLUMNS].copy()
    elements["demo_saja"] = elements["demo_saja"].astype(bool)
    elements["dihitung"] = elements["dihitung"].astype(bool)
    return Catalogue(elements, path, hashlib.sha256(path.read_bytes()).hexdigest())


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
    register = load_register(register_path, settings.register.columns or None)
    words = region_words(settings)
    if words != register.region_words:
        register = Register(register.frame, region_words=words, rows=register.rows)
    validate_register(register.frame, words, source=settings.register.file, rows=register.rows)
    return register, load_catalogue(reference_dir / settings.catalogue.file, register, settings)
