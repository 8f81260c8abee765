"""SIPD DSSD exports: read into values, and a round's clean values written back in their shape.

SIPD (e-Walidata, "Data Statistik Sektoral Daerah") downloads an element as a one-sheet workbook::

    kode_dssd | uraian_dssd | satuan | [definisi_operasional] | data_2019 | ... | data_2024

one row per element (``kode_dssd`` is the SIPD element code, e.g. ``1.03.000011``), one ``data_<year>``
column per year. :func:`read_dssd` reads such a file (xls, xlsx, ods, csv) into one row per element and
year: the cell is parsed by :func:`satudata.reading.numbers.parse_cell` (Indonesian number rules, ``-`` nihil,
``...`` not available, ``x`` confidential); an empty cell is kept with status ``kosong`` (no value), an
unreadable one with status ``tidak_valid`` and an issue. No value is lost without a word, as in a submission:
a cell whose formula gives an error (``#DIV/0!``, ``#REF!``) or was saved without a value (a tool that does not
calculate) reads empty and gets an issue naming it (found by the workbook scan of
:mod:`satudata.formats.xlsx_scan`); a comma that reads either way (``1,234``) is read as a decimal, the
Indonesian way, with an issue asking to check it; a ``data_<year>`` column written twice is read once (the
first), with an issue naming both columns and every cell where the second says something else.

How a DSSD row maps to a catalogue element (:func:`map_to_catalogue`, and the round's ingest through
:func:`dssd_owner`): by code when the catalogue's ``kode_elemen`` equals ``kode_dssd`` (whitespace and a
trailing dot ignored), else by name through :class:`satudata.reading.matching.ElementIndex` (exact, normalised,
then fuzzy at ``[pencocokan] ambang_elemen``, listed for review). A DSSD export names no producer: the
producer is the one that owes the matched elements in the catalogue.

:func:`write_dssd` writes the other way (issue 14, item 4): per producer, every owed element with the
current clean value of each year (status ``ada`` as the number, ``nihil`` as ``-``; anything else left
empty), ``kode_dssd, uraian_dssd, satuan, data_<year>...``, ready for the walidata to upload. A file
written by it reads back through :func:`read_dssd` with the same codes, names, units, years and values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from satudata.common.safe_names import output_file
from satudata.formats.read_limits import ReadLimits
from satudata.formats.readers import Grid, column_letter, is_blank, read_source
from satudata.reading.matching import ElementIndex, quick_fold
from satudata.reading.numbers import STATUS_ADA, STATUS_NIHIL, STATUS_TIDAK_VALID, parse_cell

STATUS_KOSONG = "kosong"  # an empty year cell: kept in the export's frame, never a value
CODE, NAME, UNIT, DEFINITION = "kode_dssd", "uraian_dssd", "satuan", "definisi_operasional"
_YEAR = re.compile(r"^data[ _]?((?:19|20)\d\d)$")
_HEADER_ROWS = 5  # the header is the first row in SIPD's files; a title row or two above it is allowed
COLUMNS = ["kode_dssd", "uraian_dssd", "satuan", "definisi_operasional", "tahun", "nilai", "status", "teks_asli",
           "sumber_sheet", "sumber_baris", "sumber_kolom"]  # fmt: skip


@dataclass(frozen=True)
class DssdHeader:
    """Where a DSSD sheet's columns are: 0-based row of the header, column indexes, (column, year) pairs."""

    row: int
    code: int
    name: int
    unit: int | None
    definition: int | None
    years: tuple[tuple[int, int], ...]


