"""Ingestion of one round: every raw row becomes values, a structural row or an issue.

Rules decided here (documented for analysts):

* Files are processed in sorted order of their path inside the round folder, sheets in workbook
  order, rows top to bottom. Hidden files (``.x``) and Office lock files (``~$x``) are ignored.
  A round of at least ``PARALLEL_MIN_FILES`` files, or of two or more files of at least
  ``PARALLEL_MIN_BYTES`` bytes in all, is shared out over forked processes (one per CPU;
  ``SATUDATA_INGEST_WORKERS=1`` or ``workers=1`` keeps it in one process); each file gives the same
  compact part whichever process reads it, and the parts are joined in that order, so every output is
  the same as in one process. Without ``fork`` (or if forking fails) the round is read in one process.
* The sender (OPD) is, in order: an OPD column of the table (per row); a cell such as
  ``OPD: Dinas Kesehatan`` / ``Perangkat Daerah : ...`` above the table (per sheet, else any sheet);
  the file name (``03_Dinkes_rev2.xlsx``); the sub-folder of the round folder; a title cell naming it.
  All through :class:`~satudata.register.Register`. Unresolved: issue ``opd_tidak_dikenal`` with the
  closest register entries; the values are kept with ``kode_opd`` null and ``dihitung`` False.
* Duplicates: the same OPD, element and year read twice in a round: the value read **later** wins
  (``dipakai`` True), the earlier row stays with ``dipakai`` False; when the values differ an issue
  ``duplikat`` names both places.
* Row accounting per file (``manifest.json``): ``dibaca`` counts the non-blank rows of every sheet;
  blank rows are excluded from ``dibaca`` and reported apart as ``kosong`` (trailing blank rows at the
  end of a sheet are not read at all). Always
  ``dibaca == data + sum(struktur.values()) + ditolak``. A data row yields at least one value; a row
  whose every value cell is invalid, a row with values but no label, and every row of a sheet whose
  table cannot be recognised although it holds numbers are ``ditolak`` (with an issue). Rows of
  cover/instruction sheets count as structure ``sheet_dilewati`` and are noted in the file's
  ``catatan`` (not an issue: the sender did nothing wrong).
* Text numbers in CSV/TXT files and HTML tables (text-only sources) are read per column: a column that
  writes decimals with a dot (``9498.07``) is read as such (see :mod:`satudata.numbers`); elsewhere,
  and in every workbook, the Indonesian rules apply.
* A data row whose every year cell is ``-`` is kept and flagged ``semua_nihil`` (peringatan).
* Outputs follow ``docs/architecture.md``; ``nilai`` adds the column ``dipakai`` (bool) and each
  manifest file entry adds ``jenis``, ``encoding``, ``pemisah``, ``sheet``, ``status``, ``jumlah_nilai``
  and ``baris.kosong``.
* Issue levels: ``galat`` (the file, a row or a cell could not be used: fix and resend), ``peringatan``
  (used or kept, but needs a person: unknown element, duplicate, all-nil row), ``info`` (for review:
  fuzzy matches, ambiguous numbers, skipped sheets, HTML disguised as ``.xls``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import chain, compress
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from satudata import __version__, matching, numbers, tables
from satudata.matching import METHOD_FUZZY, ElementIndex, Match
from satudata.names import fold
from satudata.numbers import (
    STATUS_ADA,
    STATUS_NIHIL,
    STATUS_RAHASIA,
    STATUS_TIDAK_TERSEDIA,
    STATUS_TIDAK_VALID,
    column_uses_dot_decimal,
    parse_cell,
    parse_texts_array,
)
from satudata.parallel import map_shared as _map_shared
from satudata.readers import SUPPORTED_SUFFIXES, Grid, ReadError, Source, column_letter, is_blank, read_source
from satudata.reading import SheetReading, read_sheet
from satudata.reading.columns import DIM_INDIKATOR, ROLE_NILAI, ROLE_TAHUN
from satudata.reading.labels import is_generic, read_label
from satudata.register import Register
from satudata.safe_text import to_csv as safe_to_csv
from satudata.settings import Settings
from satudata.sheet_values import add_sheet, element_issue
from satudata.tables import (
    ROLE_BLANK,
    ROLE_DATA,
    ROLE_NO_LABEL,
    Layout,
    cell_text,
    detect_layout,
    is_auxiliary_sheet,
    is_instruction_sheet,
    next_table,
    row_roles,
    sub_grid,
    subtotal_words,
)

NILAI_COLUMNS = [
    "putaran", "kode_opd", "kode_elemen", "nama_elemen", "nama_elemen_asli", "satuan_asli", "tahun", "nilai",
    "status", "teks_asli", "dihitung", "metode_cocok", "skor_cocok", "sumber_file", "sumber_sheet",
    "sumber_baris", "sumber_kolom", "dipakai", "rincian", "jenis_rincian", "periode", "total", "label_baris",
    "label_kolom", "judul_tabel",
]  # fmt: skip
# row fields only tables read by satudata.reading fill (the submission-template shape leaves them empty)
_DETAIL_FIELDS = ("rincian", "jenis_rincian", "periode", "total", "label_baris", "label_kolom", "judul_tabel")
MASALAH_COLUMNS = [
    "putaran", "sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom", "kode_opd", "tingkat",
    "kode_masalah", "pesan",
]  # fmt: skip
_ROW_FIELDS = (
    "kode_opd",
    "match",
    "nama_elemen_asli",
    "satuan_asli",
    "sumber_file",
    "sumber_sheet",
    "sumber_baris",
)
# per value, in chunks (one per sheet): "is_text" marks the values written as text; their texts are in "texts"
# and the numbers written as numbers in "numbers" (teks_asli is made from both when a part is built)
_VALUE_FIELDS = ("row", "tahun", "nilai", "status", "is_text", "texts", "numbers", "sumber_kolom")
GALAT, PERINGATAN, INFO = "galat", "peringatan", "info"
ROLE_SKIPPED_SHEET = "sheet_dilewati"
_OPD_CELL = re.compile(
    r"^\s*(opd|nama opd|perangkat daerah|nama perangkat daerah|skpd|instansi|produsen data|unit kerja)"
    r"\s*[:：]\s*(.*)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class IngestResult:
    """Values, issues and manifest of one round (or one file)."""

    nilai: pd.DataFrame
    masalah: pd.DataFrame
    manifest: dict


@dataclass
class _Context:
    round_date: str
    register: Register
    index: ElementIndex
    settings: Settings
    totals: set[str]
    # row-level lists (one entry per data row) and value-level lists (one per value; "row" points back)
    rows: dict[str, list] = field(default_factory=lambda: {c: [] for c in _ROW_FIELDS})
    # value-level fields in chunks (one chunk per sheet, each an array or list in row/column order)
    vals: dict[str, list] = field(default_factory=lambda: {c: [] for c in _VALUE_FIELDS})
    n_vals: int = 0
    letter_ids: dict[str, int] = field(default_factory=dict)  # column letters -> id used in vals
    same_year_twice: bool = False  # a table gives one row two values for the same year (two year columns)
    details: dict[int, tuple] = field(default_factory=dict)  # row index -> _DETAIL_FIELDS (see reading)
    issues: list[dict] = field(default_factory=list)
    _opd_cache: dict[str, str | None] = field(default_factory=dict)

    def issue(self, file: str, sheet: str | None, row: int | None, col: str | None, opd: str | None,
              level: str, code: str, message: str) -> None:  # fmt: skip
        self.issues.append({
            "putaran": self.round_date, "sumber_file": file, "sumber_sheet": sheet, "sumber_baris": row,
            "sumber_kolom": col, "kode_opd": opd, "tingkat": level, "kode_masalah": code, "pesan": message,
        })  # fmt: skip

    def resolve_opd(self, text: str) -> str | None:
        if text not in self._opd_cache:
            self._opd_cache[text] = self.register.resolve(text) or self.register.find_in(text)
        return self._opd_cache[text]

    def fresh(self) -> _Context:
        """A context for another run of files: same round and look-ups (caches shared), nothing collected."""
        return _Context(self.round_date, self.register, self.index, self.settings, self.totals,
                        _opd_cache=self._opd_cache)  # fmt: skip


@dataclass
class _Part:
    """What a run of files gives, compact and picklable: manifest entries, issues, ``nilai`` columns.

    The columns (Arrow string arrays, numpy arrays) are every ``nilai`` column but ``putaran`` and
    ``dipakai``; the parts of consecutive runs of files join into the round's (:func:`_values_frame`).
    """

    entries: list[dict]
    issues: list[dict]
    per_row: dict[str, pa.Array | np.ndarray]  # one entry per data row
    per_value: dict[str, pa.Array | np.ndarray]  # one per value; ``row`` points into ``per_row``
    same_year_twice: bool = False  # some row has two values for one year (see _may_have_duplicates)
    # the row-level fields spread over the values (as in ``nilai``), when already made (see _spread)
    spread: dict[str, pa.Array | np.ndarray] | None = None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def catalogue_version(catalogue: Any) -> str:
    """The catalogue's version: the sha256 of its file when it was read from one (as the manifest's
    ``katalog.sha256`` and the report show it), else of its elements (column names and every value
    as text, in order)."""
    if getattr(catalogue, "sha256", None):
        return catalogue.sha256
    h = hashlib.sha256()
    for name, column in catalogue.elements.items():
        h.update(f"\x1d{name}\x1e".encode())
        h.update("\x1f".join(_value_texts(column.tolist())).encode("utf-8"))
    return h.hexdigest()


def _value_texts(values: list) -> list[str]:
    """``[str(v) for v in values]``; values of one exact type whose equal values print alike are printed once."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return values
    if kinds in ({int}, {bool}) or (
        kinds == {tuple} and set(map(type, chain.from_iterable(values))) <= {int}
    ):
        memo = {v: str(v) for v in set(values)}
        return list(map(memo.__getitem__, values))
    return list(map(str, values))


