"""Ingestion of one round: every raw row becomes values, a structural row or an issue.

Rules decided here (documented for analysts):

* Files are processed in sorted order of their path inside the round folder, sheets in workbook
  order, rows top to bottom. Hidden files (``.x``) and Office lock files (``~$x``) are ignored.
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
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa

from satudata import __version__
from satudata.matching import METHOD_FUZZY, METHOD_NONE, ElementIndex
from satudata.numbers import (
    STATUS_ADA,
    STATUS_NIHIL,
    STATUS_TIDAK_VALID,
    column_uses_dot_decimal,
    parse_cell,
)
from satudata.readers import SUPPORTED_SUFFIXES, Grid, ReadError, Source, column_letter, is_blank, read_source
from satudata.register import Register
from satudata.settings import Settings
from satudata.tables import (
    ROLE_DATA,
    ROLE_NO_LABEL,
    Layout,
    RowInfo,
    cell_text,
    classify_rows,
    detect_layout,
    is_auxiliary_sheet,
    is_instruction_sheet,
    subtotal_words,
)

NILAI_COLUMNS = [
    "putaran", "kode_opd", "kode_elemen", "nama_elemen", "nama_elemen_asli", "satuan_asli", "tahun", "nilai",
    "status", "teks_asli", "dihitung", "metode_cocok", "skor_cocok", "sumber_file", "sumber_sheet",
    "sumber_baris", "sumber_kolom", "dipakai",
]  # fmt: skip
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
_VALUE_FIELDS = ("row", "tahun", "nilai", "status", "raw", "sumber_kolom")
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
    vals: dict[str, list] = field(default_factory=lambda: {c: [] for c in _VALUE_FIELDS})
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def catalogue_version(catalogue: Any) -> str:
    """sha256 of the catalogue's elements (column names and every value as text, in order)."""
    h = hashlib.sha256()
    for name, column in catalogue.elements.items():
        h.update(f"\x1d{name}\x1e".encode())
        h.update("\x1f".join(map(str, column.tolist())).encode("utf-8"))
    return h.hexdigest()


def _make_context(round_date: str, register: Register, catalogue: Any, settings: Settings) -> _Context:
    index = ElementIndex(catalogue.elements, settings.matching.element_threshold)
    words = (settings.region, settings.region_short, *register.region_words)
    return _Context(round_date, register, index, settings, subtotal_words(words))


def ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any,
                 settings: Settings) -> IngestResult:  # fmt: skip
    """Ingest every file under ``raw_dir`` (read only); one bad file never stops the round."""
    raw_dir = Path(raw_dir)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collection passes only cost time here
    try:
        return _ingest_round(raw_dir, round_date, register, catalogue, settings)
    finally:
        if gc_was_enabled:
            gc.enable()


def _ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any,
                  settings: Settings) -> IngestResult:  # fmt: skip
    ctx = _make_context(round_date, register, catalogue, settings)
    files = sorted(
        (p for p in raw_dir.rglob("*") if p.is_file()), key=lambda p: p.relative_to(raw_dir).as_posix()
    )
    entries = []
    for path in files:
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
            continue
        folder = rel.parts[0] if len(rel.parts) > 1 else None
        entries.append(_ingest_one(ctx, path, rel.as_posix(), folder))
    return _finish(ctx, entries, catalogue)


def ingest_file(path: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                folder_opd: str | None = None) -> IngestResult:  # fmt: skip
    """Ingest one file (``folder_opd``: the name of the folder it came from, if it names the OPD)."""
    ctx = _make_context(round_date, register, catalogue, settings)
    entry = _ingest_one(ctx, Path(path), Path(path).name, folder_opd)
    return _finish(ctx, [entry], catalogue)


def _finish(ctx: _Context, entries: list[dict], catalogue: Any) -> IngestResult:
    nilai = _values_frame(ctx)
    _mark_duplicates(ctx, nilai)
    masalah = pd.DataFrame(ctx.issues, columns=MASALAH_COLUMNS)
    masalah["sumber_baris"] = masalah["sumber_baris"].astype("Int64")
    for col in MASALAH_COLUMNS:
        if col != "sumber_baris":
            masalah[col] = masalah[col].astype("string")
    totals = {"dibaca": 0, "data": 0, "ditolak": 0, "kosong": 0, "struktur": {}}
    for e in entries:
        b = e["baris"]
        for k in ("dibaca", "data", "ditolak", "kosong"):
            totals[k] += b[k]
        for role, n in b["struktur"].items():
            totals["struktur"][role] = totals["struktur"].get(role, 0) + n
    manifest = {
        "putaran": ctx.round_date,
        "dibuat": datetime.now(ZoneInfo(ctx.settings.timezone)).isoformat(timespec="seconds"),
        "versi_paket": __version__,
        "pengaturan": json.loads(json.dumps(ctx.settings.as_dict(), default=str)),
        "katalog_sha256": catalogue_version(catalogue),
        "berkas": entries,
        "jumlah_baris": totals,
        "jumlah_nilai": int(len(nilai)),
        "jumlah_masalah": {lvl: int((masalah["tingkat"] == lvl).sum()) for lvl in (GALAT, PERINGATAN, INFO)},
    }
    return IngestResult(nilai, masalah, manifest)