@dataclass
class DssdExport:
    """One DSSD export read: a row per element and year (``values``) and what could not be read."""

    file: str
    sheet: str | None
    values: pd.DataFrame
    years: list[int] = field(default_factory=list)
    elements: int = 0
    issues: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Cells per status (``ada``, ``nihil``, ``kosong``, ...), elements and years."""
        out = {"elemen": self.elements, "tahun": len(self.years), "sel": len(self.values)}
        out.update(self.values["status"].value_counts().to_dict())
        return out


def _key(cell: object) -> str:
    return quick_fold(str(cell)).strip().replace(" ", "_") if isinstance(cell, str) else ""


def find_header(grid: Grid) -> DssdHeader | None:
    """The DSSD header of a sheet (``kode_dssd``, ``uraian_dssd`` or ``uraian``, at least one ``data_<year>``),
    else None. ``satuan`` and ``definisi_operasional`` are optional."""
    for r, row in enumerate(grid.rows[:_HEADER_ROWS]):
        keys = [_key(c) for c in row]
        if CODE not in keys:
            continue
        name = next((keys.index(k) for k in (NAME, "uraian") if k in keys), None)
        years = tuple((j, int(m.group(1))) for j, k in enumerate(keys) if (m := _YEAR.match(k)))
        if name is None or not years:
            continue
        return DssdHeader(r, keys.index(CODE), name, keys.index(UNIT) if UNIT in keys else None,
                          keys.index(DEFINITION) if DEFINITION in keys else None, years)  # fmt: skip
    return None


def _text(row: list, j: int | None) -> str:
    if j is None or j >= len(row) or is_blank(row[j]):
        return ""
    cell = row[j]
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _unique_years(columns: tuple[tuple[int, int], ...]) -> tuple[list[tuple[int, int]], list[tuple[int, int, int]]]:
    """The (column, year) pairs with each year once (its first column), and (column, first column, year) of every
    year column written again."""
    first: dict[int, int] = {}
    once, twice = [], []
    for j, year in columns:
        if year in first:
            twice.append((j, first[year], year))
        else:
            first[year] = j
            once.append((j, year))
    return once, twice


def read_grid(grid: Grid, file: str, header: DssdHeader | None = None, problems: Iterable = ()) -> DssdExport:
    """One DSSD sheet into an export (see the module docstring); raises ValueError when it is not one.
    ``problems``: the file's reading problems (:class:`satudata.formats.read_errors.ReadProblem`: formula errors,
    formulas saved without a value), those of this sheet become issues of the export."""
    header = header or find_header(grid)
    if header is None:
        raise ValueError(f"Berkas {file}, lembar kerja '{grid.name}': bukan ekspor DSSD (kolom kode_dssd, uraian_dssd "
                         "dan data_<tahun> tidak ditemukan di 5 baris pertama).")  # fmt: skip
    records, issues = [], []
    elements = 0
    years, twice = _unique_years(header.years)
    for j, first, year in twice:
        a, b = column_letter(grid.first_col + first), column_letter(grid.first_col + j)
        issues.append(f"Berkas {file}, lembar kerja '{grid.name}': kolom data_{year} ditulis dua kali (kolom {a} dan "
                      f"{b}); hanya kolom {a} yang dibaca. Hapus kolom yang salah lalu kirim ulang.")  # fmt: skip
    for r in range(header.row + 1, len(grid.rows)):
        row = grid.rows[r]
        excel_row = grid.first_row + r + 1
        code, name = _text(row, header.code), _text(row, header.name)
        if not code and not name:
            if any(not is_blank(row[j]) for j, _ in header.years if j < len(row)):
                issues.append(f"Berkas {file}, lembar kerja '{grid.name}', baris {excel_row}: ada nilai tetapi kode_dssd "
                              "dan uraian_dssd kosong. Isi kode dan uraian elemennya.")  # fmt: skip
            continue
        elements += 1
        unit, definition = _text(row, header.unit), _text(row, header.definition)
        for j, year in years:
            cell = row[j] if j < len(row) else None
            parsed = parse_cell(cell)
            status = STATUS_KOSONG if parsed.is_empty else parsed.status
            letter = column_letter(grid.first_col + j)
            where = f"Berkas {file}, lembar kerja '{grid.name}', sel {letter}{excel_row} ({code} {year})"
            if status == STATUS_TIDAK_VALID:
                issues.append(f"{where}: '{cell}' bukan angka. Tulis angka, '-' untuk nihil atau '...' bila tidak "
                              "tersedia.")  # fmt: skip
            elif parsed.catatan and parsed.catatan != "angka_sementara":
                issues.append(f"{where}: '{_text(row, j)}' dibaca sebagai {parsed.nilai!r}. Periksa; tulis angka dengan "
                              "format Indonesia (titik ribuan, koma desimal).")  # fmt: skip
            records.append((code, name, unit, definition, year, parsed.nilai, status,
                            _text(row, j) or None, grid.name, excel_row, letter))  # fmt: skip
        for j, first, year in twice:
            here, there = _text(row, first), _text(row, j)
            if there and there != here:
                b = column_letter(grid.first_col + j)
                issues.append(f"Berkas {file}, lembar kerja '{grid.name}', sel {b}{excel_row} ({code} {year}): "
                              f"'{there}' tidak dibaca karena kolom data_{year} ditulis dua kali; yang dibaca "
                              f"'{here or '(kosong)'}' di kolom {column_letter(grid.first_col + first)}. Periksa mana "
                              "yang benar.")  # fmt: skip
    for problem in problems:
        if problem.sheet in (None, grid.name):
            issues.append(problem.message)
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame = frame.astype({"tahun": "int64", "nilai": "float64", "sumber_baris": "int64"})
    return DssdExport(file, grid.name, frame, sorted(y for _, y in years), elements, issues)


def read_dssd(path: str | Path, limits: ReadLimits | None = None) -> DssdExport:
    """Read a DSSD export (the first sheet with a DSSD header) under ``limits`` (the settings' ``[batas]``, default
    :data:`satudata.formats.read_limits.LIMITS`); raises ValueError when there is none, ``ReadError`` when the
    file cannot be read or is past a limit."""
    path = Path(path)
    source = read_source(path, limits)
    for grid in source.grids:
        header = find_header(grid)
        if header is not None:
            return read_grid(grid, path.name, header, source.problems)
    raise ValueError(f"Berkas {path.name}: bukan ekspor DSSD (kolom kode_dssd, uraian_dssd dan data_<tahun> "
                     "tidak ditemukan).")  # fmt: skip


def is_dssd(grids: Iterable[Grid]) -> bool:
    """True when some sheet has a DSSD header."""
    return any(find_header(g) is not None for g in grids)


# --- mapping to the catalogue ----------------------------------------------------------------------------


def map_to_catalogue(export: DssdExport, index: ElementIndex) -> pd.DataFrame:
    """One row per DSSD element: ``kode_dssd, uraian_dssd, kode_elemen, nama_elemen, kode_opd`` (the owner in
    the catalogue), ``metode_cocok`` (``kode``, ``nama``, ``fuzzy`` or ``tidak_cocok``), ``skor_cocok``."""
    rows = export.values.drop_duplicates(["kode_dssd", "uraian_dssd"])[["kode_dssd", "uraian_dssd"]]
    out = []
    for code, name in rows.itertuples(index=False):
        m = index.match(None, name, code)
        out.append((code, name, m.kode_elemen, m.nama_elemen, m.kode_opd_pemilik, m.metode, m.skor))
    return pd.DataFrame(out, columns=["kode_dssd", "uraian_dssd", "kode_elemen", "nama_elemen", "kode_opd",
                                      "metode_cocok", "skor_cocok"])  # fmt: skip


def dssd_owner(ctx, rel: str, grids: list[Grid]) -> str | None:
    """The producer of a DSSD export that names none: the one owner of the elements its rows match (by code,
    else by name); an info issue says so. None (with a warning naming them) when the rows belong to several
    producers, or when the file is not a DSSD export or matches no owed element.

    ``ctx`` is the round's :class:`satudata.reading.ingest_context.IngestContext` (``index``, ``issue``).
    """
    from satudata.reading.ingest_context import INFO, PERINGATAN

    owners: dict[str, list[str]] = {}
    sheet = None
    for grid in grids:
        header = find_header(grid)
        if header is None:
            continue
        sheet = grid.name
        for row in grid.rows[header.row + 1 :]:
            code, name = _text(row, header.code), _text(row, header.name)
            if code or name:
                m = ctx.index.match(None, name, code)
                if m.kode_opd_pemilik:
                    owners.setdefault(m.kode_opd_pemilik, []).append(code or name)
    if len(owners) == 1:
        (opd, codes), = owners.items()
        ctx.issue(rel, sheet, None, None, opd, INFO, "opd_dari_dssd",
                  f"Berkas {rel} adalah ekspor DSSD SIPD tanpa nama OPD; elemennya ({', '.join(codes[:5])}) "
                  f"milik {opd} menurut katalog, jadi nilainya dihitung untuk {opd}.")  # fmt: skip
        return opd
    if len(owners) > 1:
        names = "; ".join(f"{o}: {', '.join(c[:3])}" for o, c in owners.items())
        ctx.issue(rel, sheet, None, None, None, PERINGATAN, "dssd_banyak_opd",
                  f"Berkas {rel} adalah ekspor DSSD SIPD yang elemennya milik beberapa OPD ({names}). Pisahkan "
                  "ekspornya per OPD atau tulis 'OPD: <nama OPD>' di atas tabel.")  # fmt: skip
    return None


# --- writing back ----------------------------------------------------------------------------------------


def dssd_table(items: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Items (``kode_elemen, nama_elemen, satuan, tahun, nilai, status``, e.g. ``item_terkini`` of one
    producer) as one DSSD table: ``kode_dssd, uraian_dssd, satuan, data_<year>...``, elements in their first
    order. A cell holds the number (status ``ada``), ``-`` (``nihil``), else nothing."""
    years = sorted({int(y) for y in (items["tahun"].dropna() if years is None else years)})
    elements = items.drop_duplicates("kode_elemen")
    table = pd.DataFrame({"kode_dssd": elements["kode_elemen"].astype(str).to_numpy(),
                          "uraian_dssd": elements["nama_elemen"].astype(str).to_numpy(),
                          "satuan": elements["satuan"].astype(object).where(elements["satuan"].notna(), "").to_numpy()})  # fmt: skip
    status = items["status"].astype(object)
    clean = items[status.isin([STATUS_ADA, STATUS_NIHIL]).to_numpy() & items["tahun"].notna().to_numpy()]
    cells = {(str(k), int(t)): float(n) if s == STATUS_ADA else "-"
             for k, t, n, s in zip(clean["kode_elemen"], clean["tahun"], clean["nilai"].astype(float),
                                   clean["status"].astype(object), strict=True)}  # fmt: skip
    for year in years:
        table[f"data_{year}"] = [cells.get((k, year)) for k in table["kode_dssd"]]
    return table