def clear_caches() -> None:
    """Empty the process-wide caches of ingestion (number parsing, name normalisation, the catalogue index).

    Results never depend on them; benchmarks clear them to time a cold run, as in a fresh process.
    """
    numbers.clear_caches()
    matching.clear_caches()
    tables.clear_caches()
    _INDEX_CACHE.clear()


# Process-wide cache (results never depend on it): the index of the catalogue last used. Its look-ups
# and matches hold for every round, so a session ingesting several rounds builds it once, and a round
# does not pay for tearing it down. It is the index of one elements table (the same object: a catalogue
# loaded again, from the same file with other settings, is another table) and one threshold.
_INDEX_CACHE: dict[str, tuple[weakref.ref, float, ElementIndex]] = {}


def _catalogue_index(catalogue: Any, threshold: float) -> ElementIndex:
    """The catalogue's element index, from the cache when it was made for this very elements table."""
    elements = catalogue.elements
    cached = _INDEX_CACHE.get("last")
    if cached is not None and cached[0]() is elements and cached[1] == threshold:
        return cached[2]
    index = ElementIndex(elements, threshold)
    try:
        _INDEX_CACHE["last"] = (weakref.ref(elements), threshold, index)
    except TypeError:  # not weakly referenceable: no cache
        _INDEX_CACHE.clear()
    return index


def _make_context(round_date: str, register: Register, catalogue: Any, settings: Settings) -> _Context:
    index = _catalogue_index(catalogue, settings.matching.element_threshold)
    words = (settings.region, settings.region_short, *register.region_words)
    return _Context(round_date, register, index, settings, subtotal_words(words))


def ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                 workers: int | None = None) -> IngestResult:  # fmt: skip
    """Ingest every file under ``raw_dir`` (read only); one bad file never stops the round.

    ``workers``: processes for a round of at least ``PARALLEL_MIN_FILES`` files (default: the environment
    variable ``SATUDATA_INGEST_WORKERS``, else the CPUs available; 1 = in this process only). The result is
    the same whatever the number.
    """
    raw_dir = Path(raw_dir)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collection passes only cost time here
    try:
        return _ingest_round(raw_dir, round_date, register, catalogue, settings, workers)
    finally:
        if gc_was_enabled:
            gc.enable()


_File = tuple[Path, str, "str | None"]  # path, path inside the round folder, folder naming the OPD
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 256 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

WORKERS_ENV = "SATUDATA_INGEST_WORKERS"


def _round_files(raw_dir: Path) -> list[_File]:
    """The files of a round in processing order (hidden files and Office lock files left out)."""
    files = sorted(
        (p for p in raw_dir.rglob("*") if p.is_file() or p.is_symlink()),  # a symlink: an issue, not followed
        key=lambda p: p.relative_to(raw_dir).as_posix(),
    )
    out = []
    for path in files:
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
            continue
        out.append((path, rel.as_posix(), rel.parts[0] if len(rel.parts) > 1 else None))
    return out


def _ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                  workers: int | None) -> IngestResult:  # fmt: skip
    ctx = _make_context(round_date, register, catalogue, settings)
    files = _round_files(raw_dir)
    n = worker_count(workers, len(files), sum(_size(path) for path, _, _ in files))
    if n > 1:
        version: list[str] = []
        ctx.index.prepare()  # built before the workers are forked: they share it
        try:
            # this process spreads its own rows over their values while the workers send theirs
            runs = _map_shared(partial(_read_file, ctx), files, n, _build_part,
                               meanwhile=lambda: version.append(catalogue_version(catalogue)),
                               join_here=lambda read: _spread(_build_part(read)))  # fmt: skip
        except Exception:  # no fork on this platform, no child process allowed here, ...: go on serially
            runs = None
        if runs is not None:
            return _finish(ctx, runs, version[0])
    return _finish(ctx, [_build_part([_read_file(ctx, f) for f in files])], catalogue_version(catalogue))


def worker_count(workers: int | None, n_files: int, n_bytes: int = 0) -> int:
    """Processes to use: ``workers``, else ``SATUDATA_INGEST_WORKERS``, else the CPUs; 1 for small rounds.

    A round is small when it has fewer than ``PARALLEL_MIN_FILES`` files and fewer than
    ``PARALLEL_MIN_BYTES`` bytes in all (a few big files are still worth sharing: forking costs ~10 ms).
    """
    if workers is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        if env.isdigit():
            workers = int(env)
        else:
            cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
            workers = len(cpus)
    big = n_files >= PARALLEL_MIN_FILES or (n_files >= 2 and n_bytes >= PARALLEL_MIN_BYTES)
    return max(1, min(workers, n_files)) if big else 1


def _read_file(ctx: _Context, file: _File) -> tuple[dict, _Context]:
    """Ingest one file of the round: its manifest entry and a context holding its rows, values and issues."""
    run = ctx.fresh()
    path, rel, folder = file
    return _ingest_one(run, path, rel, folder), run


def _ingest_part(ctx: _Context, file: _File) -> _Part:
    """One file of the round as a compact, picklable part."""
    return _build_part([_read_file(ctx, file)])


def ingest_file(path: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                folder_opd: str | None = None) -> IngestResult:  # fmt: skip
    """Ingest one file (``folder_opd``: the name of the folder it came from, if it names the OPD)."""
    ctx = _make_context(round_date, register, catalogue, settings)
    part = _ingest_part(ctx, (Path(path), Path(path).name, folder_opd))
    return _finish(ctx, [part], catalogue_version(catalogue))


def _finish(ctx: _Context, parts: list[_Part], catalogue_sha: str) -> IngestResult:
    """The round's tables and manifest from the parts of its runs of files, in file order."""
    nilai = _values_frame(ctx.round_date, parts)
    ctx.issues = [i for p in parts for i in p.issues]
    entries = [e for p in parts for e in p.entries]
    _mark_duplicates(ctx, nilai, parts)
    masalah = issues_frame(ctx.issues)
    totals = {"dibaca": 0, "data": 0, "ditolak": 0, "kosong": 0, "struktur": {}}
    for e in entries:
        b = e["baris"]
        for k in ("dibaca", "data", "ditolak", "kosong"):
            totals[k] += b[k]
        for role, n in b["struktur"].items():
            totals["struktur"][role] = totals["struktur"].get(role, 0) + n
    levels = Counter(i["tingkat"] for i in ctx.issues)
    manifest = {
        "putaran": ctx.round_date,
        "dibuat": datetime.now(ZoneInfo(ctx.settings.timezone)).isoformat(timespec="seconds"),
        "versi_paket": __version__,
        "pengaturan": json.loads(json.dumps(ctx.settings.as_dict(), default=str)),
        "katalog_sha256": catalogue_sha,
        "berkas": entries,
        "jumlah_baris": totals,
        "jumlah_nilai": int(len(nilai)),
        "jumlah_masalah": {lvl: levels.get(lvl, 0) for lvl in (GALAT, PERINGATAN, INFO)},
    }
    return IngestResult(nilai, masalah, manifest)