def _values_frame(ctx: _Context) -> pd.DataFrame:
    """The ``nilai`` table: row-level fields are taken once per row and spread over its values (in Arrow)."""
    rows, vals = ctx.rows, ctx.vals
    idx = np.asarray(vals["row"], dtype=np.int64)
    take = pa.array(idx, type=pa.int64())

    def text(values: list, per_row: bool) -> pd.Series:
        arr = pa.array(values, type=pa.string())
        return pd.Series(pd.arrays.ArrowStringArray(arr.take(take) if per_row else arr), copy=False)

    def expand(values: list, dtype: object) -> np.ndarray:
        return np.asarray(values, dtype=dtype)[idx] if len(values) else np.empty(0, dtype=dtype)

    matches = rows["match"]
    data = {
        "putaran": text([ctx.round_date] * len(idx), False),
        "kode_opd": text(rows["kode_opd"], True),
        "kode_elemen": text([m.kode_elemen for m in matches], True),
        "nama_elemen": text([m.nama_elemen for m in matches], True),
        "nama_elemen_asli": text(rows["nama_elemen_asli"], True),
        "satuan_asli": text(rows["satuan_asli"], True),
        "tahun": np.asarray(vals["tahun"], dtype=np.int64),
        "nilai": np.asarray(vals["nilai"], dtype=np.float64),
        "status": text(vals["status"], False),
        "teks_asli": text(_texts(vals["raw"]), False),
        "dihitung": expand([m.dihitung for m in matches], bool),
        "metode_cocok": text([m.metode for m in matches], True),
        "skor_cocok": expand([np.nan if m.skor is None else m.skor for m in matches], np.float64),
        "sumber_file": text(rows["sumber_file"], True),
        "sumber_sheet": text(rows["sumber_sheet"], True),
        "sumber_baris": expand(rows["sumber_baris"], np.int64),
        "sumber_kolom": text(vals["sumber_kolom"], False),
        "dipakai": np.ones(len(idx), dtype=bool),
    }
    return pd.DataFrame(data, columns=NILAI_COLUMNS)


def _texts(cells: list) -> list[str]:
    """The text of each cell as written (whole floats without ``.0``), in one pass."""
    return [
        c.strip() if type(c) is str else str(int(c)) if type(c) is float and c.is_integer() else cell_text(c)
        for c in cells
    ]


def _mark_duplicates(ctx: _Context, nilai: pd.DataFrame) -> None:
    """The value read later wins; the earlier ones get ``dipakai`` False; differing values: issue."""
    keys = ["kode_opd", "kode_elemen", "tahun"]
    known = nilai["kode_opd"].notna() & nilai["kode_elemen"].notna()
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
    return {
        "berkas": rel, "ukuran": path.stat().st_size, "sha256": _sha256(path), "kode_opd": None,
        "jenis": None, "encoding": None, "pemisah": None, "sheet": [], "status": "dibaca", "jumlah_nilai": 0,
        "baris": {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0},
    }  # fmt: skip