def write_table(table: pd.DataFrame, path: Path) -> Path:
    """One DSSD table into an .xlsx of one sheet ``Sheet1`` (as SIPD downloads it); text stays text.

    Written in openpyxl's write-only mode, its rows as XML text (:mod:`satudata.formats.xlsx_rows`): a round of
    400 producers writes its exports in a few seconds."""
    from datetime import date

    from openpyxl import Workbook

    from satudata.formats.xlsx_rows import Rows, xlsx_bytes

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    rows = Rows(ws, 1)
    rows.add([str(column) for column in table.columns])
    rows.add_columns([[value if isinstance(value, str) or value is None else _number(value) for value in table[c].tolist()]
                      for c in table.columns])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xlsx_bytes(wb, date.today()))
    return path


def _number(value: object) -> object:
    """A number as the export writes it: whole numbers as integers (``12``, not ``12.0``); NaN as nothing."""
    value = float(value)
    if math.isnan(value):
        return None
    return int(value) if value.is_integer() else value


def write_dssd(items: pd.DataFrame, folder: str | Path, years: Iterable[int] | None = None) -> dict[str, Path]:
    """Per producer (``kode_opd`` of ``items``), ``<folder>/dssd-<kode_opd>.xlsx`` in the DSSD shape (see
    :func:`dssd_table`). ``years`` defaults to every year the items have. Returns {kode_opd: path}.

    The items are grouped by producer once (not one scan of the whole table per producer)."""
    folder = Path(folder)
    years = sorted({int(y) for y in items["tahun"].dropna()}) if years is None else sorted(years)
    out = {}
    producers = items["kode_opd"].astype(object)
    for opd, part in items.groupby(producers, sort=False, dropna=True):
        out[str(opd)] = write_table(dssd_table(part, years), output_file(folder, f"dssd-{opd}", ".xlsx"))
    return out