def issues_frame(issues: list[dict]) -> pd.DataFrame:
    """The ``masalah`` table of a list of issues: text columns as strings, ``sumber_baris`` as Int64."""
    return pd.DataFrame({
        col: pd.array([i[col] for i in issues], dtype="Int64" if col == "sumber_baris" else "string")
        for col in MASALAH_COLUMNS
    })  # fmt: skip


def _joined_rows(parts: list[_Part]) -> np.ndarray:
    """The ``row`` pointers of consecutive parts into their row fields laid end to end."""
    starts = np.cumsum([0] + [len(p.per_row["sumber_baris"]) for p in parts[:-1]])
    return np.concatenate([p.per_value["row"] + start for p, start in zip(parts, starts, strict=True)])


def _spread(part: _Part) -> _Part:
    """The part with its row-level fields spread over its values (what :func:`_values_frame` needs)."""
    idx = part.per_value["row"]
    take = pa.array(idx, type=pa.int64())
    part.spread = {
        name: column[idx] if isinstance(column, np.ndarray) else column.take(take)
        for name, column in part.per_row.items()
    }
    return part


def _values_frame(round_date: str, parts: list[_Part]) -> pd.DataFrame:
    """The ``nilai`` table of consecutive parts: row-level fields are spread over the values of each row.

    Text columns are Arrow arrays in one chunk per part (not copied into one).
    """
    spread = [p.spread if p.spread is not None else _spread(p).spread for p in parts]
    n = sum(len(p.per_value["row"]) for p in parts)
    data: dict[str, object] = {}
    for name in chain(parts[0].per_row, parts[0].per_value):
        if name == "row":
            continue
        chunks = [s[name] for s in spread] if name in parts[0].per_row else [p.per_value[name] for p in parts]
        if isinstance(chunks[0], np.ndarray):
            data[name] = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
        else:
            data[name] = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.string()))
    years = data["tahun"]
    data["tahun"] = pd.arrays.IntegerArray(years, years == 0)  # 0: the table tells no year
    data["putaran"] = pd.arrays.ArrowStringArray(pa.repeat(round_date, n))
    data["dipakai"] = np.ones(n, dtype=bool)
    return pd.DataFrame(data, columns=NILAI_COLUMNS, copy=False)


def _build_part(files: list[tuple[dict, _Context]]) -> _Part:
    """The part of consecutive files (as :func:`_read_file` gives them): row-level fields once per data row.

    Built once per run of files, so that the arrays are made in a few large steps, not per file.
    """
    rows: dict[str, list] = {name: [] for name in _ROW_FIELDS}
    vals: dict[str, list] = {name: [] for name in _VALUE_FIELDS}
    letters: dict[str, int] = {}
    issues: list[dict] = []
    details: dict[int, tuple] = {}
    for _, run in files:
        base = len(rows["sumber_baris"])
        details.update((base + k, v) for k, v in run.details.items())
        for name in _ROW_FIELDS:
            rows[name].extend(run.rows[name])
        for name in ("tahun", "nilai", "status", "is_text", "texts", "numbers"):
            vals[name].extend(run.vals[name])
        vals["row"].extend(chunk + base for chunk in run.vals["row"])
        ids = np.asarray([letters.setdefault(letter, len(letters)) for letter in run.letter_ids] or [0])
        vals["sumber_kolom"].extend(ids[chunk] for chunk in run.vals["sumber_kolom"])
        issues.extend(run.issues)

    def chunks(name: str, dtype: object) -> np.ndarray:
        parts = vals[name]
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    def text(values: list) -> pa.Array:
        return pa.array(values, type=pa.string(), from_pandas=False)

    # the fields of the matches, column by column: kode_elemen, nama_elemen, kode_opd_pemilik, metode, skor, ...
    fields = list(zip(*rows["match"], strict=True)) or [()] * len(Match._fields)
    per_row = {
        "kode_opd": text(rows["kode_opd"]),
        "kode_elemen": text(fields[0]),
        "nama_elemen": text(fields[1]),
        "nama_elemen_asli": text(rows["nama_elemen_asli"]),
        "satuan_asli": text(rows["satuan_asli"]),
        "dihitung": np.asarray(fields[5], dtype=bool),
        "metode_cocok": text(fields[3]),
        "skor_cocok": pa.array(fields[4], pa.float64()).to_numpy(zero_copy_only=False),
        "sumber_file": text(rows["sumber_file"]),
        "sumber_sheet": text(rows["sumber_sheet"]),
        "sumber_baris": np.asarray(rows["sumber_baris"], dtype=np.int64),
    }
    per_row.update(_detail_columns(details, rows["nama_elemen_asli"]))
    per_value = {
        "row": chunks("row", np.int64),
        "tahun": chunks("tahun", np.int64),
        "nilai": chunks("nilai", np.float64),
        "status": pa.array(_CODE_STATUS.tolist(), pa.string()).take(chunks("status", np.int8)),
        "teks_asli": _interleave_texts(
            chunks("is_text", bool), list(chain.from_iterable(vals["texts"])), chunks("numbers", np.float64)
        ),
        "sumber_kolom": pa.array(list(letters), pa.string()).take(chunks("sumber_kolom", np.int64)),
    }
    same_year_twice = any(run.same_year_twice for _, run in files)
    return _Part([entry for entry, _ in files], issues, per_row, per_value, same_year_twice)


def _detail_columns(details: dict[int, tuple], labels: list) -> dict[str, pa.Array | np.ndarray]:
    """The ``_DETAIL_FIELDS`` columns of a part's rows: from ``details`` where a row has them, else empty
    (``label_baris`` is then the element's name as written, ``total`` False)."""
    n = len(labels)
    out: dict[str, pa.Array | np.ndarray] = {}
    for k, name in enumerate(_DETAIL_FIELDS):
        if name == "total":
            flags = np.zeros(n, dtype=bool)
            for i, d in details.items():
                flags[i] = bool(d[k])
            out[name] = flags
            continue
        column = list(labels) if name == "label_baris" else [None] * n
        for i, d in details.items():
            column[i] = d[k]
        out[name] = pa.array(column, type=pa.string(), from_pandas=False)
    return out


# Arrow writes these floats exactly as Python does: whole numbers (through int64) below 1e15 as
# str(int(x)), other numbers of magnitude 1e-4 to 1e9 as repr(x); the rest go through Python
_WHOLE_MAX, _FRACTION_MIN, _FRACTION_MAX = 1e15, 1e-4, 1e9


def float_texts(floats: np.ndarray) -> list[str]:
    """``str(int(x))`` for whole floats and ``repr(x)`` for the others (as written in a cell), in bulk."""
    return _float_text_array(np.asarray(floats, dtype=np.float64)).to_pylist()


def _float_text_array(floats: np.ndarray) -> pa.Array:
    """:func:`float_texts` as an Arrow string array, without a Python string per value."""
    size = np.abs(floats)
    whole = floats == np.floor(floats)
    ints = whole & (size < _WHOLE_MAX)
    fractions = ~whole & (size >= _FRACTION_MIN) & (size < _FRACTION_MAX)
    rest = ~(ints | fractions)
    chunks, groups = [], []
    for group, texts in (
        (ints, lambda x: pa.array(x.astype(np.int64)).cast(pa.string())),
        (fractions, lambda x: pa.array(x).cast(pa.string())),
        (rest, lambda x: pa.array([str(int(v)) if v.is_integer() else cell_text(v) for v in x.tolist()], pa.string())),
    ):  # fmt: skip
        if group.any():
            chunks.append(texts(floats[group]))
            groups.append(group)
    if len(chunks) == 1:
        return chunks[0]
    if not chunks:
        return pa.array([], pa.string())
    return pa.concat_arrays(chunks).take(pa.array(_interleave(groups)))


def _interleave_texts(is_text: np.ndarray, texts: list[str], numbers: np.ndarray) -> pa.Array:
    """The texts as written of values that are ``texts`` where ``is_text`` and ``numbers`` elsewhere, in order."""
    if not len(numbers):
        return pa.array(texts, pa.string())
    number_texts = _float_text_array(numbers)
    if not texts:
        return number_texts
    return pa.concat_arrays([number_texts, pa.array(texts, pa.string())]).take(
        pa.array(_interleave([~is_text, is_text]))
    )