def _ingest_one(ctx: _Context, path: Path, rel: str, folder: str | None) -> dict:
    entry = _empty_entry(path, rel)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
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
    start_rows, start_vals = len(ctx.rows["sumber_file"]), len(ctx.vals["row"])
    try:
        _ingest_source(ctx, source, rel, folder, entry)
    except Exception as exc:  # a bug or an unforeseen shape: report it, keep the round going
        for col in ctx.rows.values():
            del col[start_rows:]
        for col in ctx.vals.values():
            del col[start_vals:]
        entry["status"] = "galat"
        entry["baris"] = {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0}
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_tidak_terbaca",
                  f"Berkas {rel} tidak dapat diolah ({type(exc).__name__}: {exc}). Periksa bentuk tabelnya "
                  "atau gunakan templat pengisian.")  # fmt: skip
    entry["jumlah_nilai"] = len(ctx.vals["row"]) - start_vals
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
    sheets = []
    for grid in source.grids:
        skip = is_instruction_sheet(grid.name) and len(source.grids) > 1
        layout = None if skip else detect_layout(grid)
        top = layout.header_start if layout else min(len(grid.rows), 15)
        sheets.append((grid, skip, layout, _opd_from_cells(ctx, grid.rows[:top])))
    file_opd, written = next(((o, t) for *_, (o, t) in sheets if o), (None, None))
    if file_opd is None:
        file_opd = ctx.resolve_opd(Path(rel).stem) or (ctx.resolve_opd(folder) if folder else None)
    if file_opd is None:
        for grid, _, layout, _ in sheets:
            top = layout.header_start if layout else 0
            for row in grid.rows[:top]:
                texts = (c for c in row if isinstance(c, str) and c.strip())
                file_opd = file_opd or next((o for o in map(ctx.resolve_opd, texts) if o), None)
    has_opd_column = any(layout is not None and layout.opd_col is not None for _, _, layout, _ in sheets)
    has_table = any(layout is not None for _, _, layout, _ in sheets)
    if file_opd is None and has_table and not has_opd_column:
        text = next((t for *_, (_, t) in sheets if t), None) or Path(rel).stem
        closest = ctx.register.closest(text)
        names = "; ".join(f"{c} ({n}, skor {s:.0f})" for c, n, s in closest) or "tidak ada"
        ctx.issue(rel, None, None, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}: OPD pengirim tidak dikenali dari isi, nama berkas maupun folder ('{text}'). "
                  f"Yang paling mirip: {names}. Tulis 'OPD: <nama OPD>' di atas tabel atau beri nama berkas "
                  "dengan singkatan OPD; nilai disimpan tetapi belum dihitung.")  # fmt: skip
    entry["kode_opd"] = file_opd
    counts = entry["baris"]
    for grid, skip, layout, (sheet_opd, _) in sheets:
        opd = sheet_opd or file_opd
        if skip or layout is None:
            _skip_sheet(ctx, grid, rel, opd, entry, skip or is_auxiliary_sheet(grid.name))
            continue
        decimals = _decimal_modes(grid, layout) if source.kind in {"csv", "html"} else {}
        _ingest_table(ctx, grid, layout, rel, opd, counts, decimals)


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


def _ingest_table(ctx: _Context, grid: Grid, layout: Layout, rel: str, file_opd: str | None, counts: dict,
                  decimals: dict[int, str]) -> None:  # fmt: skip
    infos = classify_rows(grid, layout, ctx.totals)
    sheet, first_row, first_col = grid.name, grid.first_row, grid.first_col
    letters = {
        c: column_letter(first_col + c) for c in range(max(layout.value_cols + [layout.label_col]) + 1)
    }
    pairs = [(layout.value_col, None)] if layout.is_long else layout.year_cols
    R, V = ctx.rows, ctx.vals
    r_opd, r_match, r_label, r_unit = R["kode_opd"], R["match"], R["nama_elemen_asli"], R["satuan_asli"]
    r_file, r_sheet, r_row = R["sumber_file"], R["sumber_sheet"], R["sumber_baris"]
    v_row, v_year, v_val, v_status, v_raw, v_col = (V[k] for k in _VALUE_FIELDS)
    unknown_opds: dict[str, int] = {}
    # long format: one row per year, so "every year is '-'" is judged per element, after the loop
    long_nihil: dict[tuple[str | None, str], list[int | bool]] = {}
    for info in infos:
        if info.role != ROLE_DATA:
            if info.role == ROLE_NO_LABEL:
                _count(counts, "ditolak")
                ctx.issue(rel, sheet, first_row + info.index + 1, None, file_opd, GALAT, "label_kosong",
                          f"Berkas {rel}, sheet '{sheet}', baris {first_row + info.index + 1}: ada nilai tetapi nama "
                          "elemen (kolom uraian) kosong. Isi nama elemennya.")  # fmt: skip
            else:
                _count(counts, info.role)
            continue
        row = grid.rows[info.index]
        n = len(row)
        excel_row = first_row + info.index + 1
        opd = file_opd
        if layout.opd_col is not None and info.opd_text:
            opd = ctx.resolve_opd(info.opd_text)
            if opd is None:
                unknown_opds.setdefault(info.opd_text, excel_row)
        year_of_row = _row_year(row[layout.tahun_col]) if layout.is_long and layout.tahun_col < n else None
        ridx = len(r_file)
        produced, nihil, invalid = 0, 0, 0
        for col, year in pairs:
            cell = row[col] if col < n else None
            y = year if year is not None else year_of_row
            if type(cell) is float and cell - cell == 0 and y is not None:  # fast path: an Excel number
                produced += 1
                v_row.append(ridx)
                v_year.append(y)
                v_val.append(cell)
                v_status.append(STATUS_ADA)
                v_raw.append(cell)
                v_col.append(letters[col])
                continue
            parsed = parse_cell(cell, decimals.get(col, "id"))
            if parsed.status is None:
                continue
            letter = letters[col]
            if parsed.status == STATUS_TIDAK_VALID:
                invalid += 1
                ctx.issue(rel, sheet, excel_row, letter, opd, GALAT, "nilai_tidak_valid",
                          _invalid_message(rel, sheet, excel_row, letter, cell, info.label))  # fmt: skip
                continue
            if y is None:
                invalid += 1
                tcol = column_letter(first_col + layout.tahun_col)
                written = cell_text(row[layout.tahun_col]) if layout.tahun_col < n else ""
                ctx.issue(rel, sheet, excel_row, tcol, opd, GALAT, "tahun_tidak_valid",
                          f"Berkas {rel}, sheet '{sheet}', baris {excel_row}, kolom {tcol}: tahun '{written}' tidak "
                          "dikenali. Tulis tahun empat angka, mis. 2023.")  # fmt: skip
                continue
            if parsed.catatan and parsed.catatan != "angka_sementara":
                ctx.issue(rel, sheet, excel_row, letter, opd, INFO, "angka_ambigu",
                          f"Berkas {rel}, sheet '{sheet}', baris {excel_row}, kolom {letter}: '{cell_text(cell)}' "
                          f"dibaca sebagai {parsed.nilai!r} ({_NOTE_TEXT[parsed.catatan]}). Periksa; tulis angka "
                          "dengan format Indonesia (titik ribuan, koma desimal).")  # fmt: skip
            produced += 1
            nihil += parsed.status == STATUS_NIHIL
            v_row.append(ridx)
            v_year.append(y)
            v_val.append(parsed.nilai)
            v_status.append(parsed.status)
            v_raw.append(cell)
            v_col.append(letter)
        if not produced:
            _count(counts, "ditolak")
            continue
        match = ctx.index.match(opd, info.label, info.code, info.section)
        r_opd.append(opd)
        r_match.append(match)
        r_label.append(info.label)
        r_unit.append(info.unit or None)
        r_file.append(rel)
        r_sheet.append(sheet)
        r_row.append(excel_row)
        _count(counts, ROLE_DATA)
        if layout.is_long:
            first, all_nihil = long_nihil.setdefault((opd, info.label), [excel_row, True])
            long_nihil[(opd, info.label)][1] = all_nihil and nihil == produced and invalid == 0
            _row_issues(ctx, info, match, rel, sheet, excel_row, opd, 0, produced, invalid, len(pairs))
        else:
            _row_issues(ctx, info, match, rel, sheet, excel_row, opd, nihil, produced, invalid, len(pairs))
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