def _interleave(groups: list[np.ndarray]) -> np.ndarray:
    """For masks that split positions into groups: the position of each item in the groups laid end to end."""
    order = np.empty(len(groups[0]), dtype=np.int64)
    start = 0
    for group in groups:
        n = int(group.sum())
        order[group] = np.arange(start, start + n)
        start += n
    return order


def _pairs_of_rows(opd: pa.Array | pa.ChunkedArray, element: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An id per row for its (OPD, element), the same for the same pair; -1 where either is unknown."""
    pair = pc.binary_join_element_wise(opd, element, "\x1f")  # null where either is null
    if isinstance(pair, pa.ChunkedArray):
        pair = pair.combine_chunks()
    return pair.dictionary_encode().indices.fill_null(-1).to_numpy()


def _may_have_duplicates(opd: pa.Array, element: pa.Array, row: np.ndarray, year: np.ndarray,
                         same_year_twice: bool = True) -> bool:  # fmt: skip
    """False when no (OPD, element, year) with both codes known occurs twice among the values.

    ``opd`` and ``element`` are per row, ``row`` and ``year`` per value (``row`` points into the rows). A
    bulk check on integer keys; a true answer may be a false alarm (the exact rule then runs). Unless
    ``same_year_twice`` (some row may hold two values for one year), values can only clash when two rows
    name the same OPD and element, which is checked first, on the rows alone.
    """
    if len(row) < 2:
        return False
    pair_of_row = _pairs_of_rows(opd, element)
    if not same_year_twice and not _repeats(pair_of_row):
        return False
    return _values_repeat(pair_of_row, row, year)


def _repeats(pair_of_row: np.ndarray) -> bool:
    """True when a known pair is named by two rows."""
    known = pair_of_row[pair_of_row >= 0]
    return len(known) > 1 and bool(np.bincount(known).max() > 1)


def _values_repeat(pair_of_row: np.ndarray, row: np.ndarray, year: np.ndarray) -> bool:
    """True when a known (pair, year) occurs twice among the values (``row`` points into the rows)."""
    pair_of_value = pair_of_row.astype(np.int64)[row]
    known = pair_of_value >= 0
    if known.sum() < 2:
        return False
    year = year[known] - year[known].min()
    keys = pair_of_value[known] * (int(year.max()) + 1) + year
    return bool(np.bincount(keys).max() > 1) if keys.max() < 8 * len(keys) + 1024 else len(np.unique(keys)) < len(keys)


def _mark_duplicates(ctx: _Context, nilai: pd.DataFrame, parts: list[_Part]) -> None:
    """The value read later wins; the earlier ones get ``dipakai`` False; differing values: issue."""
    opd, element = (pa.chunked_array([p.per_row[c] for p in parts], pa.string()) for c in ("kode_opd", "kode_elemen"))
    pair_of_row = _pairs_of_rows(opd, element)
    if not any(p.same_year_twice for p in parts) and not _repeats(pair_of_row):
        return  # no two rows name the same OPD and element, no row names a year twice: no duplicates
    rows = _joined_rows(parts) if len(parts) > 1 else parts[0].per_value["row"]
    if len(rows) < 2 or not _values_repeat(pair_of_row, rows, nilai["tahun"].fillna(0).to_numpy(dtype=np.int64)):
        return
    keys = ["kode_opd", "kode_elemen", "tahun"]
    known = nilai["kode_opd"].notna() & nilai["kode_elemen"].notna() & nilai["tahun"].notna()
    dup = known & nilai.duplicated(keys, keep=False)
    if not dup.any():
        return
    losers = known & nilai.duplicated(keys, keep="last")
    nilai.loc[losers, "dipakai"] = False
    sub = nilai.loc[dup]
    for _, group in sub.groupby(keys, sort=False):
        winner = group.iloc[-1]
        for _, row in group.iloc[:-1].iterrows():
            same = (row["status"] == winner["status"]) and (
                (pd.isna(row["nilai"]) and pd.isna(winner["nilai"])) or row["nilai"] == winner["nilai"]
            )
            if same:
                continue
            ctx.issue(
                row["sumber_file"], row["sumber_sheet"], int(row["sumber_baris"]), row["sumber_kolom"],
                row["kode_opd"], PERINGATAN, "duplikat",
                f"Elemen '{row['nama_elemen']}' tahun {row['tahun']} diisi dua kali dengan nilai berbeda: "
                f"'{row['teks_asli']}' di sini dan '{winner['teks_asli']}' di berkas {winner['sumber_file']}, "
                f"sheet {winner['sumber_sheet']}, baris {winner['sumber_baris']}, kolom {winner['sumber_kolom']}. "
                "Aturan: nilai yang dibaca terakhir (urutan nama berkas, lalu sheet, lalu baris) yang dipakai. "
                "Hapus salah satu agar tidak ganda.",
            )  # fmt: skip


def _empty_entry(path: Path, rel: str) -> dict:
    try:  # a symlink is neither followed nor hashed; an unreadable file is reported by read_source
        size, sha = path.lstat().st_size, None if path.is_symlink() else _sha256(path)
    except OSError:
        size, sha = None, None
    return {
        "berkas": rel, "ukuran": size, "sha256": sha, "kode_opd": None,
        "jenis": None, "encoding": None, "pemisah": None, "sheet": [], "status": "dibaca", "jumlah_nilai": 0,
        "baris": {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0},
        "sel": {"angka": 0, "nilai": 0, "struktur": 0, "masalah": 0}, "tabel": [],
    }  # fmt: skip


def _ingest_one(ctx: _Context, path: Path, rel: str, folder: str | None) -> dict:
    entry = _empty_entry(path, rel)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES and not path.is_symlink():
        entry["status"] = "dilewati"
        ctx.issue(rel, None, None, None, None, PERINGATAN, "format_tidak_didukung",
                  f"Berkas {rel}: format '{path.suffix or '(tanpa ekstensi)'}' tidak didukung dan dilewati. "
                  "Kirim data sebagai .xlsx, .xls, .ods atau .csv.")  # fmt: skip
        return entry
    try:
        source = read_source(path)
    except ReadError as exc:
        entry["status"] = "galat"
        ctx.issue(rel, None, None, None, None, GALAT, exc.code, exc.message)
        return entry
    except Exception as exc:  # never let one file stop the round
        entry["status"] = "galat"
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_tidak_terbaca",
                  f"Berkas {rel} tidak dapat dibaca ({type(exc).__name__}: {exc}). Simpan ulang sebagai .xlsx "
                  "lalu kirim ulang.")  # fmt: skip
        return entry
    entry.update(jenis=source.kind, encoding=source.encoding, pemisah=source.delimiter,
                 sheet=[g.name for g in source.grids])  # fmt: skip
    for note in source.notes:
        ctx.issue(
            rel, None, None, None, None, INFO, "berkas_html" if source.kind == "html" else "format_lama", note
        )
    start_rows, start_chunks, start_vals = len(ctx.rows["sumber_baris"]), len(ctx.vals["row"]), ctx.n_vals
    try:
        _ingest_source(ctx, source, rel, folder, entry)
    except Exception as exc:  # a bug or an unforeseen shape: report it, keep the round going
        for col in ctx.rows.values():
            del col[start_rows:]
        for col in ctx.vals.values():
            del col[start_chunks:]
        ctx.n_vals = start_vals
        entry["status"] = "galat"
        entry["baris"] = {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0}
        entry["sel"] = {"angka": 0, "nilai": 0, "struktur": 0, "masalah": 0}
        entry["tabel"] = []
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_tidak_terbaca",
                  f"Berkas {rel} tidak dapat diolah ({type(exc).__name__}: {exc}). Periksa bentuk tabelnya "
                  "atau gunakan templat pengisian.")  # fmt: skip
    entry["jumlah_nilai"] = ctx.n_vals - start_vals
    for p in source.problems:  # error values of formulas, rows after a long blank run (see readers)
        ctx.issue(rel, p.sheet, p.row, p.col, entry["kode_opd"], p.level, p.code, p.message)
    if entry["status"] == "dibaca" and entry["sel"]["angka"] and not entry["jumlah_nilai"]:
        ctx.issue(rel, None, None, None, entry["kode_opd"], GALAT, "tanpa_nilai",
                  f"Berkas {rel} berisi {entry['sel']['angka']} sel angka tetapi tidak satu pun terbaca sebagai "
                  "nilai (lihat masalah lain berkas ini). Periksa bentuk tabelnya atau gunakan templat pengisian.")  # fmt: skip
    if entry["status"] == "dibaca" and entry["baris"]["dibaca"] == 0:
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_kosong",
                  f"Berkas {rel} tidak berisi data (semua sheet kosong). Kirim ulang berkas yang berisi data.")  # fmt: skip
    return entry


def _opd_from_cells(ctx: _Context, rows: list[list]) -> tuple[str | None, str | None]:
    """(kode_opd, text written) from a cell such as ``OPD: Dinas Kesehatan`` in the given rows."""
    for row in rows:
        for j, cell in enumerate(row):
            if not isinstance(cell, str) or not cell.strip():
                continue
            m = _OPD_CELL.match(cell)
            if not m:
                continue
            text = m.group(2).strip()
            if not text:  # the name is in the next non-empty cell
                text = next((cell_text(c) for c in row[j + 1 :] if not is_blank(c)), "")
            if text:
                return ctx.resolve_opd(text), text
    return None, None


def _ingest_source(ctx: _Context, source: Source, rel: str, folder: str | None, entry: dict) -> None:
    text_source = source.kind in {"csv", "html"}
    stem = Path(rel).stem
    sheets = []
    for grid in source.grids:
        skip = is_instruction_sheet(grid.name) and len(source.grids) > 1
        layout = None if skip else detect_layout(grid)
        quick = layout is not None and _plain_template(grid, layout)
        reading = None if skip or quick else read_sheet(grid, stem, text_source, ctx.totals)
        top = layout.header_start if layout else _first_table_row(reading, grid)
        sheets.append((grid, skip, layout, reading, _opd_from_cells(ctx, grid.rows[:top])))
    file_opd, written = next(((o, t) for *_, (o, t) in sheets if o), (None, None))
    if file_opd is None:
        file_opd = ctx.resolve_opd(stem) or (ctx.resolve_opd(folder) if folder else None)
    if file_opd is None:
        for grid, _, layout, reading, _ in sheets:
            top = layout.header_start if layout else _first_table_row(reading, grid, 0)
            for row in grid.rows[:top]:
                texts = (c for c in row if isinstance(c, str) and c.strip())
                file_opd = file_opd or next((o for o in map(ctx.resolve_opd, texts) if o), None)
    has_opd_column = any(layout is not None and layout.opd_col is not None for _, _, layout, _, _ in sheets)
    has_table = any(layout is not None or (reading is not None and _has_values(reading))
                    for _, _, layout, reading, _ in sheets)  # fmt: skip
    if file_opd is None and has_table and not has_opd_column:
        text = next((t for *_, (_, t) in sheets if t), None) or stem
        closest = ctx.register.closest(text)
        names = "; ".join(f"{c} ({n}, skor {s:.0f})" for c, n, s in closest) or "tidak ada"
        ctx.issue(rel, None, None, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}: OPD pengirim tidak dikenali dari isi, nama berkas maupun folder ('{text}'). "
                  f"Yang paling mirip: {names}. Tulis 'OPD: <nama OPD>' di atas tabel atau beri nama berkas "
                  "dengan singkatan OPD; nilai disimpan tetapi belum dihitung.")  # fmt: skip
    entry["kode_opd"] = file_opd
    counts = entry["baris"]
    cells = entry["sel"]
    for grid, skip, layout, reading, (sheet_opd, _) in sheets:
        opd = sheet_opd or file_opd
        if skip:
            _skip_sheet(ctx, grid, rel, opd, entry, True)
            continue
        if layout is not None and (reading is None or _template_shape(reading, layout)):
            before, chunks = ctx.n_vals, len(ctx.vals["status"])
            _ingest_tables(ctx, grid, layout, rel, opd, counts, text_source)
            _template_cells(ctx, grid, reading, before, chunks, cells)
            if reading is None:
                continue
        elif _has_values(reading):
            add_sheet(ctx, reading, rel, opd, counts, cells)
        else:
            _skip_sheet(ctx, grid, rel, opd, entry, is_auxiliary_sheet(grid.name))
            cells["angka"] += reading.numeric
            cells["masalah" if reading.numeric and not is_auxiliary_sheet(grid.name) else "struktur"] += reading.numeric
            continue
        entry["tabel"].extend(_table_summaries(reading))


def _first_table_row(reading: SheetReading | None, grid: Grid, default: int | None = None) -> int:
    """The first header (or data) row of the first table the reader found, else ``default`` (15 rows)."""
    if reading is not None and reading.tables:
        b = reading.tables[0].block
        return min(b.header + b.data)
    return min(len(grid.rows), 15) if default is None else default


def _has_values(reading: SheetReading | None) -> bool:
    """True when the reader found a table: values (or value cells with issues) under a header, or
    values whose year is known (a table without any header and without any year is not recognised)."""
    if reading is None:
        return False
    tables = [t for t in reading.tables if t.values or t.issues]
    return any(t.block.header or any(v.tahun is not None for v in t.values) for t in tables)


def _template_shape(reading: SheetReading | None, layout: Layout) -> bool:
    """True when a sheet is one table of the submission template's shape, which the template reader
    (:func:`_ingest_tables`) reads as it always has: element rows, one year per value column (or a
    ``Tahun`` column), no period, growth or category in the column headers, the same value columns as
    the reader of :mod:`satudata.reading` finds."""
    if reading is None or len(reading.tables) != 1:
        return False
    table = reading.tables[0]
    cols = table.columns
    if cols is None or cols.dimension != DIM_INDIKATOR:
        return False
    if sorted(layout.value_cols) != sorted(cols.of(ROLE_NILAI)):
        return False
    if layout.is_long:
        return bool(cols.of(ROLE_TAHUN))
    for j in layout.value_cols:
        info = read_label(cols.columns[j].parts)
        if info.year is None or info.periode or info.growth or not is_generic(info.words):
            return False
    return True


def _template_cells(ctx: _Context, grid: Grid, reading: SheetReading | None, before: int, chunks: int,
                    cells: dict) -> None:  # fmt: skip
    """Cell accounting of a sheet read by the template reader: the numbers read as values, the rest
    structure (years of the header, row numbers, codes, subtotal rows). Without the reader's count, the
    numbers are the Excel numbers of the sheet and the numeric texts read as values."""
    statuses = ctx.vals["status"][chunks:]
    read = int(sum(np.isin(chunk, (1, 6)).sum() for chunk in statuses))
    if reading is not None:
        numeric = reading.numeric
    else:
        floats = sum(1 for row in grid.rows for c in row if type(c) is float)
        texts = ctx.vals["is_text"][chunks:]
        numeric = floats + int(sum((np.isin(st, (1, 6)) & t).sum() for st, t in zip(statuses, texts, strict=False)))
    read = min(read, numeric)
    cells["angka"] += numeric
    cells["nilai"] += read
    cells["struktur"] += numeric - read


_PLAIN_LABEL_HEADERS = ("uraian", "jenis data", "nama data", "elemen", "elemen data", "nama elemen", "indikator",
                        "nama indikator", "rincian")  # fmt: skip


def _plain_template(grid: Grid, layout: Layout) -> bool:
    """True for a sheet in the submission template's own shape, recognised without the full reader (a
    round of template files is read at the template reader's speed): a label column headed ``Uraian``/
    ``Jenis Data``..., one year per value column and nothing else in its header, no OPD column, and no
    Excel number in the data rows outside the value columns but in a ``No`` column left of the label."""
    if layout.is_long or layout.opd_col is not None:
        return False
    label_header = fold(layout.headers.get(layout.label_col, ""))
    if not any(label_header == w or label_header.startswith(w + " ") for w in _PLAIN_LABEL_HEADERS):
        return False
    for col, _ in layout.year_cols:
        info = read_label([layout.headers.get(col, "")])
        if info.year is None or info.periode or info.growth or not is_generic(info.words):
            return False
    allowed = set(layout.value_cols) | {c for c in range(layout.label_col)}
    for row in grid.rows[layout.header_end + 1:]:
        for c, cell in enumerate(row):
            if type(cell) is float and c not in allowed:
                return False
    return True


def _table_summaries(reading: SheetReading) -> list[dict]:
    """For the manifest and ``satudata check``: each table's range, shape and where its years come from."""
    sheet = reading.sheet
    out = []
    for t in reading.tables:
        b = t.block
        out.append({
            "sheet": sheet.name,
            "rentang": f"{sheet.address(b.top, b.left)}:{sheet.address(b.bottom, b.right)}",
            "bentuk": t.shape, "tahun_dari": t.year_source, "judul": t.title,
            "jumlah_nilai": len(t.values), "jumlah_masalah": len(t.issues),
        })  # fmt: skip
    return out


def _count(counts: dict, role: str, n: int = 1) -> None:
    if role == "kosong":
        counts["kosong"] += n
        return
    counts["dibaca"] += n
    if role == ROLE_DATA:
        counts["data"] += n
    elif role == "ditolak":
        counts["ditolak"] += n
    else:
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n


def _skip_sheet(ctx: _Context, grid: Grid, rel: str, opd: str | None, entry: dict, named: bool) -> None:
    """Account for a sheet that holds no data table.

    A recognised cover, instruction or reference sheet is nothing the sender did wrong: it gets a
    note in the manifest (``catatan``) and its rows count as structure, but no issue. Any other
    sheet without numbers gets an ``info`` issue; one with numbers but no header is rejected.
    """
    counts = entry["baris"]
    nonblank = [r for r in grid.rows if any(not is_blank(c) for c in r)]
    counts["kosong"] += len(grid.rows) - len(nonblank)
    if not nonblank:
        return
    numbers = [r for r in nonblank if any(parse_cell(c).status == STATUS_ADA for c in r)]
    if named or not numbers:
        _count(counts, ROLE_SKIPPED_SHEET, len(nonblank))
        why = "sampul/petunjuk/referensi" if named else "tanpa tabel data (tidak ada angka)"
        text = (f"Berkas {rel}, sheet '{grid.name}': dilewati sebagai sheet {why}; {len(nonblank)} baris "
                "tidak dibaca sebagai data.")  # fmt: skip
        entry.setdefault("catatan", []).append(text)
        if not named:
            ctx.issue(rel, grid.name, None, None, opd, INFO, "sheet_dilewati", text)
        return
    _count(counts, "ditolak", len(nonblank))
    ctx.issue(rel, grid.name, None, None, opd, GALAT, "tabel_tidak_dikenali",
              f"Berkas {rel}, sheet '{grid.name}': berisi angka tetapi baris judul kolom tidak ditemukan pada 20 "
              f"baris pertama ({len(nonblank)} baris ditolak). Pastikan ada kolom 'Uraian' (nama elemen) dan kolom "
              "tahun (mis. '2023') atau kolom 'Tahun' dan 'Nilai', atau gunakan templat pengisian.")  # fmt: skip


def _decimal_modes(grid: Grid, layout: Layout) -> dict[int, str]:
    start = layout.header_end + 1
    modes = {}
    for col in layout.value_cols:
        texts = [
            r[col] for r in grid.rows[start:] if col < len(r) and isinstance(r[col], str) and r[col].strip()
        ]
        if column_uses_dot_decimal(texts):
            modes[col] = "dot"
    return modes


def _row_year(cell: object) -> int | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    found = _YEAR.findall(str(cell))
    return int(found[0]) if len(set(found)) == 1 else None


# per-cell codes: 0 empty, 1-4 the value statuses, 5 invalid, 6 a number with a note to list for review,
# 7 a value without a valid year (long format)
_CODE = {None: 0, STATUS_ADA: 1, STATUS_NIHIL: 2, STATUS_TIDAK_TERSEDIA: 3, STATUS_RAHASIA: 4,
         STATUS_TIDAK_VALID: 5}  # fmt: skip
_CODE_STATUS = np.array([None, STATUS_ADA, STATUS_NIHIL, STATUS_TIDAK_TERSEDIA, STATUS_RAHASIA, None, STATUS_ADA,
                         None], dtype=object)  # fmt: skip
_PROVISIONAL = "angka_sementara"


_PLAIN_KINDS = frozenset({float, str, type(None)})


def _parse_cells(cells: list, modes: list[str] | None) -> tuple[np.ndarray, np.ndarray, list[tuple] | None,
                                                                 np.ndarray | None]:  # fmt: skip
    """The code of each cell (see ``_CODE``) as :func:`parse_cell` reads it, its ``nilai`` (NaN where none),
    the parsed cells and which cells are text.

    Common case (text, floats and empty cells; Indonesian rules): the texts are parsed in bulk, the floats
    classified in bulk, the third item is None and the fourth marks the text cells (the others are floats
    or empty). Otherwise the third holds ``(status, nilai, catatan)`` for every cell and the fourth is None.
    """
    if modes is None and _PLAIN_KINDS.issuperset(map(type, cells)):
        n = len(cells)
        is_text = [type(c) is str for c in cells]
        text_mask = np.frombuffer(bytes(is_text), dtype=bool)
        codes = np.empty(n, dtype=np.int8)
        values = np.empty(n, dtype=np.float64)
        n_texts = int(text_mask.sum())
        if n_texts:
            text_codes, text_values, notes = parse_texts_array(list(compress(cells, is_text)))
            if notes:  # a number with a note to list for review (a provisional figure is no issue)
                at = np.asarray([j for j, note in notes.items() if note != _PROVISIONAL], dtype=np.int64)
                text_codes[at] = 6
            codes[text_mask] = text_codes
            values[text_mask] = text_values
        if n_texts < n:  # floats and None: 1 when finite, 0 for nan or None (empty), 5 for an infinity
            floats = pa.array(list(compress(cells, (~text_mask).tolist())), pa.float64(), from_pandas=False)
            f = floats.to_numpy(zero_copy_only=False)  # None -> nan
            codes[~text_mask] = np.where(np.isfinite(f), 1, np.where(np.isnan(f), 0, 5))
            values[~text_mask] = f
        return codes, values, None, text_mask
    if modes is None:
        parsed = [_as_tuple(parse_cell(c)) for c in cells]
    else:
        k = len(modes)
        parsed = [_as_tuple(parse_cell(c, modes[j % k])) for j, c in enumerate(cells)]
    codes = np.asarray([6 if p[2] is not None and p[2] != _PROVISIONAL else _CODE[p[0]] for p in parsed], np.int8)
    return codes, np.asarray([p[1] for p in parsed], dtype=np.float64), parsed, None


def _parsed_at(parsed: list[tuple] | None, flat: list, pos: int) -> tuple:
    """(nilai, catatan) of one cell."""
    if parsed is not None:
        return parsed[pos][1:]
    c = flat[pos]
    return _as_tuple(parse_cell(c))[1:] if type(c) is str else (c, None)


def _as_tuple(p: Any) -> tuple:
    return (p.status, p.nilai, p.catatan)


def _ingest_tables(ctx: _Context, grid: Grid, layout: Layout, rel: str, file_opd: str | None, counts: dict,
                   text_source: bool) -> None:  # fmt: skip
    """The tables of one sheet: one below the other, each read with its own header (see ``next_table``)."""
    while True:
        header_like: list[int] = []
        roles = row_roles(grid, layout, ctx.totals, header_like)
        found = next_table(grid, layout, header_like) if header_like else None
        if found is None:
            break
        start, below = found
        excel_row = grid.first_row + start + 1
        years = ", ".join(str(y) for _, y in below.year_cols) or "kolom Tahun"
        ctx.issue(rel, grid.name, excel_row, None, file_opd, INFO, "tabel_berikutnya",
                  f"Berkas {rel}, sheet '{grid.name}', baris {excel_row}: tabel berikutnya dimulai di sini dengan "
                  f"judul kolomnya sendiri (tahun: {years}); baris di bawahnya dibaca dengan judul kolom ini. "
                  "Periksa bila baris ini sebenarnya data.")  # fmt: skip
        head = sub_grid(grid, 0, start)
        decimals = _decimal_modes(head, layout) if text_source else {}
        _ingest_table(ctx, head, layout, rel, file_opd, counts, decimals)
        grid, layout = sub_grid(grid, start), below
    decimals = _decimal_modes(grid, layout) if text_source else {}
    _ingest_table(ctx, grid, layout, rel, file_opd, counts, decimals, roles)


def _ingest_table(ctx: _Context, grid: Grid, layout: Layout, rel: str, file_opd: str | None, counts: dict,
                  decimals: dict[int, str], roles: list[tuple] | None = None) -> None:  # fmt: skip
    """Values, issues and row accounting of one table; cells are parsed for the whole sheet at once."""
    if roles is None:
        roles = row_roles(grid, layout, ctx.totals)
    rows = grid.rows
    sheet, first_row, first_col = grid.name, grid.first_row, grid.first_col
    letters = {
        c: column_letter(first_col + c) for c in range(max(layout.value_cols + [layout.label_col]) + 1)
    }
    pairs = [(layout.value_col, None)] if layout.is_long else layout.year_cols
    cols = [c for c, _ in pairs]
    k = len(cols)
    data = [t for t in roles if t[1] == ROLE_DATA]
    nd = len(data)
    # the value cells of every data row, row after row
    width = max(cols) + 1
    if k == 1:
        c0 = cols[0]
        flat = [r[c0] if c0 < len(r) else None for r in (rows[t[0]] for t in data)]
    else:
        get = itemgetter(*cols)
        flat = []
        for t in data:
            r = rows[t[0]]
            flat.extend(get(r) if len(r) >= width else [r[c] if c < len(r) else None for c in cols])
    codes, values, parsed, is_text = _parse_cells(flat, [decimals.get(c, "id") for c in cols] if decimals else None)
    if layout.is_long:
        tc = layout.tahun_col
        row_years = [_row_year(rows[t[0]][tc]) if tc < len(rows[t[0]]) else None for t in data]
        for j, y in enumerate(row_years):
            if y is None and codes[j] and codes[j] != 5:
                codes[j] = 7
        years = np.asarray([0 if y is None else y for y in row_years], dtype=np.int64)
    else:
        row_years = None
        years = np.tile(np.asarray([y for _, y in pairs], dtype=np.int64), nd)
        if len({y for _, y in pairs}) < len(pairs):
            ctx.same_year_twice = True
    grid_codes = np.asarray(codes, dtype=np.int8).reshape(nd, k)
    valid = ((grid_codes >= 1) & (grid_codes <= 4)) | (grid_codes == 6)
    # per data row: values produced, of which nihil; whether a cell needs an issue
    per_row = (valid.sum(axis=1), (grid_codes == 2).sum(axis=1), (grid_codes >= 5).any(axis=1))

    R = ctx.rows
    r_opd, r_match, r_label, r_unit = R["kode_opd"], R["match"], R["nama_elemen_asli"], R["satuan_asli"]
    r_file, r_sheet, r_row = R["sumber_file"], R["sumber_sheet"], R["sumber_baris"]
    base = len(r_row)
    if row_years is None and layout.opd_col is None:  # the common shape: one OPD, a column per year
        cells = (codes, parsed, flat, cols, letters)
        n_data = _plain_rows(ctx, roles, data, per_row, cells, layout, rel, sheet, file_opd, grid, counts)
        r_file.extend([rel] * n_data)
        r_sheet.extend([sheet] * n_data)
        _add_values(ctx, flat, (values, is_text), grid_codes, valid, per_row[0], years, cols, letters, base)
        return
    produced_all, nihil_all, special_all = (a.tolist() for a in per_row)
    match_row = ctx.index.match
    opd_col = layout.opd_col
    n_years = len(pairs)
    struct: dict[str, int] = {}
    n_data = n_rejected = n_blank = 0
    unknown_opds: dict[str, int] = {}
    # long format: one row per year, so "every year is '-'" is judged per element, after the loop
    long_nihil: dict[tuple[str | None, str], list[int | bool]] = {}
    j = -1
    for t in roles:
        role = t[1]
        if role != ROLE_DATA:
            if role == ROLE_NO_LABEL:
                n_rejected += 1
                excel_row = first_row + t[0] + 1
                ctx.issue(rel, sheet, excel_row, None, file_opd, GALAT, "label_kosong",
                          f"Berkas {rel}, sheet '{sheet}', baris {excel_row}: ada nilai tetapi nama "
                          "elemen (kolom uraian) kosong. Isi nama elemennya.")  # fmt: skip
            elif role == ROLE_BLANK:
                n_blank += 1
            else:
                struct[role] = struct.get(role, 0) + 1
            continue
        j += 1
        i, _, label, code, unit, opd_text, section = t
        excel_row = first_row + i + 1
        opd = file_opd
        if opd_col is not None and opd_text:
            opd = ctx.resolve_opd(opd_text)
            if opd is None:
                unknown_opds.setdefault(opd_text, excel_row)
        if special_all[j]:
            produced, nihil, invalid = _cell_issues(
                ctx, rows[i], codes, parsed, flat, j * k, cols, letters, layout, rel, sheet, excel_row, opd, label,
                first_col,
            )  # fmt: skip
        else:
            produced, nihil, invalid = produced_all[j], nihil_all[j], 0
        if not produced:
            n_rejected += 1
            continue
        match = match_row(opd, label, code, section)
        r_opd.append(opd)
        r_match.append(match)
        r_label.append(label)
        r_unit.append(unit or None)
        r_row.append(excel_row)
        n_data += 1
        if row_years is not None:
            first, all_nihil = long_nihil.setdefault((opd, label), [excel_row, True])
            long_nihil[(opd, label)][1] = all_nihil and nihil == produced and invalid == 0
            _row_issues(ctx, label, match, rel, sheet, excel_row, opd, 0, produced, invalid, n_years)
        elif (
            not match.dihitung
            or match.metode == METHOD_FUZZY
            or (nihil == produced == n_years and not invalid)
        ):
            _row_issues(ctx, label, match, rel, sheet, excel_row, opd, nihil, produced, invalid, n_years)
    r_file.extend([rel] * n_data)
    r_sheet.extend([sheet] * n_data)
    counts["kosong"] += n_blank
    counts["dibaca"] += len(roles) - n_blank
    counts["data"] += n_data
    counts["ditolak"] += n_rejected
    for role, n in struct.items():
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n
    _add_values(ctx, flat, (values, is_text), grid_codes, valid, per_row[0], years, cols, letters, base)
    for (opd, label), (excel_row, all_nihil) in long_nihil.items():
        if all_nihil:
            ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "semua_nihil",
                      f"Berkas {rel}, sheet '{sheet}', baris {excel_row} dst.: semua tahun untuk '{label}' diisi "
                      "'-' (nihil). Mohon konfirmasi bahwa nilainya memang nol; bila datanya belum ada, "
                      "tulis '...'.")  # fmt: skip
    for text, excel_row in unknown_opds.items():
        closest = "; ".join(f"{c} ({n})" for c, n, _ in ctx.register.closest(text)) or "tidak ada"
        ctx.issue(rel, sheet, excel_row, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}, sheet '{sheet}', baris {excel_row}: OPD '{text}' tidak dikenali. Yang paling "
                  f"mirip: {closest}. Perbaiki nama OPD di kolom itu.")  # fmt: skip


def _plain_rows(ctx: _Context, roles: list[tuple], data: list[tuple], per_row: tuple[np.ndarray, ...],
                cells: tuple, layout: Layout, rel: str, sheet: str, opd: str | None, grid: Grid,
                counts: dict) -> int:  # fmt: skip
    """Rows of a wide table without an OPD column: rows in bulk, a Python step only for rows with issues.

    Same values, issues (in the same order) and counts as the general loop of :func:`_ingest_table`.
    ``per_row``: values produced, nihil values and whether a cell needs an issue, per data row. Returns
    the number of data rows kept.
    """
    codes, parsed, flat, cols, letters = cells
    first_row, k = grid.first_row, len(cols)
    produced_np, nihil_np, special_np = per_row
    kept_np = np.flatnonzero(produced_np)
    kept = kept_np.tolist()
    matches = ctx.index.match_many(opd, [(t[2], t[3], t[6]) for t in (data[j] for j in kept)])
    # rows that need a Python step, by grid index: no label, cell issues, row issues (not counted, fuzzy,
    # every year nihil)
    events: dict[int, tuple] = {t[0]: (None, None) for t in roles if t[1] == ROLE_NO_LABEL}
    counted = np.frombuffer(bytes([m[5] for m in matches]), dtype=bool)
    fuzzy = np.frombuffer(bytes([m[3] == METHOD_FUZZY for m in matches]), dtype=bool)
    produced_kept, nihil_kept = produced_np[kept_np], nihil_np[kept_np]
    flagged = special_np[kept_np] | ~counted | fuzzy | ((nihil_kept == produced_kept) & (produced_kept == k))
    for pos in np.flatnonzero(flagged).tolist():
        j = kept[pos]
        events[data[j][0]] = (j, pos)
    for j in np.flatnonzero((produced_np == 0) & special_np).tolist():
        events[data[j][0]] = (j, None)
    for i in sorted(events):
        j, pos = events[i]
        excel_row = first_row + i + 1
        if j is None:
            ctx.issue(rel, sheet, excel_row, None, opd, GALAT, "label_kosong",
                      f"Berkas {rel}, sheet '{sheet}', baris {excel_row}: ada nilai tetapi nama "
                      "elemen (kolom uraian) kosong. Isi nama elemennya.")  # fmt: skip
            continue
        label = data[j][2]
        produced, nihil, invalid = int(produced_np[j]), int(nihil_np[j]), 0
        if special_np[j]:
            produced, nihil, invalid = _cell_issues(
                ctx, grid.rows[i], codes, parsed, flat, j * k, cols, letters, layout, rel, sheet, excel_row, opd,
                label, grid.first_col,
            )  # fmt: skip
        if pos is not None:
            _row_issues(ctx, label, matches[pos], rel, sheet, excel_row, opd, nihil, produced, invalid, k)
    R = ctx.rows
    kept_rows = [data[j] for j in kept]
    R["kode_opd"].extend([opd] * len(kept))
    R["match"].extend(matches)
    R["nama_elemen_asli"].extend([t[2] for t in kept_rows])
    R["satuan_asli"].extend([t[4] or None for t in kept_rows])
    R["sumber_baris"].extend([first_row + t[0] + 1 for t in kept_rows])
    tally = Counter(t[1] for t in roles)
    n_blank, n_no_label, n_rows = (
        tally.pop(ROLE_BLANK, 0),
        tally.pop(ROLE_NO_LABEL, 0),
        tally.pop(ROLE_DATA, 0),
    )
    counts["kosong"] += n_blank
    counts["dibaca"] += len(roles) - n_blank
    counts["data"] += len(kept)
    counts["ditolak"] += n_no_label + n_rows - len(kept)
    for role, n in tally.items():
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n
    return len(kept)