def _row_issues(ctx: _Context, info: RowInfo, match: Any, rel: str, sheet: str, excel_row: int, opd: str | None,
                nihil: int, produced: int, invalid: int, n_years: int) -> None:  # fmt: skip
    where = f"Berkas {rel}, sheet '{sheet}', baris {excel_row}"
    if match.metode == METHOD_FUZZY:
        ctx.issue(rel, sheet, excel_row, None, opd, INFO, "cocok_fuzzy",
                  f"{where}: '{info.label}' dicocokkan dengan elemen '{match.nama_elemen}' ({match.kode_elemen}), "
                  f"skor {match.skor:.0f}. Periksa; perbaiki penulisan nama elemen bila keliru.")  # fmt: skip
    elif match.metode == METHOD_NONE and opd is not None:
        cands = "; ".join(f"{n} ({k}, skor {s:.0f})" for k, n, s in match.kandidat) or "tidak ada"
        ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "elemen_tidak_dikenal",
                  f"{where}: elemen '{info.label}' tidak ada dalam daftar kewajiban OPD ini. Calon terdekat: "
                  f"{cands}. Nilai disimpan sebagai data tambahan; perbaiki nama elemen bila yang dimaksud "
                  "salah satu calon.")  # fmt: skip
    elif (
        match.kode_elemen is not None
        and opd is not None
        and not match.dihitung
        and match.kode_opd_pemilik != opd
    ):
        ctx.issue(rel, sheet, excel_row, None, opd, INFO, "elemen_opd_lain",
                  f"{where}: elemen '{info.label}' adalah kewajiban OPD {match.kode_opd_pemilik}, bukan OPD "
                  "pengirim. Nilai disimpan sebagai data tambahan dan tidak dihitung untuk OPD ini.")  # fmt: skip
    if nihil == produced == n_years and invalid == 0:
        ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "semua_nihil",
                  f"{where}: semua tahun untuk '{info.label}' diisi '-' (nihil). Mohon konfirmasi bahwa nilainya "
                  "memang nol; bila datanya belum ada, tulis '...'.")  # fmt: skip


def write_ingest(result: IngestResult, out_dir: Path) -> None:
    """Write ``nilai.parquet``, ``masalah.parquet``, ``masalah.csv`` and ``manifest.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result.nilai.to_parquet(out_dir / "nilai.parquet", index=False)
    result.masalah.to_parquet(out_dir / "masalah.parquet", index=False)
    result.masalah.to_csv(out_dir / "masalah.csv", index=False, encoding="utf-8-sig")
    (out_dir / "manifest.json").write_text(
        json.dumps(result.manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