def _cell_issues(ctx: _Context, row: list, codes: list[int], parsed: list[tuple] | None, flat: list, start: int,
                 cols: list[int], letters: dict[int, str], layout: Layout, rel: str, sheet: str, excel_row: int,
                 opd: str | None, label: str, first_col: int) -> tuple[int, int, int]:  # fmt: skip
    """Issues of the cells of one row, in column order; returns (values produced, nihil, invalid)."""
    produced = nihil = invalid = 0
    for q, col in enumerate(cols):
        code = int(codes[start + q])
        if code == 0:
            continue
        letter = letters[col]
        cell = flat[start + q]
        if code == 5:
            invalid += 1
            ctx.issue(rel, sheet, excel_row, letter, opd, GALAT, "nilai_tidak_valid",
                      _invalid_message(rel, sheet, excel_row, letter, cell, label))  # fmt: skip
            continue
        if code == 7:
            invalid += 1
            tcol = column_letter(first_col + layout.tahun_col)
            written = cell_text(row[layout.tahun_col]) if layout.tahun_col < len(row) else ""
            ctx.issue(rel, sheet, excel_row, tcol, opd, GALAT, "tahun_tidak_valid",
                      f"Berkas {rel}, sheet '{sheet}', baris {excel_row}, kolom {tcol}: tahun '{written}' tidak "
                      "dikenali. Tulis tahun empat angka, mis. 2023.")  # fmt: skip
            continue
        if code == 6:
            value, note = _parsed_at(parsed, flat, start + q)
            ctx.issue(rel, sheet, excel_row, letter, opd, INFO, "angka_ambigu",
                      f"Berkas {rel}, sheet '{sheet}', baris {excel_row}, kolom {letter}: '{cell_text(cell)}' "
                      f"dibaca sebagai {value!r} ({_NOTE_TEXT[note]}). Periksa; tulis angka "
                      "dengan format Indonesia (titik ribuan, koma desimal).")  # fmt: skip
        produced += 1
        nihil += code == 2
    return produced, nihil, invalid


def _add_values(ctx: _Context, flat: list, parsed: tuple[np.ndarray, np.ndarray | None], grid_codes: np.ndarray,
                valid: np.ndarray,
                produced: np.ndarray, years: np.ndarray, cols: list[int], letters: dict[int, str],
                base: int) -> None:  # fmt: skip
    """Append one sheet's values (valid cells, row-major) as chunks; ``row`` points into ``ctx.rows``.

    ``parsed``: the ``nilai`` of every cell and which cells are text (None: any kind of cell, kept as text).
    """
    values, is_text = parsed
    nd, k = valid.shape
    mask = valid.ravel()
    n = int(mask.sum())
    if not n:
        return
    has = np.asarray(produced, dtype=np.int64) > 0
    ridx = np.cumsum(has) - 1 + base
    V = ctx.vals
    V["row"].append(ridx[np.repeat(np.arange(nd), k)[mask]])
    V["tahun"].append(years[mask])
    V["nilai"].append(values[mask])
    V["status"].append(grid_codes.ravel()[mask])
    if is_text is None:  # cells of any kind: each one's text as written
        V["is_text"].append(np.ones(n, dtype=bool))
        V["texts"].append([cell_text(c) for c in compress(flat, mask.tolist())])
    else:  # text cells and finite floats
        V["is_text"].append(is_text[mask])
        V["texts"].append([c.strip() for c in compress(flat, (mask & is_text).tolist())])
        V["numbers"].append(values[mask & ~is_text])
    ids = ctx.letter_ids
    letter_ids = np.asarray([ids.setdefault(letters[c], len(ids)) for c in cols], dtype=np.int64)
    V["sumber_kolom"].append(np.tile(letter_ids, nd)[mask])
    ctx.n_vals += n


def _invalid_message(rel: str, sheet: str, excel_row: int, letter: str, cell: object, label: str) -> str:
    where = f"Berkas {rel}, sheet '{sheet}', baris {excel_row}, kolom {letter}"
    if isinstance(cell, (date, datetime, time, timedelta)):
        return (
            f"{where}: sel untuk '{label}' berisi tanggal/waktu ({cell}), bukan angka; Excel sering mengubah "
            "angka seperti 1.5 menjadi tanggal. Format sel sebagai Angka atau Teks lalu tulis ulang nilainya."
        )
    return (
        f"{where}: '{cell_text(cell)}' untuk '{label}' bukan angka yang sah. Tulis angka (mis. 1.234 atau "
        "12,5) atau tanda BPS: '-' (nihil), '...' (tidak tersedia), 'x' (rahasia)."
    )


_NOTE_TEXT = {
    "koma_ribuan_ambigu": "koma dibaca sebagai desimal; bila maksudnya ribuan, tulis dengan titik",
    "titik_desimal": "titik dibaca sebagai desimal karena bukan pemisah ribuan",
    "format_inggris": "format Inggris: koma sebagai pemisah ribuan",
    "angka_sementara": "angka sementara",
}


def _row_issues(ctx: _Context, label: str, match: Any, rel: str, sheet: str, excel_row: int, opd: str | None,
                nihil: int, produced: int, invalid: int, n_years: int) -> None:  # fmt: skip
    where = f"Berkas {rel}, sheet '{sheet}', baris {excel_row}"
    element_issue(ctx, match, label, rel, sheet, excel_row, opd)
    if nihil == produced == n_years and invalid == 0:
        ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "semua_nihil",
                  f"{where}: semua tahun untuk '{label}' diisi '-' (nihil). Mohon konfirmasi bahwa nilainya "
                  "memang nol; bila datanya belum ada, tulis '...'.")  # fmt: skip


def write_ingest(result: IngestResult, out_dir: Path) -> None:
    """Write ``nilai.parquet``, ``masalah.parquet``, ``masalah.csv`` and ``manifest.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result.nilai.to_parquet(out_dir / "nilai.parquet", index=False)
    result.masalah.to_parquet(out_dir / "masalah.parquet", index=False)
    safe_to_csv(result.masalah, out_dir / "masalah.csv", index=False, encoding="utf-8-sig")  # no formulas
    (out_dir / "manifest.json").write_text(
        json.dumps(result.manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
